/**
 * What the sync server's rating rounds read and write in the database, one statement each: the
 * instrument a round rates, the ratings documents and raters of it, who each rater key stands
 * for (round_raters), and the audit entry of a reveal. The round's state itself is in the
 * instrument's Yjs document. Used by the sync server (it runs the rounds) and the web app (a
 * facilitator's page reads who is who in an anonymised round; a rater's, which key is theirs).
 */
import { z } from 'zod';
import type { SqlSession, Statement } from './sql-runner.js';

const Instrument = z.object({
  id: z.string(),
  workspace_id: z.string(),
  kind: z.enum(['prerequisites', 'assessment']),
  template_id: z.string().nullable(),
  template_version: z.coerce.number().nullable(),
});

export interface InstrumentFacts {
  id: string;
  workspaceId: string;
  kind: 'prerequisites' | 'assessment';
  templateId: string | null;
  templateVersion: number | null;
}

const INSTRUMENT: Statement = {
  name: 'concord_round_instrument',
  text: `select id::text as id, workspace_id::text as workspace_id, kind, template_id, template_version
     from documents where id = $1::uuid and kind in ('prerequisites', 'assessment')`,
};

/** The checklist or assessment `documentId`, or null when it is not one. */
export async function instrumentFacts(
  sql: SqlSession,
  documentId: string,
): Promise<InstrumentFacts | null> {
  const [row] = await sql.query(INSTRUMENT, [documentId]);
  if (!row) return null;
  const r = Instrument.parse(row);
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    kind: r.kind,
    templateId: r.template_id,
    templateVersion: r.template_version,
  };
}

const RATINGS_DOCUMENT: Statement = {
  name: 'concord_round_ratings_document',
  text: `select parent_id::text as parent_id, owner_id::text as owner_id
     from documents where id = $1::uuid and kind = 'ratings'`,
};

/** For a rater's ratings document: the instrument it rates and the rater. */
export async function ratingsDocumentFacts(
  sql: SqlSession,
  documentId: string,
): Promise<{ parentId: string; ownerId: string } | null> {
  const [row] = await sql.query<{ parent_id: string; owner_id: string }>(RATINGS_DOCUMENT, [
    documentId,
  ]);
  return row ? { parentId: row.parent_id, ownerId: row.owner_id } : null;
}

const RATINGS_DOCUMENTS: Statement = {
  name: 'concord_round_ratings_documents',
  text: `select id::text as id, owner_id::text as owner_id from documents
     where parent_id = $1::uuid and kind = 'ratings' order by created_at, id`,
};

/** Every rater's ratings document of an instrument. */
export async function ratingsDocuments(
  sql: SqlSession,
  instrumentId: string,
): Promise<{ documentId: string; ownerId: string }[]> {
  const rows = await sql.query<{ id: string; owner_id: string }>(RATINGS_DOCUMENTS, [instrumentId]);
  return rows.map((r) => ({ documentId: r.id, ownerId: r.owner_id }));
}

const RATERS: Statement = {
  name: 'concord_round_raters',
  text: `select m.user_id::text as user_id, u.display_name as name from memberships m
     join users u on u.id = m.user_id
     where m.workspace_id = $1::uuid and m.role = 'rater' order by u.display_name, u.id`,
};

/** The workspace's raters (members who rate), by name. */
export async function workspaceRaters(
  sql: SqlSession,
  workspaceId: string,
): Promise<{ userId: string; name: string }[]> {
  const rows = await sql.query<{ user_id: string; name: string }>(RATERS, [workspaceId]);
  return rows.map((r) => ({ userId: r.user_id, name: r.name }));
}

const USER_NAME: Statement = {
  name: 'concord_round_user_name',
  text: 'select display_name as name from users where id = $1::uuid',
};

export async function userName(sql: SqlSession, userId: string): Promise<string | null> {
  const [row] = await sql.query<{ name: string }>(USER_NAME, [userId]);
  return row?.name ?? null;
}

const ROUND_KEYS: Statement = {
  name: 'concord_round_keys',
  text: `select r.user_id::text as user_id, r.rater_key, u.display_name as name
     from round_raters r join users u on u.id = r.user_id
     where r.document_id = $1::uuid and r.round_id = $2 order by r.rater_key`,
};

export interface RoundRater {
  userId: string;
  raterKey: string;
  name: string;
}

/** Who each rater key of a round stands for. */
export async function roundRaters(
  sql: SqlSession,
  documentId: string,
  roundId: string,
): Promise<RoundRater[]> {
  const rows = await sql.query<{ user_id: string; rater_key: string; name: string }>(ROUND_KEYS, [
    documentId,
    roundId,
  ]);
  return rows.map((r) => ({ userId: r.user_id, raterKey: r.rater_key, name: r.name }));
}

const ADD_ROUND_RATERS: Statement = {
  name: 'concord_round_add_raters',
  text: `insert into round_raters (document_id, round_id, user_id, rater_key)
     select $1::uuid, $2, u, k from unnest($3::uuid[], $4::text[]) as t(u, k)
     on conflict do nothing`,
};

/** Records rater keys of a round (a key already given is kept). */
export async function addRoundRaters(
  sql: SqlSession,
  documentId: string,
  roundId: string,
  raters: readonly { userId: string; raterKey: string }[],
): Promise<void> {
  if (raters.length === 0) return;
  await sql.query(ADD_ROUND_RATERS, [
    documentId,
    roundId,
    raters.map((r) => r.userId),
    raters.map((r) => r.raterKey),
  ]);
}

const AUDIT: Statement = {
  name: 'concord_round_audit',
  text: `insert into audit_log (workspace_id, actor_id, action, target, data)
     values ($1::uuid, $2::uuid, 'ratings.reveal', $3, $4::jsonb)`,
};

/** The audit entry of a reveal: who revealed which sections of which round of a document. */
export type { SqlSession } from './sql-runner.js';

export async function recordReveal(
  sql: SqlSession,
  entry: {
    workspaceId: string;
    actorId: string;
    documentId: string;
    roundId: string;
    sections: readonly string[];
  },
): Promise<void> {
  await sql.query(AUDIT, [
    entry.workspaceId,
    entry.actorId,
    `document:${entry.documentId}`,
    JSON.stringify({ round: entry.roundId, sections: entry.sections }),
  ]);
}

const ALL_ROUND_KEYS: Statement = {
  name: 'concord_round_all_keys',
  text: `select r.round_id, r.user_id::text as user_id, r.rater_key, u.display_name as name
     from round_raters r join users u on u.id = r.user_id
     where r.document_id = $1::uuid order by r.round_id, r.rater_key`,
};

/** Who each rater key stands for, in every round of a document (round id → raters). */
export async function documentRoundRaters(
  sql: SqlSession,
  documentId: string,
): Promise<Record<string, RoundRater[]>> {
  const rows = await sql.query<{
    round_id: string;
    user_id: string;
    rater_key: string;
    name: string;
  }>(ALL_ROUND_KEYS, [documentId]);
  const out: Record<string, RoundRater[]> = {};
  for (const r of rows) {
    (out[r.round_id] ??= []).push({ userId: r.user_id, raterKey: r.rater_key, name: r.name });
  }
  return out;
}
