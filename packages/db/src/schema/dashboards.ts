/**
 * Query tables for dashboards: revealed ratings (every round's), consensus, each instrument's
 * state (its latest round, decisions, readiness and section scores) and the plan (goals and
 * every owner of each, action steps, metrics and their measurements over time) as plain rows, kept in step with the Yjs documents by the sync server's
 * projector (apps/sync-server/src/projection; rebuilt by `concord-project`), so a dashboard is
 * one SQL query instead of decoding documents. The documents stay the source of truth:
 * these rows can always be rebuilt from them.
 *
 * Each row carries its workspace and a composite foreign key (document_id, workspace_id), so a row
 * can never claim a document of another workspace and a dashboard filters on one column.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { oneOf, timestamptz } from './columns.js';
import { documents } from './documents.js';
import {
  ACTION_STEP_STATUSES,
  CONSENSUS_STATUSES,
  GOAL_CONFIDENCE,
  LAUNCH_READINESS,
} from './enums.js';
import { workspaces } from './organisations.js';

/** Ids copied from templates and documents (indicator ids, goal ids, statuses): slugs. */
const SLUG = `'^[A-Za-z0-9][A-Za-z0-9._:-]*$'`;

export const ratings = pgTable(
  'ratings',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** The rated document (assessment or prerequisites), not the rater's private document. */
    documentId: uuid('document_id').notNull(),
    indicatorId: text('indicator_id').notNull(),
    raterId: uuid('rater_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The round whose reveal this is ("r1", "r2", …): a second round keeps the first's rows. */
    roundId: text('round_id').notNull(),
    /** A level value of the template's scale (rubric-core: integer 0-100); null = not rated. */
    value: integer('value'),
    note: text('note'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({
      name: 'ratings_pkey',
      columns: [t.documentId, t.indicatorId, t.raterId, t.roundId],
    }),
    check('ratings_round_id', sql`${t.roundId} ~ '^r[0-9]{1,6}$'`),
    foreignKey({
      name: 'ratings_document_fk',
      columns: [t.documentId, t.workspaceId],
      foreignColumns: [documents.id, documents.workspaceId],
    }).onDelete('cascade'),
    check('ratings_value_range', sql`${t.value} between 0 and 100`),
    check('ratings_indicator_slug', sql`${t.indicatorId} ~ ${sql.raw(SLUG)}`),
    index('ratings_workspace_idx').on(t.workspaceId),
  ],
);

export const consensus = pgTable(
  'consensus',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id').notNull(),
    indicatorId: text('indicator_id').notNull(),
    value: integer('value'),
    rationale: text('rationale'),
    status: text('status', { enum: CONSENSUS_STATUSES }).notNull().default('not-discussed'),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamptz('decided_at'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'consensus_pkey', columns: [t.documentId, t.indicatorId] }),
    foreignKey({
      name: 'consensus_document_fk',
      columns: [t.documentId, t.workspaceId],
      foreignColumns: [documents.id, documents.workspaceId],
    }).onDelete('cascade'),
    check('consensus_status', oneOf(t.status, CONSENSUS_STATUSES)),
    check('consensus_value_range', sql`${t.value} between 0 and 100`),
    check('consensus_indicator_slug', sql`${t.indicatorId} ~ ${sql.raw(SLUG)}`),
    // An agreed indicator has the agreed level and the moment it was decided.
    check(
      'consensus_agreed_is_decided',
      sql`${t.status} <> 'agreed' or (${t.value} is not null and ${t.decidedAt} is not null)`,
    ),
    index('consensus_workspace_idx').on(t.workspaceId),
  ],
);

/**
 * One row per checklist or assessment: what the workspace page and the dashboards show about it
 * without decoding the document. Round figures describe the latest round (null before the
 * first); readiness and barriers are the Prerequisites checklist's (null for an assessment);
 * section scores are rubric-core's (consensus where decided, else the median of the latest
 * revealed ratings).
 */
