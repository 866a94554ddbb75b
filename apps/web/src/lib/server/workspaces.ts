/**
 * Workspaces: the wizard that makes one from templates (one transaction: the workspace, its
 * schools, the creator's owner membership, one document per instrument with its initial Yjs
 * content, audit rows), who may open one (membership and role), and the lists the home page and
 * the workspace overview show.
 *
 * Membership is the only way in: a workspace someone is not a member of does not exist for them
 * (routes answer 404, never 403, so ids cannot be probed).
 */
import { type Role } from '@concord/auth/roles';
import { createDocumentStore, savepointRunner } from '@concord/db';
import { projectedDocument, projectStoredDocument } from '@concord/db/projection';
import { createAssessment, createChecklist, createPlan } from '@concord/documents';
import type { ChecklistTemplate, PlanTemplate, RubricTemplate } from '@concord/rubric-core';
import {
  knowledgeworksPlanTemplate,
  maPlnDistrictConditions,
  maPlnSchoolPlanning,
  schoolworksFundamentalPractices,
  schoolworksPrerequisites,
} from '@concord/rubric-core/templates';
import * as Y from 'yjs';
import { z } from 'zod';
import type { Db } from './db.js';
import {
  DistrictStepSchema,
  resolveDistrict,
  WizardInputError,
  type SchoolRef,
} from './districts.js';
import { formList, formText } from './form.js';
import { isUuid, statement, type SqlSession } from './sql-statement.js';
import { WORKSPACE_NAME_MAX_LENGTH } from './workspace-limits.js';
import type { InstrumentState } from '../instrument-state.js';
import { PLAN_YEARS_DEFAULT, PLAN_YEARS_MAX, planTitle } from '../school-year.js';

// ---- instruments ----

type InstrumentTemplate = ChecklistTemplate | RubricTemplate | PlanTemplate;

export interface Instrument {
  /** The wizard's checkbox value. */
  key: 'prerequisites' | 'district-conditions' | 'fundamental-practices' | 'plan';
  label: string;
  description: string;
  template: InstrumentTemplate;
}

/**
 * What the wizard offers, in the order a district meets them. The School Planning Tool is apart:
 * one per chosen school (SCHOOL_PLANNING).
 */
export const INSTRUMENTS: readonly Instrument[] = [
  {
    key: 'prerequisites',
    label: 'Prerequisites to Launch checklist',
    description: 'SchoolWorks: is the district ready to launch? Any barrier blocks launch.',
    template: schoolworksPrerequisites,
  },
  {
    key: 'district-conditions',
    label: 'District Conditions rubric',
    description: 'MA Personalized Learning: the district conditions for scaling, rated together.',
    template: maPlnDistrictConditions,
  },
  {
    key: 'fundamental-practices',
    label: 'Fundamental Practices rubric',
    description: 'SchoolWorks: fundamental practices in personalized learning.',
    template: schoolworksFundamentalPractices,
  },
  {
    key: 'plan',
    label: 'Strategic plan',
    description: 'KnowledgeWorks areas: vision, goals, action steps and metrics.',
    template: knowledgeworksPlanTemplate,
  },
];

export const INSTRUMENT_KEYS = INSTRUMENTS.map((i) => i.key) as [
  Instrument['key'],
  ...Instrument['key'][],
];

/** The School Planning Tool, one assessment per school the wizard ticks. */
export const SCHOOL_PLANNING = {
  label: 'School Planning Tool',
  description: 'MA Personalized Learning Network: one for each school you choose.',
  template: maPlnSchoolPlanning,
} as const;

// ---- wizard ----

