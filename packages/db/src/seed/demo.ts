/**
 * seedDemo: the demo workspace of MISSION.md in an empty (or any) database, all in one
 * transaction and only once. Records go in as rows; document content goes in through the
 * DocumentStore as real Yjs updates, one per edit, each attributed to the person who made it, so
 * the history view has a real history to show. The query tables are filled from the same
 * documents through the projection's own mapping and writer (projection-rows.ts, projection.ts),
 * so they hold what the sync server's projector would: the team's decisions and only the ratings
 * a round has revealed, never a rater's private ratings.
 *
 * The Prerequisites checklist has had a rating round: the facilitator opened round 1 (named) over
 * its one section, each rater rated blind in their own ratings document (the round's progress
 * kept in step, counts only), the facilitator revealed it (the snapshot in the checklist, freeze
 * marks in every ratings document, a `ratings.reveal` audit entry, as the sync server writes
 * them) and the team then decided five categories. The District Conditions ratings are still
 * blind: no round yet, so nothing of them is in the query tables.
 *
 * Idempotent: the workspace has a fixed id; a second run finds it and changes nothing. A
 * transaction-level advisory lock makes two seeds racing (the start script and a manual run)
 * take turns, so the second also finds it.
 */
import { hashPassword, passwordProblem, PASSWORD_PROBLEM_TEXT } from '@concord/auth';
import {
  addActionStep,
  addGoal,
  progressOf,
  addMetric,
  addThread,
  categoryEvidence,
  createAssessment,
  createChecklist,
  createComments,
  createPlan,
  createRatings,
  indicatorEvidence,
  ratingNote,
  readRatings,
  recordActual,
  replaceRichText,
  reply,
  sectionItems,
  setCategoryStatus,
  setRating,
  setTeamRating,
  visionText,
  writeFrozen,
  writeOpenRound,
  writeProgress,
  writeReveal,
} from '@concord/documents';
import {
  knowledgeworksPlanTemplate as planTemplate,
  maPlnDistrictConditions as rubric,
  schoolworksPrerequisites as checklist,
} from '@concord/rubric-core/templates';
import * as Y from 'yjs';
import type { DbHandle } from '../create-db.js';
import { InvalidInputError } from '../errors.js';
import { savepointRunner, type SqlSession, type Statement } from '../sql-runner.js';
import {
  instrumentRows,
  planRows,
  projectedDocument,
  writePlanProjection,
  writeProjection,
  type RaterUsers,
} from '../projection.js';
import { addRoundRaters } from '../rounds.js';
import { createDocumentStore } from '../sql-store.js';
import type { AppendEntry } from '../store.js';
import {
  AT,
  DC_EVIDENCE,
  DC_NOTES,
  DC_RATINGS,
  DEMO_DISTRICT,
  DEMO_PASSWORD,
  DEMO_SCHOOLS,
  DEMO_WORKSPACE,
  DOCUMENT_IDS,
  PEOPLE,
  PLAN,
  PREREQUISITES,
  RATERS,
  type DemoPerson,
  type PersonKey,
} from './demo-data.js';

export interface SeedOptions {
  /** The one password of every demo account (default DEMO_PASSWORD); must pass passwordProblem. */
  password?: string | undefined;
}

export interface SignIn {
  email: string;
  password: string;
  name: string;
  role: DemoPerson['role'];
  /** "district", the school's name, or null for members who do not rate. */
  represents: string | null;
}

export interface SeedResult {
  /** False when the demo workspace was already there (nothing was changed). */
  created: boolean;
  workspaceId: string;
  signIns: SignIn[];
}

/** Advisory lock class for seeding (the second key is fixed: there is one demo). */
const SEED_LOCK = [0x73656564 /* "seed" */, 1] as const;

const st = (name: string, text: string): Statement => ({ name: `concord_seed_${name}`, text });

const LOCK = st('lock', 'select pg_advisory_xact_lock($1::int, $2::int)');
const EXISTS = st('exists', 'select 1 as found from workspaces where id = $1::uuid');