export const instrumentStates = pgTable(
  'instrument_states',
  {
    documentId: uuid('document_id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** Items the instrument rates (its template's active indicators or categories). */
    itemsTotal: integer('items_total').notNull(),
    itemsAgreed: integer('items_agreed').notNull(),
    itemsInDiscussion: integer('items_in_discussion').notNull(),
    roundNumber: integer('round_number'),
    roundOpen: boolean('round_open').notNull().default(false),
    /** Items the latest round rates, and how many of them are revealed. */
    roundItems: integer('round_items'),
    roundRevealed: integer('round_revealed'),
    /** Raters of the latest round, and how many have rated every item of it. */
    roundRaters: integer('round_raters'),
    roundRatersDone: integer('round_raters_done'),
    /** Launch readiness (checklists): ready, blocked or incomplete. */
    readiness: text('readiness', { enum: LAUNCH_READINESS }),
    /** Categories whose team rating is a Barrier to Launch (checklists). */
    barriers: integer('barriers'),
    /** rubric-core's section scores, as projection-rows.ts's SectionScoreRow[]. */
    sectionScores: jsonb('section_scores')
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** The document's head_seq when it was projected: a document whose head_seq is ahead has
     * changes the tables do not hold yet (the projector catches up on start). */
    projectedSeq: bigint('projected_seq', { mode: 'number' }).notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: 'instrument_states_document_fk',
      columns: [t.documentId, t.workspaceId],
      foreignColumns: [documents.id, documents.workspaceId],
    }).onDelete('cascade'),
    check('instrument_states_readiness', oneOf(t.readiness, LAUNCH_READINESS)),
    check(
      'instrument_states_counts',
      sql`${t.itemsAgreed} between 0 and ${t.itemsTotal} and ${t.itemsInDiscussion} >= 0`,
    ),
    index('instrument_states_workspace_idx').on(t.workspaceId),
  ],
);

/**
 * One row per plan document that has been projected into `goals`, `action_steps` and `metrics`:
 * how far the projection has come (projected_seq, as in instrument_states), so the projector
 * catches up on start with a plan changed after its last projection. updated_at moves when the
 * plan's rows last changed.
 */
export const planStates = pgTable(
  'plan_states',
  {
    documentId: uuid('document_id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** The document's head_seq when it was projected. */
    projectedSeq: bigint('projected_seq', { mode: 'number' }).notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: 'plan_states_document_fk',
      columns: [t.documentId, t.workspaceId],
      foreignColumns: [documents.id, documents.workspaceId],
    }).onDelete('cascade'),
    index('plan_states_workspace_idx').on(t.workspaceId),
  ],
);

export const goals = pgTable(
  'goals',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** The plan document the goal lives in. */
    documentId: uuid('document_id').notNull(),
    goalId: text('goal_id').notNull(),
    /** Plan area id from the plan template (e.g. "kw.curriculum") or a school's own area. */
    areaId: text('area_id').notNull(),
    title: text('title').notNull(),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    /** An owner who is not a Concord user ("Director of Curriculum"), or the owners as text. */
    ownerName: text('owner_name'),
    /** Plan year of the phase (1 = Year 1 planning ... 5 = Year 5 sustainability). */
    phaseYear: integer('phase_year'),
    startDate: date('start_date', { mode: 'string' }),
    dueDate: date('due_date', { mode: 'string' }),
    /** A status id of the plan template (built-in: not-started, on-track, at-risk, off-track,
     * complete); templates define their own, so this is a slug, not a fixed list. */
    status: text('status').notNull().default('not-started'),
    confidence: text('confidence', { enum: GOAL_CONFIDENCE }),
    /** Rubric indicators or prerequisite categories the goal addresses. */
    indicatorIds: text('indicator_ids')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'goals_pkey', columns: [t.documentId, t.goalId] }),
    foreignKey({
      name: 'goals_document_fk',
      columns: [t.documentId, t.workspaceId],
      foreignColumns: [documents.id, documents.workspaceId],
    }).onDelete('cascade'),
    check('goals_status_slug', sql`${t.status} ~ ${sql.raw(SLUG)}`),
    check('goals_confidence', oneOf(t.confidence, GOAL_CONFIDENCE)),
    check('goals_phase_year', sql`${t.phaseYear} between 1 and 20`),
    check('goals_dates_ordered', sql`${t.startDate} <= ${t.dueDate}`),
    check('goals_title_not_blank', sql`length(btrim(${t.title})) > 0`),
    index('goals_workspace_idx').on(t.workspaceId),
    index('goals_owner_idx').on(t.ownerId),
  ],
);

/**
 * Every owner of every goal, in the order the goal lists them: a Concord user (user_id) or a
 * name typed in for someone outside Concord (name), never both. `goals.owner_id` keeps only the
 * first user; "goals by owner" and My actions read this table, so a goal counts for each of its
 * owners. An owner naming a user who no longer exists is left out (and goes with the user).
 */
