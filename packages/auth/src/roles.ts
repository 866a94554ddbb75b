/**
 * The one capability table: who may do what in a workspace. Every route, form action and sync
 * ticket asks this module; `docs/ROLES.md` is generated from it and a test keeps the two equal.
 *
 * Pure data and functions, no I/O, so the browser may import it (`@concord/auth/roles`) to hide
 * what a person cannot do; the server still enforces every rule itself.
 */

/** Roles in a workspace, from most to least powerful. The database checks the same list. */
export const ROLES = ['owner', 'facilitator', 'rater', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  facilitator: 'Facilitator',
  rater: 'Rater',
  viewer: 'Viewer (leadership)',
};

/**
 * What each role can do in the product today, in a sentence a person choosing a role for an
 * invitation can use. It promises only what works: extend it as features land (revealing ratings
 * and recording consensus, the plan, history), never ahead of them. The strategic plan has no
 * page yet, so no description offers to read, edit or comment on it.
 */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner:
    'Runs the workspace: invites people, changes roles and removes members; runs rating rounds and reveals the ratings; writes shared evidence on the checklist and rubrics and comments on them.',
  facilitator:
    'Runs rating rounds (opens them, follows progress, reveals the ratings); invites people and changes their roles; writes shared evidence on the checklist and rubrics and comments on them.',
  rater:
    'Represents the district or one school: rates the checklist and rubrics on their own (private until revealed), writes shared evidence and private notes, and comments.',
  viewer:
    'Leadership: reads the checklist and rubrics with their evidence and comments on them; does not edit or rate.',
};

/**
 * Workspace actions and the roles allowed each. Routes and form actions name one of these; the
 * R5 matrix test tries every role against every one.
 */
export const WORKSPACE_ACTIONS = {
  'workspace.view': ['owner', 'facilitator', 'rater', 'viewer'],
  'workspace.edit': ['owner'],
  'workspace.export': ['owner'],
  'workspace.delete': ['owner'],
  /**
   * The one action that reaches past its workspace: whoever holds it in any workspace of a
   * district may start another workspace in that district (the wizard offers only those
   * districts and refuses the rest). Starting one makes its creator that workspace's owner and
   * adds schools to the district every workspace there shares, so it is for owners only: a
   * facilitator, who may not make anyone an owner, must not make themselves the owner of a
   * district's workspace either. A workspace in a new district needs no role at all.
   */
  'district.add-workspace': ['owner'],
  'members.view': ['owner', 'facilitator', 'rater', 'viewer'],
  'members.invite': ['owner', 'facilitator'],
  'members.manage': ['owner', 'facilitator'],
  'documents.create': ['owner', 'facilitator'],
  'templates.import': ['owner', 'facilitator'],
  'ratings.rate': ['rater'],
  'ratings.reveal': ['owner', 'facilitator'],
  'consensus.record': ['owner', 'facilitator'],
  'checklist.edit': ['owner', 'facilitator', 'rater'],
  'plan.edit': ['owner', 'facilitator', 'rater'],
  'comments.write': ['owner', 'facilitator', 'rater', 'viewer'],
  'history.view': ['owner', 'facilitator', 'rater', 'viewer'],
  'history.restore': ['owner', 'facilitator'],
  'dashboard.view': ['owner', 'facilitator', 'rater', 'viewer'],
} as const satisfies Record<string, readonly Role[]>;

export type WorkspaceAction = keyof typeof WORKSPACE_ACTIONS;
export const WORKSPACE_ACTION_NAMES = Object.keys(WORKSPACE_ACTIONS) as WorkspaceAction[];

