/**
 * The document schema: every root name, map key and enumeration of Concord's Yjs documents, in
 * one place. Stored documents are made of these names, so a name here is never changed once
 * released; a change of shape raises SCHEMA_VERSION (stored in each document's `meta` map) and
 * comes with a migration (migrate.ts).
 *
 * Every document has a `meta` Y.Map: { schemaVersion, kind, templateId?, templateVersion? }.
 *
 * Schema v2 (this one). Rich text, the fields people write paragraphs in, is a Y.XmlFragment as
 * y-prosemirror (Tiptap 3's Collaboration extension) writes it for a StarterKit document:
 * Y.XmlElement blocks named by ProseMirror node (`paragraph`, `heading`, `bulletList` >
 * `listItem` > `paragraph`, …) holding Y.XmlText whose formatting attributes are the marks
 * (`bold`, `italic`, `link` { href }). Plain text written by a writer is one `paragraph` per
 * line; readers return plain text (blocks joined by '\n', marks dropped; rich-text.ts).
 * Short one-line fields (goal and step titles) stay Y.Text.
 * v1 had Y.Text in every text field. v1 → v2 (migrateDocument): each rich text field that holds a
 * Y.Text is replaced by a fragment with the same text as paragraphs; the plan's vision moves from
 * the root `vision` (a Y.Text: a root's type cannot change) to the root `visionRich`. Readers
 * still read a v1 document's Y.Texts.
 *
 * prerequisites / assessment (one leveled template instance)
 *   items: Y.Map<indicatorId, Y.Map>
 *     status     'not-discussed' | 'in-discussion' | 'agreed'  (absent = not discussed)
 *     decision   { value, by, at }        the team rating / consensus: ONE choice, last writer
 *                                         wins by design (absent = none recorded yet)
 *     rationale  Y.XmlFragment            why the group agreed (co-edited during discussion)
 *     evidence   Y.XmlFragment            evidence for the indicator or category
 *
 *   rounds     Y.Map<roundId, Y.Map>   rating rounds: settings, progress, revealed snapshots
 *              (round.ts; written by the sync server only)
 *
 * ratings (one rater's private ratings of a prerequisites or assessment document)
 *   ratings: Y.Map<indicatorId, number | null>   the level value; null = cleared / abstained
 *   notes:   Y.Map<indicatorId, Y.XmlFragment>   the rater's note
 *   frozen:  Y.Map<indicatorId, roundId>         revealed in that round, so fixed (server only)
 *
 * plan
 *   visionRich: Y.XmlFragment   the vision (v1: root `vision`, a Y.Text; emptied by migration)
 *   goals:   Y.Map<goalId, Y.Map>
 *     area, phase, status, confidence, startDate, dueDate, createdAt, createdBy: strings
 *     position: number   place among its area's goals (moveGoal numbers the whole area 0..n-1
 *                        in one transaction; absent = after the placed ones, by creation)
 *     title: Y.Text
 *     statement (the SMART goal): Y.XmlFragment
 *     owners, indicators: Y.Array<string>  (sets: readers drop duplicates)
 *     steps: Y.Map<stepId, Y.Map { title: Y.Text, owner, dueDate, status, createdAt, position }>
 *   metrics: Y.Map<metricId, Y.Map>
 *     name, goalId, source, unit, templateIndicator, outcomeMeasure, createdAt: strings
 *     baseline, target: Y.Map<subgroup, number>     subgroup "all" or "<id>" / "<id>:<value>"
 *     actuals: Y.Array<{ subgroup, date, value }>   measurements, appended
 *
 * comments (the threads of one parent document)
 *   threads: Y.Map<threadId, Y.Map>
 *     anchor     { kind: 'item', id } | { kind: 'text', field, start, end } (encoded
 *                Y.RelativePositions into the parent document's Y.Text named by `field`;
 *                ranges in rich text are for the editor to define, with y-prosemirror's
 *                relative positions)
 *     createdBy, createdAt: strings
 *     resolved   { by, at } | absent
 *     messages   Y.Array<{ id, author, body, createdAt, mentions }>  first = the comment
 *   reads: Y.Map<"<userId> <threadId> <replica>", number>   how many messages of the thread the
 *                person has seen (unread counts), one key per replica (Y.Doc client id) so that
 *                two tabs never write the same key; readers take the highest; each person writes
 *                only their own keys. (Before: Y.Map<userId, Y.Map<threadId, number>>, created
 *                lazily, which lost one replica's marks when two created it at once; still read.)
 *
 * Plain values stored in a map (a decision, a date) are replaced whole; text is always a Yjs type
 * (Y.Text or Y.XmlFragment), so concurrent edits merge character by character.
 */