/** Column types per table, for inserting JSON rows through json_to_recordset. */
const TABLES = {
  districts: { id: 'uuid', name: 'text', state: 'text' },
  schools: { id: 'uuid', district_id: 'uuid', name: 'text' },
  users: { id: 'uuid', email: 'text', display_name: 'text' },
  password_credentials: { user_id: 'uuid', password_hash: 'text' },
  workspaces: {
    id: 'uuid',
    district_id: 'uuid',
    name: 'text',
    school_year: 'text',
    created_by: 'uuid',
  },
  workspace_schools: { workspace_id: 'uuid', school_id: 'uuid' },
  memberships: {
    workspace_id: 'uuid',
    user_id: 'uuid',
    role: 'text',
    represents: 'text',
    school_id: 'uuid',
  },
  documents: {
    id: 'uuid',
    workspace_id: 'uuid',
    kind: 'text',
    parent_id: 'uuid',
    template_id: 'text',
    template_version: 'int',
    title: 'text',
    owner_id: 'uuid',
    created_by: 'uuid',
  },
  audit_log: {
    workspace_id: 'uuid',
    actor_id: 'uuid',
    action: 'text',
    target: 'text',
    data: 'jsonb',
    created_at: 'timestamptz',
  },
} as const;

type Table = keyof typeof TABLES;
type RowOf<T extends Table> = { [K in keyof (typeof TABLES)[T]]: unknown };

const INSERT = Object.fromEntries(
  Object.entries(TABLES).map(([table, columns]) => {
    const names = Object.keys(columns);
    const types = Object.entries(columns).map(([n, t]) => `${n} ${t}`);
    return [
      table,
      st(
        `insert_${table}`,
        `insert into ${table} (${names.join(', ')}) select ${names.join(', ')} ` +
          `from json_to_recordset($1::json) as r(${types.join(', ')})`,
      ),
    ];
  }),
) as Record<Table, Statement>;

async function insert<T extends Table>(tx: SqlSession, table: T, rows: RowOf<T>[]): Promise<void> {
  if (rows.length > 0) await tx.query(INSERT[table], [JSON.stringify(rows)]);
}

/**
 * Seeds the demo workspace unless it exists. Throws InvalidInputError for a password that would
 * be refused at sign-up; a database error (e.g. one of the demo emails already taken by a real
 * account) rolls everything back.
 */
export async function seedDemo(
  handle: Pick<DbHandle, 'sql'>,
  options: SeedOptions = {},
): Promise<SeedResult> {
  const password = options.password ?? DEMO_PASSWORD;
  const problems = Object.values(PEOPLE).flatMap((p) => {
    const problem = passwordProblem(password, p.email);
    return problem ? [`password: ${PASSWORD_PROBLEM_TEXT[problem]} (for ${p.email})`] : [];
  });
  if (problems.length > 0) throw new InvalidInputError([...new Set(problems)]);
  const result = (created: boolean): SeedResult => ({
    created,
    workspaceId: DEMO_WORKSPACE.id,
    signIns: signIns(password),
  });

  // Cheap check first, so an existing demo costs no password hashing.
  if ((await handle.sql.query(EXISTS, [DEMO_WORKSPACE.id])).length > 0) return result(false);
  // One argon2id hash for every demo account: they share the password, and hashing is slow.
  const passwordHash = await hashPassword(password);
  const documents = buildDocuments();

  const created = await handle.sql.transaction(async (tx) => {
    await tx.query(LOCK, [...SEED_LOCK]);
    if ((await tx.query(EXISTS, [DEMO_WORKSPACE.id])).length > 0) return false;
    await insertRecords(tx, passwordHash);
    // The store's transactions become savepoints inside the seed's own.
    const store = createDocumentStore({ sql: savepointRunner(tx, 'concord_seed_store') });
    for (const doc of documents) {
      await store.append(doc.updates.map((u) => ({ documentId: doc.id, ...u })));
    }
    await store.markVersion(DOCUMENT_IDS.plan, {
      kind: 'named',
      label: 'First draft for cabinet',
      author: PEOPLE.facilitator.id,
    });
    await addRoundRaters(tx, DOCUMENT_IDS.prerequisites, PRE_ROUND, preRoundRaters());
    await insertQueryRows(tx, documents);
    return true;
  });
  return result(created);
}

function signIns(password: string): SignIn[] {
  const schools = new Map(Object.values(DEMO_SCHOOLS).map((s) => [s.id, s.name]));
  return Object.values(PEOPLE).map((p) => ({
    email: p.email,
    password,
    name: p.name,
    role: p.role,
    represents:
      p.represents === 'school' ? (schools.get(p.schoolId!) ?? null) : (p.represents ?? null),
  }));
}