/** The wizard's steps, in order; each validates its own fields before the next is shown. */
export const WIZARD_STEPS = ['workspace', 'district', 'instruments'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

/** "2026-27": a year and the next one's last two digits. */
const schoolYear = z
  .string({ error: 'Enter the school year, for example 2026-27.' })
  .trim()
  .regex(
    /^[0-9]{4}-[0-9]{2}$/,
    'Enter the school year as four digits, a dash, two digits: 2026-27.',
  )
  .refine((v) => (Number(v.slice(0, 4)) + 1) % 100 === Number(v.slice(5)), {
    message: 'The second year must follow the first, as in 2026-27.',
  })
  .refine((v) => Number(v.slice(0, 4)) >= 2000 && Number(v.slice(0, 4)) <= 2100, {
    message: 'Enter a school year between 2000-01 and 2100-01.',
  });

export const WorkspaceStepSchema = z.object({
  name: formText('a name for the workspace', WORKSPACE_NAME_MAX_LENGTH),
  schoolYear,
});

/** How many school years the strategic plan covers, from the workspace's (1 to 5). */
const planYears = z.preprocess(
  (v) => (v === undefined || v === '' ? PLAN_YEARS_DEFAULT : v),
  z.coerce
    .number({ error: `Choose how many years the plan covers, 1 to ${PLAN_YEARS_MAX}.` })
    .int(`Choose how many years the plan covers, 1 to ${PLAN_YEARS_MAX}.`)
    .min(1, `Choose how many years the plan covers, 1 to ${PLAN_YEARS_MAX}.`)
    .max(PLAN_YEARS_MAX, `Choose how many years the plan covers, 1 to ${PLAN_YEARS_MAX}.`),
);

export const InstrumentsStepSchema = z.object({
  instruments: formList(z.enum(INSTRUMENT_KEYS, { error: 'Choose from the list.' })),
  planYears,
  /** School names (the district step's schools) that get a School Planning Tool. */
  planningSchools: formList(z.string().trim().min(1)),
});

/** Every field of the wizard, checked together when the last step posts. */
export const WizardSchema = z
  .object({
    ...WorkspaceStepSchema.shape,
    ...InstrumentsStepSchema.shape,
  })
  .and(DistrictStepSchema)
  .superRefine((v, ctx) => {
    if (v.instruments.length + v.planningSchools.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['instruments'],
        message: 'Choose at least one instrument.',
      });
    }
  });

export type WizardInput = z.output<typeof WizardSchema>;

export const STEP_SCHEMAS = {
  workspace: WorkspaceStepSchema,
  district: DistrictStepSchema,
  instruments: InstrumentsStepSchema,
} as const;

// ---- creating ----

const INSERT_WORKSPACE = statement(
  'insert_workspace',
  `insert into workspaces (district_id, name, school_year, created_by)
   values ($1::uuid, $2, $3, $4::uuid) returning id`,
);
const INSERT_WORKSPACE_SCHOOLS = statement(
  'insert_workspace_schools',
  `insert into workspace_schools (workspace_id, school_id)
   select $1::uuid, unnest($2::uuid[])`,
);
const INSERT_OWNER = statement(
  'insert_owner',
  `insert into memberships (workspace_id, user_id, role) values ($1::uuid, $2::uuid, 'owner')`,
);
const INSERT_DOCUMENT = statement(
  'insert_document',
  `insert into documents (workspace_id, kind, template_id, template_version, title, school_id,
                          created_by)
   values ($1::uuid, $2, $3, $4::int, $5, $6::uuid, $7::uuid) returning id`,
);
export const INSERT_AUDIT = statement(
  'insert_audit',
  `insert into audit_log (workspace_id, actor_id, action, target, data)
   values ($1::uuid, $2::uuid, $3, $4, $5::jsonb)`,
);

/** One audit row, in the caller's transaction. */
export async function audit(
  tx: SqlSession,
  row: {
    workspaceId: string;
    actorId: string | null;
    action: string;
    target: string | null;
    data: Record<string, unknown>;
  },
): Promise<void> {
  await tx.query(INSERT_AUDIT, [
    row.workspaceId,
    row.actorId,
    row.action,
    row.target,
    JSON.stringify(row.data),
  ]);
}

interface PlannedDocument {
  kind: 'prerequisites' | 'assessment' | 'plan';
  template: InstrumentTemplate;
  title: string;
  school: SchoolRef | null;
}