export const WORKSPACE_ACTION_LABELS: Record<WorkspaceAction, string> = {
  'workspace.view': 'Open the workspace',
  'workspace.edit': 'Rename it, change its schools',
  'workspace.export': 'Export it to a file',
  'workspace.delete': 'Delete it',
  'district.add-workspace': 'Start another workspace in its district',
  'members.view': 'See who is a member',
  'members.invite': 'Invite people',
  'members.manage': 'Change roles, remove members',
  'documents.create': 'Add instruments (checklists, rubrics, plan)',
  'templates.import': 'Import a custom rubric template',
  'ratings.rate': 'Rate indicators (own ratings only)',
  'ratings.reveal': 'Run rating rounds and reveal the ratings',
  'consensus.record': 'Record consensus and its rationale',
  'checklist.edit': 'Edit evidence and the checklist',
  'plan.edit': 'Edit the strategic plan',
  'comments.write': 'Comment',
  'history.view': 'See history',
  'history.restore': 'Restore an earlier version',
  'dashboard.view': 'See the leadership dashboard',
};

/**
 * The actions that have a working control in the web app today, in table order. The workspace
 * page's "What your role can do here" lists only these (of the ones the member's role allows),
 * so it never promises a button that is not there: the table above is the whole rule set, which
 * every route and the sync server enforce already, but recording consensus,
 * the plan, history, the dashboard, renaming, exporting, deleting, adding instruments and
 * importing templates have no control yet. Add an action here in the change that ships its
 * control (tests/e2e/workspace-page.test.ts finds each listed action's control for each role).
 * Where the controls are: opening the workspace (home page); starting another workspace in its
 * district (the new-workspace wizard's district step); members (the members page: the list, the
 * invitation form, role and removal controls); rating, rating rounds (the round controls),
 * evidence and comments (the checklist's and each rubric's document page).
 */
export const ACTIONS_WITH_CONTROLS = [
  'workspace.view',
  'district.add-workspace',
  'members.view',
  'members.invite',
  'members.manage',
  'ratings.rate',
  'ratings.reveal',
  'checklist.edit',
  'comments.write',
] as const satisfies readonly WorkspaceAction[];

/** Whether `action` has a working control today (ACTIONS_WITH_CONTROLS). */
export function hasControl(action: WorkspaceAction): boolean {
  return (ACTIONS_WITH_CONTROLS as readonly WorkspaceAction[]).includes(action);
}

export function can(role: Role, action: WorkspaceAction): boolean {
  return (WORKSPACE_ACTIONS[action] as readonly Role[]).includes(role);
}

/**
 * Limits on managing members, beyond `members.manage`: only an owner may make or unmake an
 * owner, and nobody may demote or remove the last owner (checked by the caller, who knows the
 * count). Returns why not, or null when allowed.
 */