async function insertRecords(tx: SqlSession, passwordHash: string): Promise<void> {
  const people = Object.values(PEOPLE);
  const ws = DEMO_WORKSPACE.id;
  await insert(tx, 'districts', [DEMO_DISTRICT]);
  await insert(
    tx,
    'schools',
    Object.values(DEMO_SCHOOLS).map((s) => ({ ...s, district_id: DEMO_DISTRICT.id })),
  );
  await insert(
    tx,
    'users',
    people.map((p) => ({ id: p.id, email: p.email, display_name: p.name })),
  );
  await insert(
    tx,
    'password_credentials',
    people.map((p) => ({ user_id: p.id, password_hash: passwordHash })),
  );
  await insert(tx, 'workspaces', [
    {
      id: ws,
      district_id: DEMO_DISTRICT.id,
      name: DEMO_WORKSPACE.name,
      school_year: DEMO_WORKSPACE.schoolYear,
      created_by: PEOPLE.owner.id,
    },
  ]);
  await insert(
    tx,
    'workspace_schools',
    Object.values(DEMO_SCHOOLS).map((s) => ({ workspace_id: ws, school_id: s.id })),
  );
  await insert(
    tx,
    'memberships',
    people.map((p) => ({
      workspace_id: ws,
      user_id: p.id,
      role: p.role,
      represents: p.represents,
      school_id: p.schoolId,
    })),
  );
  const fac = PEOPLE.facilitator.id;
  const doc = (
    id: string,
    kind: string,
    title: string,
    template: { id: string; version: number } | null,
    extra: { parent_id?: string; owner_id?: string; created_by?: string } = {},
  ) => ({
    id,
    workspace_id: ws,
    kind,
    parent_id: extra.parent_id ?? null,
    template_id: template?.id ?? null,
    template_version: template?.version ?? null,
    title,
    owner_id: extra.owner_id ?? null,
    created_by: extra.created_by ?? fac,
  });
  await insert(tx, 'documents', [
    doc(DOCUMENT_IDS.prerequisites, 'prerequisites', 'Prerequisites to Launch', checklist),
    doc(DOCUMENT_IDS.assessment, 'assessment', 'District Conditions', rubric),
    doc(DOCUMENT_IDS.plan, 'plan', 'Strategic plan 2026-2031', planTemplate),
    doc(DOCUMENT_IDS.planComments, 'comments', 'Comments on the strategic plan', null, {
      parent_id: DOCUMENT_IDS.plan,
    }),
    ...RATERS.map((key, i) =>
      doc(DOCUMENT_IDS.ratings(i), 'ratings', `District Conditions: ${PEOPLE[key].name}`, rubric, {
        parent_id: DOCUMENT_IDS.assessment,
        owner_id: PEOPLE[key].id,
      }),
    ),
    // Made by each rater on their first visit to the checklist, as the web app makes them.
    ...RATERS.map((key, i) =>
      doc(
        DOCUMENT_IDS.prerequisiteRatings(i),
        'ratings',
        `Prerequisites to Launch: ${PEOPLE[key].name}`,
        checklist,
        {
          parent_id: DOCUMENT_IDS.prerequisites,
          owner_id: PEOPLE[key].id,
          created_by: PEOPLE[key].id,
        },
      ),
    ),
  ]);
  await insert(tx, 'audit_log', [
    {
      workspace_id: ws,
      actor_id: PEOPLE.owner.id,
      action: 'workspace.create',
      target: `workspace:${ws}`,
      data: { name: DEMO_WORKSPACE.name, seed: 'demo' },
      created_at: AT.kickoff,
    },
    ...people.map((p) => ({
      workspace_id: ws,
      actor_id: PEOPLE.owner.id,
      action: 'membership.add',
      target: `user:${p.id}`,
      data: { role: p.role, represents: p.represents, schoolId: p.schoolId },
      created_at: AT.kickoff,
    })),
    {
      workspace_id: ws,
      actor_id: fac,
      action: 'ratings.reveal',
      target: `document:${DOCUMENT_IDS.prerequisites}`,
      data: { round: PRE_ROUND, sections: PRE_SECTIONS },
      created_at: AT.prerequisitesReveal,
    },
  ]);
}

// ---- the Prerequisites round ----

/** Round 1 of the Prerequisites checklist, over its one section. */
const PRE_ROUND = 'r1';
const PRE_SECTIONS = checklist.sections.map((s) => s.id);

/**
 * The round's raters as the sync server keys them when it opens a named round: every rater of
 * the workspace, by name, the key being the user id.
 */
function preRoundRaters(): { userId: string; raterKey: string; name: string }[] {
  return RATERS.map((key) => PEOPLE[key])
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1))
    .map((p) => ({ userId: p.id, raterKey: p.id, name: p.name }));
}

// ---- documents: built as Y.Docs, one update per edit, attributed ----