function plannedDocuments(input: WizardInput, schools: SchoolRef[]): PlannedDocument[] {
  const docs: PlannedDocument[] = [];
  const chosen = (key: Instrument['key']) => input.instruments.includes(key);
  if (chosen('prerequisites')) {
    docs.push({
      kind: 'prerequisites',
      template: schoolworksPrerequisites,
      title: 'Prerequisites to Launch',
      school: null,
    });
  }
  if (chosen('district-conditions')) {
    docs.push({
      kind: 'assessment',
      template: maPlnDistrictConditions,
      title: 'District Conditions',
      school: null,
    });
  }
  for (const school of schools) {
    if (input.planningSchools.some((n) => n.toLowerCase() === school.name.toLowerCase())) {
      docs.push({
        kind: 'assessment',
        template: maPlnSchoolPlanning,
        title: `School Planning Tool: ${school.name}`,
        school,
      });
    }
  }
  if (chosen('fundamental-practices')) {
    docs.push({
      kind: 'assessment',
      template: schoolworksFundamentalPractices,
      title: 'Fundamental Practices',
      school: null,
    });
  }
  if (chosen('plan')) {
    docs.push({
      kind: 'plan',
      template: knowledgeworksPlanTemplate,
      title: planTitle(input.schoolYear, input.planYears),
      school: null,
    });
  }
  return docs;
}

/** The document's first state, laid out from its template by @concord/documents. */
function initialState(doc: PlannedDocument): Uint8Array {
  const ydoc = new Y.Doc();
  if (doc.template.kind === 'checklist') createChecklist(ydoc, doc.template);
  else if (doc.template.kind === 'rubric') createAssessment(ydoc, doc.template);
  else createPlan(ydoc, doc.template);
  const update = Y.encodeStateAsUpdate(ydoc);
  ydoc.destroy();
  return update;
}

export interface CreatedWorkspace {
  id: string;
  documentIds: string[];
}

export type CreateWorkspaceResult =
  | { ok: true; workspace: CreatedWorkspace }
  | { ok: false; status: 400 | 403; errors: Record<string, string> };

/**
 * Creates the workspace the wizard describes, in one transaction; `input` is WizardSchema's
 * output. A problem only the database can see (a district the person may not add a workspace
 * to, a school not in it) comes back as field errors with the status to answer (403 when the
 * person's role is what stands in the way), with nothing stored.
 */
export async function createWorkspace(
  db: Db,
  userId: string,
  input: WizardInput,
): Promise<CreateWorkspaceResult> {
  try {
    const workspace = await db.sql.transaction(async (tx) => {
      const district = await resolveDistrict(tx, userId, input);
      const docs = plannedDocuments(input, district.schools);
      const missing = input.planningSchools.filter(
        (n) => !district.schools.some((s) => s.name.toLowerCase() === n.toLowerCase()),
      );
      if (missing.length > 0) {
        throw new WizardInputError({
          planningSchools: `Choose School Planning Tools only for the workspace’s schools (not ${missing.join(', ')}).`,
        });
      }
      const [ws] = await tx.query<{ id: string }>(INSERT_WORKSPACE, [
        district.id,
        input.name,
        input.schoolYear,
        userId,
      ]);
      const workspaceId = ws!.id;
      await tx.query(INSERT_WORKSPACE_SCHOOLS, [workspaceId, district.schools.map((s) => s.id)]);
      await tx.query(INSERT_OWNER, [workspaceId, userId]);
      await audit(tx, {
        workspaceId,
        actorId: userId,
        action: 'workspace.create',
        target: `workspace:${workspaceId}`,
        data: {
          name: input.name,
          schoolYear: input.schoolYear,
          planYears: input.instruments.includes('plan') ? input.planYears : null,
          districtId: district.id,
          schoolIds: district.schools.map((s) => s.id),
        },
      });
      await audit(tx, {
        workspaceId,
        actorId: userId,
        action: 'membership.add',
        target: `user:${userId}`,
        data: { from: null, to: 'owner', role: 'owner', represents: null, schoolId: null },
      });
      // The store's transactions become savepoints: nothing commits before the wizard's COMMIT.
      const store = createDocumentStore({ sql: savepointRunner(tx, 'web_ws_store') });
      const documentIds: string[] = [];
      for (const doc of docs) {
        const [row] = await tx.query<{ id: string }>(INSERT_DOCUMENT, [
          workspaceId,
          doc.kind,
          doc.template.id,
          doc.template.version,
          doc.title,
          doc.school?.id ?? null,
          userId,
        ]);
        const documentId = row!.id;
        documentIds.push(documentId);
        await store.append([{ documentId, update: initialState(doc), author: userId }]);
        await audit(tx, {
          workspaceId,
          actorId: userId,
          action: 'document.create',
          target: `document:${documentId}`,
          data: {
            kind: doc.kind,
            templateId: doc.template.id,
            templateVersion: doc.template.version,
            title: doc.title,
            schoolId: doc.school?.id ?? null,
          },
        });
        // Its first row in the query tables, so the workspace page has its state from the
        // start (the sync server keeps it in step from the first edit on).
        const facts = await projectedDocument(tx, documentId);
        if (facts) await projectStoredDocument(tx, store, facts);
      }
      return { id: workspaceId, documentIds };
    });
    return { ok: true, workspace };
  } catch (error) {
    if (error instanceof WizardInputError) {
      return { ok: false, status: error.status, errors: error.errors };
    }
    throw error;
  }
}