export function roleChangeProblem(
  actor: Role,
  from: Role | null,
  to: Role | null,
): 'not-allowed' | 'owner-only' | null {
  if (!can(actor, 'members.manage')) return 'not-allowed';
  if (actor !== 'owner' && (from === 'owner' || to === 'owner')) return 'owner-only';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Sync capabilities per document

/**
 * What a WebSocket connection to one document may do:
 * - read: receive the document and others' presence (required to connect at all);
 * - write: send updates (otherwise refused with a permission-denied message, never applied);
 * - awareness: publish one's own presence (otherwise dropped);
 * - decide: change the document's decision fields (the group's recorded decision and where the
 *   discussion stands: `needs: 'decide'` in @concord/documents' shapes). `write` without
 *   `decide` may change everything else the shape allows; an update that touches a decision
 *   field is refused whole, like one without `write`.
 */
export const SYNC_CAPABILITIES = ['read', 'write', 'awareness', 'decide'] as const;
export type SyncCapability = (typeof SYNC_CAPABILITIES)[number];

/**
 * Document kinds: the one list. packages/db (its check constraints) and packages/documents (the
 * kind a document's meta records) take theirs from here.
 */
export const DOCUMENT_KINDS = [
  'prerequisites',
  'assessment',
  'ratings',
  'plan',
  'comments',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface DocumentAccessSubject {
  userId: string;
  role: Role;
}

export interface DocumentAccessObject {
  kind: DocumentKind;
  /** The rater a `ratings` document belongs to; null for shared documents. */
  ownerId: string | null;
  /** Whether the facilitator has revealed the ratings of this document's assessment. */
  revealed: boolean;
}

const ALL: readonly SyncCapability[] = ['read', 'write', 'awareness'];
const DECIDE: readonly SyncCapability[] = ['read', 'write', 'awareness', 'decide'];
const WATCH: readonly SyncCapability[] = ['read', 'awareness'];
const READ: readonly SyncCapability[] = ['read'];
const NONE: readonly SyncCapability[] = [];

/**
 * Shared documents by kind and role. `ratings` is not here: it depends on who owns it and on
 * reveal, see documentCapabilities.
 */
export const SHARED_DOCUMENT_ACCESS: Record<
  Exclude<DocumentKind, 'ratings'>,
  Record<Role, readonly SyncCapability[]>
> = {
  prerequisites: { owner: DECIDE, facilitator: DECIDE, rater: ALL, viewer: WATCH },
  assessment: { owner: DECIDE, facilitator: DECIDE, rater: ALL, viewer: WATCH },
  plan: { owner: ALL, facilitator: ALL, rater: ALL, viewer: WATCH },
  comments: { owner: ALL, facilitator: ALL, rater: ALL, viewer: ALL },
};

/**
 * The sync capabilities of one member on one document. Blind rating lives here: before reveal a
 * rater's ratings document is readable by that rater alone, so no other client ever receives
 * a byte of it; after reveal everyone in the workspace may read it and nobody may change it
 * (the discussion works from fixed ratings; the facilitator hides them again to allow re-rating).
 */
export function documentCapabilities(
  who: DocumentAccessSubject,
  doc: DocumentAccessObject,
): readonly SyncCapability[] {
  if (doc.kind !== 'ratings') return SHARED_DOCUMENT_ACCESS[doc.kind][who.role];
  const own = doc.ownerId !== null && doc.ownerId === who.userId;
  if (own) return doc.revealed ? READ : who.role === 'rater' ? ALL : READ;
  return doc.revealed ? READ : NONE;
}

// ---------------------------------------------------------------------------------------------
// docs/ROLES.md

function yes(ok: boolean): string {
  return ok ? 'yes' : '—';
}

function capabilityCell(caps: readonly SyncCapability[]): string {
  return caps.length === 0 ? 'none' : caps.join(', ');
}

/** The tables of docs/ROLES.md, rendered from the data above (a test compares the file). */
export function renderRoleTables(): string {
  const head = `| action | ${ROLES.join(' | ')} |\n|---|${ROLES.map(() => '---').join('|')}|\n`;
  const actions = WORKSPACE_ACTION_NAMES.map(
    (a) =>
      `| ${WORKSPACE_ACTION_LABELS[a]} (\`${a}\`) | ${ROLES.map((r) => yes(can(r, a))).join(' | ')} |`,
  ).join('\n');
  const docHead = `| document | ${ROLES.join(' | ')} |\n|---|${ROLES.map(() => '---').join('|')}|\n`;
  const shared = (Object.keys(SHARED_DOCUMENT_ACCESS) as (keyof typeof SHARED_DOCUMENT_ACCESS)[])
    .map(
      (k) =>
        `| ${k} | ${ROLES.map((r) => capabilityCell(SHARED_DOCUMENT_ACCESS[k][r])).join(' | ')} |`,
    )
    .join('\n');
  const ratingRow = (label: string, ownerId: string | null, revealed: boolean): string =>
    `| ${label} | ${ROLES.map((r) =>
      capabilityCell(
        documentCapabilities({ userId: 'me', role: r }, { kind: 'ratings', ownerId, revealed }),
      ),
    ).join(' | ')} |`;
  const ratings = [
    ratingRow('ratings: my own, before reveal', 'me', false),
    ratingRow("ratings: someone else's, before reveal", 'other', false),
    ratingRow('ratings: my own, after reveal', 'me', true),
    ratingRow("ratings: someone else's, after reveal", 'other', true),
  ].join('\n');
  return `${head}${actions}\n\n${docHead}${shared}\n${ratings}\n`;
}