/** Version of the shapes below. A reader meeting a newer version reads what it knows. */
export const SCHEMA_VERSION = 2;

/** Document kinds: @concord/auth's list (the capability table and the database use the same). */
export { DOCUMENT_KINDS, type DocumentKind } from '@concord/auth/roles';

/** Root type names (`doc.getMap(name)` / `doc.getXmlFragment(name)`). */
export const ROOT = {
  meta: 'meta',
  items: 'items',
  ratings: 'ratings',
  notes: 'notes',
  /** v1's vision (Y.Text): read and emptied by the migration, never written by v2. */
  vision: 'vision',
  /** The vision since v2 (Y.XmlFragment). */
  visionRich: 'visionRich',
  goals: 'goals',
  metrics: 'metrics',
  threads: 'threads',
  reads: 'reads',
  /** Rating rounds of a checklist or assessment (round.ts); written by the sync server only. */
  rounds: 'rounds',
  /** Indicators of a ratings document revealed in a round, so fixed (round.ts); server only. */
  frozen: 'frozen',
} as const;

export const META = {
  schemaVersion: 'schemaVersion',
  kind: 'kind',
  templateId: 'templateId',
  templateVersion: 'templateVersion',
} as const;

/** Keys of one indicator or category in `items`. */
export const ITEM = {
  status: 'status',
  decision: 'decision',
  rationale: 'rationale',
  evidence: 'evidence',
} as const;

export const GOAL = {
  area: 'area',
  title: 'title',
  statement: 'statement',
  owners: 'owners',
  phase: 'phase',
  startDate: 'startDate',
  dueDate: 'dueDate',
  status: 'status',
  confidence: 'confidence',
  indicators: 'indicators',
  steps: 'steps',
  createdAt: 'createdAt',
  createdBy: 'createdBy',
  /** Place in its area (a number; absent = after the placed ones, by creation). */
  position: 'position',
} as const;

export const STEP = {
  title: 'title',
  owner: 'owner',
  dueDate: 'dueDate',
  status: 'status',
  createdAt: 'createdAt',
  /** Place in its goal (a number; absent = after the placed ones, by creation). */
  position: 'position',
} as const;

export const METRIC = {
  name: 'name',
  goalId: 'goalId',
  source: 'source',
  unit: 'unit',
  templateIndicator: 'templateIndicator',
  /** An outcome measure of the School Planning Tool this metric tracks (e.g. spt.outcomes.engagement.1). */
  outcomeMeasure: 'outcomeMeasure',
  baseline: 'baseline',
  target: 'target',
  actuals: 'actuals',
  createdAt: 'createdAt',
} as const;

export const THREAD = {
  anchor: 'anchor',
  createdBy: 'createdBy',
  createdAt: 'createdAt',
  resolved: 'resolved',
  messages: 'messages',
} as const;

/** Discussion status of an indicator (rubric-core's IndicatorStatus; the db's consensus.status). */
export const ITEM_STATUSES = ['not-discussed', 'in-discussion', 'agreed'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** How sure a goal's owners are that it will be met (the db's goals.confidence). */
export const GOAL_CONFIDENCE = ['low', 'medium', 'high'] as const;
export type GoalConfidence = (typeof GOAL_CONFIDENCE)[number];

/** Status of an action step (the db's action_steps.status). Goal statuses come from the plan
 * template. */
export const STEP_STATUSES = ['not-started', 'in-progress', 'done', 'blocked'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** The whole population in a metric's baseline, target and actuals. */
export const ALL_STUDENTS = 'all';

/** Longest plain string a writer stores (a name, a comment, a text written whole). */
export const MAX_STRING = 20_000;
