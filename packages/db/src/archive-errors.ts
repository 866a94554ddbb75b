/**
 * The errors of workspace export and import (archive.ts, export.ts, import.ts). Like errors.ts,
 * each has a stable `code` to branch on and a message that says what is wrong and what to do;
 * every refusal of `importWorkspace` happens before or inside its one transaction, so whatever
 * the error, nothing was written.
 */

export type ArchiveErrorCode =
  | 'archive-foreign'
  | 'archive-corrupt'
  | 'archive-version-unsupported'
  | 'archive-invalid'
  | 'archive-conflict'
  | 'archive-too-large'
  | 'workspace-not-found';

export abstract class ArchiveError extends Error {
  abstract readonly code: ArchiveErrorCode;
}

/** The file is not a Concord workspace archive at all (another format, or not gzip). */
export class ArchiveForeignError extends ArchiveError {
  readonly code = 'archive-foreign';
  constructor(readonly reason: string) {
    super(
      `This is not a Concord workspace archive: ${reason}. Nothing was written. ` +
        'Choose a file made by "export workspace" (a .concord.gz file).',
    );
    this.name = 'ArchiveForeignError';
  }
}

/** The file was a Concord archive but was damaged or changed after export (gzip, checksum). */
export class ArchiveCorruptError extends ArchiveError {
  readonly code = 'archive-corrupt';
  constructor(readonly reason: string) {
    super(
      `The workspace archive is damaged: ${reason}. Nothing was written. ` +
        'Export the workspace again, or use an intact copy of the file.',
    );
    this.name = 'ArchiveCorruptError';
  }
}

/** The archive was written by a newer Concord whose format this one cannot read. */
export class ArchiveVersionError extends ArchiveError {
  readonly code = 'archive-version-unsupported';
  constructor(
    readonly formatVersion: number,
    readonly supported: number,
  ) {
    super(
      `header.formatVersion: the archive has format version ${formatVersion}; this Concord reads ` +
        `version ${supported} and older. Nothing was written. Upgrade Concord to import this file.`,
    );
    this.name = 'ArchiveVersionError';
  }
}

/** The archive is intact but its content breaks a rule; each problem names the line and field. */
export class ArchiveInvalidError extends ArchiveError {
  readonly code = 'archive-invalid';
  constructor(readonly problems: string[]) {
    super(
      `The workspace archive is not valid, nothing was written:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ArchiveInvalidError';
  }
}

/** Something in the archive already exists in the target database (by id, or a user's email). */
export interface ArchiveConflict {
  table: string;
  /** The id (or key) that exists already, e.g. a workspace id or "template-id v2". */
  key: string;
  /** What collides, when it is not the id itself (e.g. `email ana@x.org is user …`). */
  detail?: string | undefined;
}

export class ArchiveConflictError extends ArchiveError {
  readonly code = 'archive-conflict';
  constructor(readonly conflicts: ArchiveConflict[]) {
    super(
      `The target database already has rows this archive would create; nothing was written:\n` +
        conflicts
          .map((c) => `  - ${c.table} ${c.key}${c.detail ? ` (${c.detail})` : ''} already exists`)
          .join('\n') +
        '\nImport into a database without this workspace, its district and its people, ' +
        'or remove them there first.',
    );
    this.name = 'ArchiveConflictError';
  }
}

/** The archive (uncompressed) is larger than this Concord accepts or produces. */
export class ArchiveTooLargeError extends ArchiveError {
  readonly code = 'archive-too-large';
  constructor(readonly limitBytes: number) {
    super(
      `The workspace archive is larger than ${limitBytes} bytes uncompressed ` +
        '(MAX_ARCHIVE_BODY_BYTES); nothing was written.',
    );
    this.name = 'ArchiveTooLargeError';
  }
}

/** Export of a workspace that does not exist. */
export class WorkspaceNotFoundError extends ArchiveError {
  readonly code = 'workspace-not-found';
  constructor(readonly workspaceId: string) {
    super(`No workspace with id ${workspaceId}; nothing to export.`);
    this.name = 'WorkspaceNotFoundError';
  }
}