// ---- access ----

export interface WorkspaceAccess {
  workspace: {
    id: string;
    name: string;
    schoolYear: string;
    districtId: string;
    districtName: string;
    districtState: string | null;
  };
  role: Role;
  represents: 'district' | 'school' | null;
  schoolId: string | null;
}

const ACCESS = statement(
  'access',
  `select w.id, w.name, w.school_year, w.district_id, d.name as district_name,
          d.state as district_state, m.role, m.represents, m.school_id
   from memberships m join workspaces w on w.id = m.workspace_id
   join districts d on d.id = w.district_id
   where m.workspace_id = $1::uuid and m.user_id = $2::uuid`,
);

/** The person's membership of the workspace, or null (not a member, or no such workspace). */
export async function workspaceAccess(
  db: SqlSession,
  workspaceId: string,
  userId: string,
): Promise<WorkspaceAccess | null> {
  if (!isUuid(workspaceId)) return null;
  const [row] = await db.query<{
    id: string;
    name: string;
    school_year: string;
    district_id: string;
    district_name: string;
    district_state: string | null;
    role: Role;
    represents: 'district' | 'school' | null;
    school_id: string | null;
  }>(ACCESS, [workspaceId, userId]);
  if (!row) return null;
  return {
    workspace: {
      id: row.id,
      name: row.name,
      schoolYear: row.school_year,
      districtId: row.district_id,
      districtName: row.district_name,
      districtState: row.district_state,
    },
    role: row.role,
    represents: row.represents,
    schoolId: row.school_id,
  };
}

// ---- lists ----

export interface WorkspaceDocument {
  id: string;
  kind: string;
  title: string;
  templateId: string | null;
  templateVersion: number | null;
  schoolName: string | null;
  /** What the query tables say of it; null before its first projection (or not an instrument). */
  state: InstrumentState | null;
}

const DOCUMENTS = statement(
  'documents',
  `select doc.id, doc.kind, doc.title, doc.template_id, doc.template_version, s.name as school_name,
          st.items_total, st.items_agreed, st.items_in_discussion, st.round_number, st.round_open,
          st.round_items, st.round_revealed, st.round_raters, st.round_raters_done, st.readiness,
          st.barriers
   from documents doc left join schools s on s.id = doc.school_id
   left join instrument_states st on st.document_id = doc.id
   where doc.workspace_id = $1::uuid and doc.parent_id is null
   order by doc.created_at, array_position($2::text[], doc.template_id), doc.title`,
);

/** Documents made together (one transaction, one created_at) are listed in the wizard's order. */
const TEMPLATE_ORDER = [
  schoolworksPrerequisites.id,
  maPlnDistrictConditions.id,
  maPlnSchoolPlanning.id,
  schoolworksFundamentalPractices.id,
  knowledgeworksPlanTemplate.id,
];