interface BuiltDocument {
  id: string;
  doc: Y.Doc;
  updates: Omit<AppendEntry, 'documentId'>[];
}

/** A Y.Doc that records each transaction as one update by whoever `as` says is editing. */
function recorder(id: string) {
  const built: BuiltDocument = { id, doc: new Y.Doc(), updates: [] };
  let author: DemoPerson = PEOPLE.facilitator;
  built.doc.on('update', (update: Uint8Array) => {
    built.updates.push({ update, author: author.id });
  });
  const as = (who: PersonKey, edit: (doc: Y.Doc) => void) => {
    author = PEOPLE[who];
    // Each person edits from their own Yjs client, as they would in their browser.
    built.doc.clientID = author.clientId;
    edit(built.doc);
  };
  return { built, as };
}

function buildDocuments(): BuiltDocument[] {
  const decided = { by: PEOPLE.facilitator.id, at: AT.prerequisites };

  const pre = recorder(DOCUMENT_IDS.prerequisites);
  pre.as('facilitator', (d) => createChecklist(d, checklist));
  for (const e of PREREQUISITES.evidence) {
    pre.as(e.by, (d) => replaceRichText(categoryEvidence(d, checklist, e.id), e.text));
  }
  // Round 1, as the sync server writes it for the facilitator: opened, each rater's progress as
  // they rate (attributed to them), revealed with freeze marks in every ratings document.
  const keyed = preRoundRaters();
  pre.as('facilitator', (d) =>
    writeOpenRound(
      d,
      1,
      { sections: PRE_SECTIONS, anonymised: false, deadline: '2026-09-15' },
      Object.fromEntries(keyed.map((k) => [k.raterKey, k.name])),
      { by: PEOPLE.facilitator.id, at: AT.prerequisitesRound },
    ),
  );
  const preRatings = RATERS.map((key, i) => {
    const r = recorder(DOCUMENT_IDS.prerequisiteRatings(i));
    r.as(key, (d) => createRatings(d, checklist));
    for (const [id, values] of Object.entries(PREREQUISITES.ratings)) {
      const value = values[i];
      if (value !== null && value !== undefined)
        r.as(key, (d) => setRating(d, checklist, id, value));
    }
    const counts = progressOf(
      checklist,
      { sections: PRE_SECTIONS },
      readRatings(r.built.doc, checklist),
    );
    pre.as(key, (d) => writeProgress(d, PRE_ROUND, PEOPLE[key].id, counts));
    return r;
  });
  // The snapshot as the server takes it: per section, per item, every rater of the round.
  const levels = new Map(
    RATERS.map((key, i) => [PEOPLE[key].id, readRatings(preRatings[i]!.built.doc, checklist)]),
  );
  const bySection = sectionItems(checklist, PRE_SECTIONS);
  const snapshots = Object.fromEntries(
    [...bySection].map(([section, ids]) => [
      section,
      Object.fromEntries(
        ids.map((id) => [
          id,
          Object.fromEntries(keyed.map((k) => [k.raterKey, levels.get(k.userId)?.[id] ?? null])),
        ]),
      ),
    ]),
  );
  pre.as('facilitator', (d) =>
    writeReveal(d, PRE_ROUND, snapshots, {
      by: PEOPLE.facilitator.id,
      at: AT.prerequisitesReveal,
    }),
  );
  const revealedItems = [...bySection.values()].flat();
  for (const r of preRatings) {
    r.as('facilitator', (d) => writeFrozen(d, revealedItems, PRE_ROUND));
  }
  for (const [id, value] of Object.entries(PREREQUISITES.teamRatings)) {
    pre.as('facilitator', (d) =>
      setTeamRating(d, checklist, {
        indicatorId: id,
        value,
        ...decided,
        rationale: PREREQUISITES.rationale[id],
      }),
    );
  }
  for (const id of PREREQUISITES.inDiscussion) {
    pre.as('facilitator', (d) => setCategoryStatus(d, checklist, id, 'in-discussion'));
  }

  const assessment = recorder(DOCUMENT_IDS.assessment);
  assessment.as('facilitator', (d) => createAssessment(d, rubric));
  for (const e of DC_EVIDENCE) {
    assessment.as(e.by, (d) => replaceRichText(indicatorEvidence(d, rubric, e.id), e.text));
  }

  const ratings = RATERS.map((key, i) => {
    const r = recorder(DOCUMENT_IDS.ratings(i));
    r.as('facilitator', (d) => createRatings(d, rubric));
    for (const [id, values] of Object.entries(DC_RATINGS)) {
      const value = values[i];
      if (value !== null && value !== undefined) r.as(key, (d) => setRating(d, rubric, id, value));
    }
    for (const note of DC_NOTES.filter((n) => n.by === key)) {
      r.as(key, (d) => replaceRichText(ratingNote(d, rubric, note.id), note.text));
    }
    return r.built;
  });

  const plan = recorder(DOCUMENT_IDS.plan);
  plan.as('facilitator', (d) => createPlan(d, planTemplate));
  plan.as('facilitator', (d) => replaceRichText(visionText(d), PLAN.vision));
  for (const g of PLAN.goals) {
    plan.as(g.by, (d) =>
      addGoal(d, planTemplate, {
        id: g.id,
        area: g.area,
        title: g.title,
        statement: g.statement,
        owners: g.owners.map(ownerValue),
        phase: g.phase,
        startDate: g.startDate,
        dueDate: g.dueDate,
        status: g.status,
        confidence: g.confidence,
        indicators: [...g.indicators],
        createdBy: PEOPLE[g.by].id,
        createdAt: AT.plan,
      }),
    );
    for (const s of g.steps) {
      plan.as(g.by, (d) =>
        addActionStep(d, g.id, {
          id: s.id,
          title: s.title,
          owner: ownerValue(s.owner),
          dueDate: s.dueDate,
          status: s.status,
          createdAt: AT.plan,
        }),
      );
    }
  }
  const m = PLAN.metric;
  plan.as(m.by, (d) =>
    addMetric(d, planTemplate, {
      id: m.id,
      name: m.name,
      goalId: m.goalId,
      unit: m.unit,
      source: m.source,
      templateIndicator: m.templateIndicator,
      baseline: { ...m.baseline },
      target: { ...m.target },
      createdAt: AT.plan,
    }),
  );
  for (const actual of m.actuals) {
    plan.as(m.by, (d) => recordActual(d, planTemplate, m.id, actual));
  }

  const comments = recorder(DOCUMENT_IDS.planComments);
  const c = PLAN.comment;
  comments.as('facilitator', (d) => createComments(d));
  comments.as(c.by, (d) =>
    addThread(d, {
      threadId: 'thread-devices-date',
      anchor: { kind: 'goal', id: c.goalId },
      author: PEOPLE[c.by].id,
      body: c.body,
      at: AT.comment,
    }),
  );
  comments.as(c.reply.by, (d) =>
    reply(d, 'thread-devices-date', {
      author: PEOPLE[c.reply.by].id,
      body: c.reply.body,
      at: AT.comment,
      mentions: [PEOPLE[c.by].id],
    }),
  );

  return [
    pre.built,
    ...preRatings.map((r) => r.built),
    assessment.built,
    ...ratings,
    plan.built,
    comments.built,
  ];
}