export const goalOwners = pgTable(
  'goal_owners',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id').notNull(),
    goalId: text('goal_id').notNull(),
    /** 0-based place among the goal's owners as the plan lists them. */
    position: integer('position').notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    name: text('name'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'goal_owners_pkey', columns: [t.documentId, t.goalId, t.position] }),
    foreignKey({
      name: 'goal_owners_goal_fk',
      columns: [t.documentId, t.goalId],
      foreignColumns: [goals.documentId, goals.goalId],
    }).onDelete('cascade'),
    foreignKey({
      name: 'goal_owners_document_fk',
      columns: [t.documentId, t.workspaceId],
      foreignColumns: [documents.id, documents.workspaceId],
    }).onDelete('cascade'),
    check('goal_owners_user_or_name', sql`(${t.userId} is null) <> (${t.name} is null)`),
    check('goal_owners_name_not_blank', sql`length(btrim(${t.name})) > 0`),
    check('goal_owners_position', sql`${t.position} >= 0`),
    index('goal_owners_workspace_idx').on(t.workspaceId),
    index('goal_owners_user_idx').on(t.userId),
  ],
);

export const actionSteps = pgTable(
  'action_steps',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id').notNull(),
    stepId: text('step_id').notNull(),
    goalId: text('goal_id').notNull(),
    title: text('title').notNull(),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    ownerName: text('owner_name'),
    dueDate: date('due_date', { mode: 'string' }),
    status: text('status', { enum: ACTION_STEP_STATUSES }).notNull().default('not-started'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'action_steps_pkey', columns: [t.documentId, t.stepId] }),
    foreignKey({
      name: 'action_steps_goal_fk',
      columns: [t.documentId, t.goalId],
      foreignColumns: [goals.documentId, goals.goalId],
    }).onDelete('cascade'),
    foreignKey({
      name: 'action_steps_document_fk',
      columns: [t.documentId, t.workspaceId],
      foreignColumns: [documents.id, documents.workspaceId],
    }).onDelete('cascade'),
    check('action_steps_status', oneOf(t.status, ACTION_STEP_STATUSES)),
    check('action_steps_title_not_blank', sql`length(btrim(${t.title})) > 0`),
    index('action_steps_workspace_idx').on(t.workspaceId),
  ],
);

export const metrics = pgTable(
  'metrics',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id').notNull(),
    metricId: text('metric_id').notNull(),
    /** "all" for the whole population, else "<subgroup id>" or "<subgroup id>:<value>", e.g.
     * "ethnicity:hispanic-latino" or "english-language-learners". */
    subgroup: text('subgroup').notNull().default('all'),
    goalId: text('goal_id'),
    name: text('name').notNull(),
    source: text('source'),
    unit: text('unit'),
    baseline: doublePrecision('baseline'),
    target: doublePrecision('target'),
    current: doublePrecision('current'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'metrics_pkey', columns: [t.documentId, t.metricId, t.subgroup] }),
    foreignKey({
      name: 'metrics_goal_fk',
      columns: [t.documentId, t.goalId],
      foreignColumns: [goals.documentId, goals.goalId],
    }).onDelete('cascade'),
    foreignKey({
      name: 'metrics_document_fk',
      columns: [t.documentId, t.workspaceId],
      foreignColumns: [documents.id, documents.workspaceId],
    }).onDelete('cascade'),
    check('metrics_subgroup_slug', sql`${t.subgroup} ~ ${sql.raw(SLUG)}`),
    check('metrics_name_not_blank', sql`length(btrim(${t.name})) > 0`),
    index('metrics_workspace_idx').on(t.workspaceId),
  ],
);

/**
 * The measurements of each plan metric over time, per subgroup (the plan document's `actuals`):
 * one row per metric, subgroup and day; when a day was measured twice, the later recording
 * wins, as it does for `metrics.current`. Baseline and target stay in `metrics`, whose row of
 * the same subgroup every measurement hangs off (a composite foreign key).
 */
export const metricValues = pgTable(
  'metric_values',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id').notNull(),
    metricId: text('metric_id').notNull(),
    subgroup: text('subgroup').notNull(),
    measuredOn: date('measured_on', { mode: 'string' }).notNull(),
    value: doublePrecision('value').notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({
      name: 'metric_values_pkey',
      columns: [t.documentId, t.metricId, t.subgroup, t.measuredOn],
    }),
    foreignKey({
      name: 'metric_values_metric_fk',
      columns: [t.documentId, t.metricId, t.subgroup],
      foreignColumns: [metrics.documentId, metrics.metricId, metrics.subgroup],
    }).onDelete('cascade'),
    foreignKey({
      name: 'metric_values_document_fk',
      columns: [t.documentId, t.workspaceId],
      foreignColumns: [documents.id, documents.workspaceId],
    }).onDelete('cascade'),
    index('metric_values_workspace_idx').on(t.workspaceId),
  ],
);