type StateColumns = {
  items_total: number | null;
  items_agreed: number | null;
  items_in_discussion: number | null;
  round_number: number | null;
  round_open: boolean | null;
  round_items: number | null;
  round_revealed: number | null;
  round_raters: number | null;
  round_raters_done: number | null;
  readiness: InstrumentState['readiness'];
  barriers: number | null;
};

function stateOf(r: StateColumns): InstrumentState | null {
  if (r.items_total === null) return null;
  return {
    itemsTotal: r.items_total,
    itemsAgreed: r.items_agreed ?? 0,
    itemsInDiscussion: r.items_in_discussion ?? 0,
    round:
      r.round_number === null
        ? null
        : {
            number: r.round_number,
            open: r.round_open === true,
            items: r.round_items ?? 0,
            revealed: r.round_revealed ?? 0,
            raters: r.round_raters ?? 0,
            ratersDone: r.round_raters_done ?? 0,
          },
    readiness: r.readiness,
    barriers: r.barriers,
  };
}

/** The workspace's instruments (top-level documents), in the order they were made, each with
 * its state as the query tables hold it (kept in step by the sync server's projector). */
export async function listWorkspaceDocuments(
  db: SqlSession,
  workspaceId: string,
): Promise<WorkspaceDocument[]> {
  const rows = await db.query<
    {
      id: string;
      kind: string;
      title: string;
      template_id: string | null;
      template_version: number | null;
      school_name: string | null;
    } & StateColumns
  >(DOCUMENTS, [workspaceId, TEMPLATE_ORDER]);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    templateId: r.template_id,
    templateVersion: r.template_version,
    schoolName: r.school_name,
    state: stateOf(r),
  }));
}

const WORKSPACE_SCHOOLS = statement(
  'workspace_schools',
  `select s.id, s.name from workspace_schools ws join schools s on s.id = ws.school_id
   where ws.workspace_id = $1::uuid order by s.name`,
);

/** The schools the workspace names, by name. */
export async function listWorkspaceSchools(
  db: SqlSession,
  workspaceId: string,
): Promise<SchoolRef[]> {
  return db.query<{ id: string; name: string }>(WORKSPACE_SCHOOLS, [workspaceId]);
}

export interface MyWorkspace {
  id: string;
  name: string;
  schoolYear: string;
  districtName: string;
  role: Role;
  instruments: number;
  members: number;
  /** Items agreed of all items of its instruments; null before any is projected. */
  agreed: { agreed: number; total: number } | null;
}

const MY_WORKSPACES = statement(
  'my_workspaces',
  `select w.id, w.name, w.school_year, d.name as district_name, m.role,
          (select count(*)::int from documents doc
           where doc.workspace_id = w.id and doc.parent_id is null) as instruments,
          (select count(*)::int from memberships mm where mm.workspace_id = w.id) as members,
          st.items_agreed, st.items_total
   from memberships m join workspaces w on w.id = m.workspace_id
   left join lateral (
     select sum(s.items_agreed)::int as items_agreed, sum(s.items_total)::int as items_total
     from instrument_states s where s.workspace_id = w.id
   ) st on true
   join districts d on d.id = w.district_id
   where m.user_id = $1::uuid
   order by w.created_at desc, w.name`,
);

/**
 * Every workspace the person is a member of, newest first, with their role and what it holds
 * (instruments, members: always current) and the items its team has agreed of all its
 * instruments' items (the query tables, kept in step by the sync server). A rater's own progress
 * is not here: see instrument-progress.ts.
 */
export async function listMyWorkspaces(db: SqlSession, userId: string): Promise<MyWorkspace[]> {
  const rows = await db.query<{
    id: string;
    name: string;
    school_year: string;
    district_name: string;
    role: Role;
    instruments: number;
    members: number;
    items_agreed: number | null;
    items_total: number | null;
  }>(MY_WORKSPACES, [userId]);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    schoolYear: r.school_year,
    districtName: r.district_name,
    role: r.role,
    instruments: r.instruments,
    members: r.members,
    agreed: r.items_total ? { agreed: r.items_agreed ?? 0, total: r.items_total } : null,
  }));
}