/** A person's user id when `owner` names a demo person, else the text as given (a job title). */
function ownerValue(owner: string): string {
  return owner in PEOPLE ? PEOPLE[owner as PersonKey].id : owner;
}

// ---- query tables, from the documents as the readers see them ----

async function insertQueryRows(tx: SqlSession, built: BuiltDocument[]): Promise<void> {
  const ws = DEMO_WORKSPACE.id;
  const docOf = (id: string) => built.find((b) => b.id === id)!.doc;

  // consensus and ratings as the sync server's projector writes them: the decisions, and the
  // ratings only a round has revealed (the Prerequisites round; District Conditions has none).
  const preRaters: RaterUsers = {
    [PRE_ROUND]: Object.fromEntries(preRoundRaters().map((k) => [k.raterKey, k.userId])),
  };
  for (const [documentId, template, raters] of [
    [DOCUMENT_IDS.prerequisites, checklist, preRaters],
    [DOCUMENT_IDS.assessment, rubric, {}],
  ] as const) {
    // The documents' updates are stored above: their head_seq is what these rows cover.
    const facts = await projectedDocument(tx, documentId);
    await writeProjection(
      tx,
      facts ?? { documentId, workspaceId: ws, headSeq: 0 },
      instrumentRows(docOf(documentId), template, raters),
    );
  }

  // goals, action steps and metrics as the projector writes them from the plan.
  const plan = await projectedDocument(tx, DOCUMENT_IDS.plan);
  await writePlanProjection(
    tx,
    plan ?? { documentId: DOCUMENT_IDS.plan, workspaceId: ws, headSeq: 0 },
    planRows(docOf(DOCUMENT_IDS.plan), planTemplate),
  );
}
