/**
 * The strategic plan document (kind `plan`, KnowledgeWorks shape): the vision (rich text, a
 * Y.XmlFragment at the root `visionRich` since schema v2); goals in Y.Maps keyed by id, each filed
 * under a plan area of the template, with a title (Y.Text, one line) and SMART statement (rich
 * text), owners, phase, start and due dates, status, confidence, the indicators it
 * addresses and its action steps; and outcome metrics with baseline and target per subgroup and
 * measured values over time.
 *
 * Scalars (a date, a status) are single choices and are replaced whole; lists of owners and
 * indicators are Y.Arrays read as sets, so two people adding owners at once both count.
 */
import type { PlanTemplate } from '@concord/rubric-core';
import * as Y from 'yjs';
import { refuse } from './errors.js';
import { writeMeta } from './meta.js';
import { fragmentAt, fragmentOf, replaceRichText } from './rich-text.js';
import {
  ALL_STUDENTS,
  GOAL,
  GOAL_CONFIDENCE,
  METRIC,
  ROOT,
  STEP,
  STEP_STATUSES,
  type GoalConfidence,
  type StepStatus,
} from './schema.js';
import {
  asArray,
  asDate,
  asFragment,
  asId,
  asMap,
  asNumber,
  asOneOf,
  asRecord,
  asString,
  asText,
  asTimestamp,
  checkDate,
  checkId,
  checkOneOf,
  checkString,
  checkTimestamp,
  idSet,
  newId,
  rootFragment,
  rootMap,
  rootText,
  show,
  textOf,
} from './values.js';

export interface StepSnapshot {
  id: string;
  title: string;
  owner: string | null;
  dueDate: string | null;
  status: StepStatus;
}

export interface GoalSnapshot {
  id: string;
  area: string;
  title: string;
  statement: string;
  owners: string[];
  /** A phase id of the template (e.g. "kw.year-1"). */
  phase: string | null;
  startDate: string | null;
  dueDate: string | null;
  /** A goal status id of the template. */
  status: string;
  confidence: GoalConfidence | null;
  indicators: string[];
  steps: StepSnapshot[];
  createdAt: string | null;
}

export interface MetricActual {
  subgroup: string;
  date: string;
  value: number;
}

export interface MetricSnapshot {
  id: string;
  name: string;
  goalId: string | null;
  source: string | null;
  unit: string | null;
  /** An indicator of the template's metric groups this metric starts from. */
  templateIndicator: string | null;
  /** A School Planning Tool outcome measure this metric tracks. */
  outcomeMeasure: string | null;
  baseline: Record<string, number>;
  target: Record<string, number>;
  /** Measurements in date order. */
  actuals: MetricActual[];
  /** The latest measurement per subgroup. */
  current: Record<string, number>;
}

export interface PlanSnapshot {
  vision: string;
  /** Goals in plan-area order, then in the order people put them (moveGoal), then by creation. */
  goals: GoalSnapshot[];
  /** Metrics in the order they were added. */
  metrics: MetricSnapshot[];
}

export interface GoalFields {
  area?: string | undefined;
  owners?: readonly string[] | undefined;
  phase?: string | null | undefined;
  startDate?: string | null | undefined;
  dueDate?: string | null | undefined;
  status?: string | undefined;
  confidence?: GoalConfidence | null | undefined;
  indicators?: readonly string[] | undefined;
}

export interface GoalInput extends GoalFields {
  id?: string | undefined;
  area: string;
  title: string;
  statement?: string | undefined;
  createdBy?: string | undefined;
  /** ISO 8601; default now. */
  createdAt?: string | undefined;
}

export interface StepFields {
  owner?: string | null | undefined;
  dueDate?: string | null | undefined;
  status?: StepStatus | undefined;
}

export interface StepInput extends StepFields {
  id?: string | undefined;
  title: string;
  createdAt?: string | undefined;
}

export interface MetricInput {
  id?: string | undefined;
  name: string;
  goalId?: string | null | undefined;
  source?: string | undefined;
  unit?: string | undefined;
  templateIndicator?: string | undefined;
  outcomeMeasure?: string | undefined;
  baseline?: Record<string, number> | undefined;
  target?: Record<string, number> | undefined;
  createdAt?: string | undefined;
}

/** A metric's own fields, as updateMetric changes them; `null` clears an optional one. */
export interface MetricFields {
  name?: string | undefined;
  goalId?: string | null | undefined;
  source?: string | null | undefined;
  unit?: string | null | undefined;
}

/** Lays out a new plan document: an empty vision (or the one given), no goals, no metrics. */
export function createPlan(
  doc: Y.Doc,
  template: PlanTemplate,
  options: { vision?: string } = {},
): void {
  refuse([
    template.kind !== 'plan' && `template: ${template.id} is not a plan template`,
    options.vision !== undefined && checkString(options.vision, 'vision'),
  ]);
  doc.transact(() => {
    writeMeta(doc, 'plan', template);
    replaceRichText(doc.getXmlFragment(ROOT.visionRich), options.vision ?? '');
    doc.getMap(ROOT.goals);
    doc.getMap(ROOT.metrics);
  });
}

/**
 * The vision's Y.XmlFragment, for an editor to bind to. In a v1 document not migrated yet, the
 * vision's text is moved here from the v1 root first (see readVision), so it is not lost.
 */
export function visionText(doc: Y.Doc): Y.XmlFragment {
  const fragment = doc.getXmlFragment(ROOT.visionRich);
  const legacy = fragment.length === 0 ? rootText(doc, ROOT.vision) : undefined;
  if (legacy && legacy.length > 0) {
    doc.transact(() => {
      replaceRichText(fragment, textOf(legacy));
      legacy.delete(0, legacy.length);
    });
  }
  return fragment;
}

/**
 * The vision's plain text: the v2 fragment, or while that is empty, the v1 root's text (a v1
 * document not migrated yet). Migration and visionText empty the v1 root when they move its
 * text, so the two never both hold the vision.
 */
function readVision(doc: Y.Doc): string {
  const rich = textOf(rootFragment(doc, ROOT.visionRich));
  return rich !== '' ? rich : textOf(rootText(doc, ROOT.vision));
}

// ---- reading ----

export function readPlan(doc: Y.Doc, template: PlanTemplate): PlanSnapshot {
  const areaOrder = new Map(template.areas.map((a, i) => [a.id, i]));
  const goals: GoalSnapshot[] = [];
  const placed = new Map<string, Placement>();
  const goalMap = rootMap(doc, ROOT.goals);
  for (const [id, value] of goalMap?.entries() ?? []) {
    const map = asMap(value);
    const goal = readGoal(id, map, template);
    if (!goal) continue;
    goals.push(goal);
    placed.set(id, placement(map!.get(GOAL.position), goal.createdAt));
  }
  goals.sort(
    (a, b) =>
      areaOrder.get(a.area)! - areaOrder.get(b.area)! ||
      byPlacement(placed.get(a.id)!, placed.get(b.id)!) ||
      a.id.localeCompare(b.id),
  );
  const goalIds = new Set(goals.map((g) => g.id));
  const metrics: MetricSnapshot[] = [];
  const added = new Map<string, string>();
  for (const [id, value] of rootMap(doc, ROOT.metrics)?.entries() ?? []) {
    const map = asMap(value);
    const metric = readMetric(id, map, template, goalIds);
    if (!metric) continue;
    metrics.push(metric);
    added.set(id, asTimestamp(map!.get(METRIC.createdAt)) ?? '');
  }
  // In the order they were added (a list seeded from a template keeps the template's order).
  metrics.sort(
    (a, b) =>
      added.get(a.id)!.localeCompare(added.get(b.id)!) ||
      a.name.localeCompare(b.name) ||
      a.id.localeCompare(b.id),
  );
  return { vision: readVision(doc), goals, metrics };
}

/** Where a goal or step goes among its siblings: placed ones by position, then the rest by age. */
interface Placement {
  position: number | undefined;
  createdAt: string;
}

function placement(position: unknown, createdAt: string | null): Placement {
  return { position: asNumber(position), createdAt: createdAt ?? '' };
}

function byPlacement(a: Placement, b: Placement): number {
  if (a.position !== undefined && b.position !== undefined && a.position !== b.position) {
    return a.position - b.position;
  }
  if ((a.position === undefined) !== (b.position === undefined)) {
    return a.position === undefined ? 1 : -1;
  }
  return a.createdAt.localeCompare(b.createdAt);
}

/** A goal, or null when it has no valid id or area (it cannot be placed in the plan). */
function readGoal(
  id: string,
  goal: Y.Map<unknown> | undefined,
  template: PlanTemplate,
): GoalSnapshot | null {
  const area = asString(goal?.get(GOAL.area));
  if (!goal || !asId(id) || !template.areas.some((a) => a.id === area)) return null;
  const steps: StepSnapshot[] = [];
  const stepOrder = new Map<string, Placement>();
  for (const [stepId, value] of asMap(goal.get(GOAL.steps))?.entries() ?? []) {
    const step = asMap(value);
    if (!step || !asId(stepId)) continue;
    steps.push({
      id: stepId,
      title: textOf(step.get(STEP.title)),
      owner: nonBlank(step.get(STEP.owner)),
      dueDate: asDate(step.get(STEP.dueDate)) ?? null,
      status: asOneOf(step.get(STEP.status), STEP_STATUSES) ?? 'not-started',
    });
    stepOrder.set(
      stepId,
      placement(step.get(STEP.position), asTimestamp(step.get(STEP.createdAt)) ?? null),
    );
  }
  steps.sort(
    (a, b) => byPlacement(stepOrder.get(a.id)!, stepOrder.get(b.id)!) || a.id.localeCompare(b.id),
  );
  const statuses = template.goalStatuses.map((s) => s.id);
  return {
    id,
    area: area!,
    title: textOf(goal.get(GOAL.title)),
    statement: textOf(goal.get(GOAL.statement)),
    owners: idSet(goal.get(GOAL.owners)),
    phase:
      asOneOf(
        goal.get(GOAL.phase),
        template.phases.map((p) => p.id),
      ) ?? null,
    startDate: asDate(goal.get(GOAL.startDate)) ?? null,
    dueDate: asDate(goal.get(GOAL.dueDate)) ?? null,
    status: asOneOf(goal.get(GOAL.status), statuses) ?? statuses[0]!,
    confidence: asOneOf(goal.get(GOAL.confidence), GOAL_CONFIDENCE) ?? null,
    indicators: idSet(goal.get(GOAL.indicators)).filter((i) => asId(i) !== undefined),
    steps,
    createdAt: asTimestamp(goal.get(GOAL.createdAt)) ?? null,
  };
}

function readMetric(
  id: string,
  metric: Y.Map<unknown> | undefined,
  template: PlanTemplate,
  goalIds: ReadonlySet<string>,
): MetricSnapshot | null {
  const name = nonBlank(metric?.get(METRIC.name));
  if (!metric || !asId(id) || name === null) return null;
  const goalId = asString(metric.get(METRIC.goalId));
  const actuals: MetricActual[] = [];
  for (const value of asArray(metric.get(METRIC.actuals))?.toArray() ?? []) {
    const record = asRecord(value);
    const subgroup = record && asSubgroup(record.subgroup, template);
    const date = record && asDate(record.date);
    const v = record && asNumber(record.value);
    if (subgroup && date && v !== undefined) actuals.push({ subgroup, date, value: v });
  }
  // Stable: equal dates keep the order they were recorded in.
  actuals.sort((a, b) => a.date.localeCompare(b.date));
  const current: Record<string, number> = {};
  for (const a of actuals) current[a.subgroup] = a.value;
  return {
    id,
    name,
    goalId: goalId !== undefined && goalIds.has(goalId) ? goalId : null,
    source: nonBlank(metric.get(METRIC.source)),
    unit: nonBlank(metric.get(METRIC.unit)),
    templateIndicator: nonBlank(metric.get(METRIC.templateIndicator)),
    outcomeMeasure: asId(metric.get(METRIC.outcomeMeasure)) ?? null,
    baseline: readBySubgroup(metric.get(METRIC.baseline), template),
    target: readBySubgroup(metric.get(METRIC.target), template),
    actuals,
    current,
  };
}

function readBySubgroup(value: unknown, template: PlanTemplate): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, v] of asMap(value)?.entries() ?? []) {
    const n = asNumber(v);
    if (asSubgroup(key, template) && n !== undefined) out[key] = n;
  }
  return out;
}

/** "all", a subgroup id of the template, or "<subgroup id>:<value slug>". */
function asSubgroup(value: unknown, template: PlanTemplate): string | undefined {
  if (typeof value !== 'string' || !asId(value)) return undefined;
  if (value === ALL_STUDENTS) return value;
  const [group, detail, ...rest] = value.split(':');
  if (rest.length > 0 || !template.subgroups.some((s) => s.id === group)) return undefined;
  return detail === undefined || /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/.test(detail) ? value : undefined;
}

function nonBlank(value: unknown): string | null {
  const s = asString(value);
  return s !== undefined && s.trim() !== '' ? s : null;
}

// ---- writing ----

function goalProblems(fields: GoalFields, template: PlanTemplate): (string | null | false)[] {
  return [
    fields.area !== undefined &&
      !template.areas.some((a) => a.id === fields.area) &&
      `area: ${show(fields.area)} is not a plan area of ${template.id} (${template.areas.map((a) => a.id).join(', ')})`,
    fields.phase != null &&
      !template.phases.some((p) => p.id === fields.phase) &&
      `phase: ${show(fields.phase)} is not a phase of ${template.id} (${template.phases.map((p) => p.id).join(', ')})`,
    fields.status !== undefined &&
      checkOneOf(
        fields.status,
        template.goalStatuses.map((s) => s.id),
        'status',
      ),
    fields.confidence != null && checkOneOf(fields.confidence, GOAL_CONFIDENCE, 'confidence'),
    fields.startDate != null && checkDate(fields.startDate, 'startDate'),
    fields.dueDate != null && checkDate(fields.dueDate, 'dueDate'),
    ...(fields.owners ?? []).map((o, i) => checkString(o, `owners[${i}]`, { blank: false })),
    ...(fields.indicators ?? []).map((id, i) => checkId(id, `indicators[${i}]`)),
  ];
}

function datesProblem(start: unknown, due: unknown): string | null {
  const s = asDate(start);
  const d = asDate(due);
  return s && d && s > d ? `dueDate: ${d} is before the start date ${s}` : null;
}

function applyGoalFields(goal: Y.Map<unknown>, fields: GoalFields): void {
  for (const [key, value] of [
    [GOAL.area, fields.area],
    [GOAL.phase, fields.phase],
    [GOAL.startDate, fields.startDate],
    [GOAL.dueDate, fields.dueDate],
    [GOAL.status, fields.status],
    [GOAL.confidence, fields.confidence],
  ] as const) {
    if (value === null) goal.delete(key);
    else if (value !== undefined) goal.set(key, value);
  }
  if (fields.owners) replaceArray(goal, GOAL.owners, [...new Set(fields.owners)]);
  if (fields.indicators) replaceArray(goal, GOAL.indicators, [...new Set(fields.indicators)]);
}

function replaceArray(map: Y.Map<unknown>, key: string, values: string[]): void {
  const existing = asArray(map.get(key));
  if (existing) {
    existing.delete(0, existing.length);
    existing.push(values);
  } else {
    map.set(key, Y.Array.from(values));
  }
}

/** Adds a goal; returns its id. */
export function addGoal(doc: Y.Doc, template: PlanTemplate, input: GoalInput): string {
  const id = input.id ?? newId('goal');
  refuse([
    checkId(id, 'id'),
    rootMap(doc, ROOT.goals)?.has(id) && `id: the plan already has a goal ${id}`,
    checkString(input.title, 'title', { blank: false }),
    input.statement !== undefined && checkString(input.statement, 'statement'),
    input.createdBy !== undefined && checkString(input.createdBy, 'createdBy'),
    input.createdAt !== undefined && checkTimestamp(input.createdAt, 'createdAt'),
    ...goalProblems(input, template),
    datesProblem(input.startDate, input.dueDate),
  ]);
  doc.transact(() => {
    const goal = new Y.Map<unknown>();
    goal.set(GOAL.title, new Y.Text(input.title));
    goal.set(GOAL.statement, fragmentOf(input.statement ?? ''));
    goal.set(GOAL.owners, new Y.Array<string>());
    goal.set(GOAL.indicators, new Y.Array<string>());
    goal.set(GOAL.steps, new Y.Map<unknown>());
    goal.set(GOAL.status, input.status ?? template.goalStatuses[0]!.id);
    goal.set(GOAL.createdAt, input.createdAt ?? new Date().toISOString());
    if (input.createdBy) goal.set(GOAL.createdBy, input.createdBy);
    // Into the document first: applyGoalFields reads the owner and indicator arrays back.
    doc.getMap(ROOT.goals).set(id, goal);
    applyGoalFields(goal, input);
  });
  return id;
}

function goalMap(doc: Y.Doc, goalId: string): Y.Map<unknown> {
  const goal = asMap(rootMap(doc, ROOT.goals)?.get(goalId));
  refuse([!goal && `goalId: the plan has no goal ${show(goalId)}`]);
  return goal!;
}

/** Changes a goal's fields; `null` clears an optional one. Text is edited through goalText. */
export function updateGoal(
  doc: Y.Doc,
  template: PlanTemplate,
  goalId: string,
  fields: GoalFields,
): void {
  const goal = goalMap(doc, goalId);
  refuse([
    ...goalProblems(fields, template),
    datesProblem(
      fields.startDate === undefined ? goal.get(GOAL.startDate) : fields.startDate,
      fields.dueDate === undefined ? goal.get(GOAL.dueDate) : fields.dueDate,
    ),
  ]);
  doc.transact(() => applyGoalFields(goal, fields));
}

export function removeGoal(doc: Y.Doc, goalId: string): void {
  goalMap(doc, goalId);
  doc.transact(() => doc.getMap(ROOT.goals).delete(goalId));
}

/**
 * The goal's title (Y.Text: one line) or SMART statement (rich text: Y.XmlFragment, a v1 Y.Text
 * converted with its text), for an editor to bind to; created when missing.
 */
export function goalText(doc: Y.Doc, goalId: string, field: 'title'): Y.Text;
export function goalText(doc: Y.Doc, goalId: string, field: 'statement'): Y.XmlFragment;
export function goalText(
  doc: Y.Doc,
  goalId: string,
  field: 'title' | 'statement',
): Y.Text | Y.XmlFragment {
  const goal = goalMap(doc, goalId);
  if (field === 'statement') {
    const existing = asFragment(goal.get(GOAL.statement));
    if (existing) return existing;
    let fragment!: Y.XmlFragment;
    doc.transact(() => {
      fragment = fragmentAt(goal, GOAL.statement);
    });
    return fragment;
  }
  const existing = asText(goal.get(GOAL.title));
  if (existing) return existing;
  let text!: Y.Text;
  doc.transact(() => {
    text = goal.set(GOAL.title, new Y.Text());
  });
  return text;
}

function stepProblems(fields: StepFields): (string | null | false)[] {
  return [
    fields.owner != null && checkString(fields.owner, 'owner', { blank: false }),
    fields.dueDate != null && checkDate(fields.dueDate, 'dueDate'),
    fields.status !== undefined && checkOneOf(fields.status, STEP_STATUSES, 'status'),
  ];
}

function applyStepFields(step: Y.Map<unknown>, fields: StepFields): void {
  for (const [key, value] of [
    [STEP.owner, fields.owner],
    [STEP.dueDate, fields.dueDate],
    [STEP.status, fields.status],
  ] as const) {
    if (value === null) step.delete(key);
    else if (value !== undefined) step.set(key, value);
  }
}

/** Adds an action step to a goal; returns its id. */
export function addActionStep(doc: Y.Doc, goalId: string, input: StepInput): string {
  const goal = goalMap(doc, goalId);
  const id = input.id ?? newId('step');
  refuse([
    checkId(id, 'id'),
    asMap(goal.get(GOAL.steps))?.has(id) && `id: goal ${goalId} already has a step ${id}`,
    checkString(input.title, 'title', { blank: false }),
    input.createdAt !== undefined && checkTimestamp(input.createdAt, 'createdAt'),
    ...stepProblems(input),
  ]);
  doc.transact(() => {
    const steps = asMap(goal.get(GOAL.steps)) ?? goal.set(GOAL.steps, new Y.Map<unknown>());
    const step = new Y.Map<unknown>();
    step.set(STEP.title, new Y.Text(input.title));
    step.set(STEP.status, input.status ?? 'not-started');
    step.set(STEP.createdAt, input.createdAt ?? new Date().toISOString());
    applyStepFields(step, input);
    steps.set(id, step);
  });
  return id;
}

export function updateActionStep(
  doc: Y.Doc,
  goalId: string,
  stepId: string,
  fields: StepFields,
): void {
  const step = asMap(asMap(goalMap(doc, goalId).get(GOAL.steps))?.get(stepId));
  refuse([!step && `stepId: goal ${goalId} has no step ${show(stepId)}`, ...stepProblems(fields)]);
  doc.transact(() => applyStepFields(step!, fields));
}

export function removeActionStep(doc: Y.Doc, goalId: string, stepId: string): void {
  const steps = asMap(goalMap(doc, goalId).get(GOAL.steps));
  refuse([!steps?.has(stepId) && `stepId: goal ${goalId} has no step ${show(stepId)}`]);
  doc.transact(() => steps!.delete(stepId));
}

/** The step's title (Y.Text: one line), for an editor to bind to; created when missing. */
export function stepTitle(doc: Y.Doc, goalId: string, stepId: string): Y.Text {
  const step = asMap(asMap(goalMap(doc, goalId).get(GOAL.steps))?.get(stepId));
  refuse([!step && `stepId: goal ${goalId} has no step ${show(stepId)}`]);
  const existing = asText(step!.get(STEP.title));
  if (existing) return existing;
  let text!: Y.Text;
  doc.transact(() => {
    text = step!.set(STEP.title, new Y.Text());
  });
  return text;
}

function subgroupProblems(
  values: Record<string, number | null> | undefined,
  field: string,
  template: PlanTemplate,
): (string | null)[] {
  return Object.entries(values ?? {}).map(([subgroup, value]) =>
    !asSubgroup(subgroup, template)
      ? `${field}: ${show(subgroup)} is not "all" or a subgroup of ${template.id} (${template.subgroups.map((s) => s.id).join(', ')})`
      : value !== null && asNumber(value) === undefined
        ? `${field}.${subgroup}: must be a finite number (got ${show(value)})`
        : null,
  );
}

/** Adds an outcome metric; returns its id. */
export function addMetric(doc: Y.Doc, template: PlanTemplate, input: MetricInput): string {
  const id = input.id ?? newId('metric');
  const templateIndicators = template.metricGroups.flatMap((g) => g.indicators.map((i) => i.id));
  refuse([
    checkId(id, 'id'),
    rootMap(doc, ROOT.metrics)?.has(id) && `id: the plan already has a metric ${id}`,
    checkString(input.name, 'name', { blank: false }),
    input.goalId != null &&
      !asMap(rootMap(doc, ROOT.goals)?.get(input.goalId)) &&
      `goalId: the plan has no goal ${show(input.goalId)}`,
    input.source !== undefined && checkString(input.source, 'source'),
    input.unit !== undefined && checkString(input.unit, 'unit'),
    input.templateIndicator !== undefined &&
      !templateIndicators.includes(input.templateIndicator) &&
      `templateIndicator: ${show(input.templateIndicator)} is not an evaluation indicator of ${template.id}`,
    input.outcomeMeasure !== undefined && checkId(input.outcomeMeasure, 'outcomeMeasure'),
    input.createdAt !== undefined && checkTimestamp(input.createdAt, 'createdAt'),
    ...subgroupProblems(input.baseline, 'baseline', template),
    ...subgroupProblems(input.target, 'target', template),
  ]);
  doc.transact(() => {
    const metric = new Y.Map<unknown>();
    if (input.outcomeMeasure !== undefined) metric.set(METRIC.outcomeMeasure, input.outcomeMeasure);
    metric.set(METRIC.name, input.name);
    if (input.goalId != null) metric.set(METRIC.goalId, input.goalId);
    if (input.source !== undefined) metric.set(METRIC.source, input.source);
    if (input.unit !== undefined) metric.set(METRIC.unit, input.unit);
    if (input.templateIndicator !== undefined) {
      metric.set(METRIC.templateIndicator, input.templateIndicator);
    }
    metric.set(METRIC.baseline, new Y.Map<number>(Object.entries(input.baseline ?? {})));
    metric.set(METRIC.target, new Y.Map<number>(Object.entries(input.target ?? {})));
    metric.set(METRIC.actuals, new Y.Array<unknown>());
    metric.set(METRIC.createdAt, input.createdAt ?? new Date().toISOString());
    doc.getMap(ROOT.metrics).set(id, metric);
  });
  return id;
}

function metricMap(doc: Y.Doc, metricId: string): Y.Map<unknown> {
  const metric = asMap(rootMap(doc, ROOT.metrics)?.get(metricId));
  refuse([!metric && `metricId: the plan has no metric ${show(metricId)}`]);
  return metric!;
}

/**
 * Sets baseline and/or target values of some subgroups (others are left as they are); `null`
 * clears a subgroup's value.
 */
export function setMetricValues(
  doc: Y.Doc,
  template: PlanTemplate,
  metricId: string,
  values: {
    baseline?: Record<string, number | null>;
    target?: Record<string, number | null>;
  },
): void {
  const metric = metricMap(doc, metricId);
  refuse([
    ...subgroupProblems(values.baseline, 'baseline', template),
    ...subgroupProblems(values.target, 'target', template),
  ]);
  doc.transact(() => {
    for (const key of [METRIC.baseline, METRIC.target] as const) {
      const entries = Object.entries(values[key] ?? {});
      if (entries.length === 0) continue;
      const map = asMap(metric.get(key)) ?? metric.set(key, new Y.Map<unknown>());
      for (const [subgroup, v] of entries) {
        if (v === null) map.delete(subgroup);
        else map.set(subgroup, v);
      }
    }
  });
}

/** Records a measured value (default subgroup: all students). */
export function recordActual(
  doc: Y.Doc,
  template: PlanTemplate,
  metricId: string,
  actual: { date: string; value: number; subgroup?: string },
): void {
  const metric = metricMap(doc, metricId);
  const subgroup = actual.subgroup ?? ALL_STUDENTS;
  refuse([
    checkDate(actual.date, 'date'),
    asNumber(actual.value) === undefined &&
      `value: must be a finite number (got ${show(actual.value)})`,
    !asSubgroup(subgroup, template) && `subgroup: ${show(subgroup)} is not "all" or a subgroup`,
  ]);
  doc.transact(() => {
    const actuals =
      asArray(metric.get(METRIC.actuals)) ?? metric.set(METRIC.actuals, new Y.Array());
    actuals.push([{ subgroup, date: actual.date, value: actual.value }]);
  });
}

/** Removes one measurement, as a reader returned it. */
export function removeActual(
  doc: Y.Doc,
  template: PlanTemplate,
  metricId: string,
  actual: MetricActual,
): void {
  const metric = metricMap(doc, metricId);
  const actuals = asArray(metric.get(METRIC.actuals));
  // Found by value, not by position: the reader sorts by date and drops junk, so a read index
  // is not the array's; the last equal entry goes (a duplicate typed twice leaves one).
  const at =
    actuals
      ?.toArray()
      .map((v) => asRecord(v))
      .findLastIndex(
        (r) =>
          r !== undefined &&
          asSubgroup(r.subgroup, template) === actual.subgroup &&
          r.date === actual.date &&
          r.value === actual.value,
      ) ?? -1;
  refuse([at < 0 && `actual: metric ${metricId} has no such measurement`]);
  doc.transact(() => actuals!.delete(at, 1));
}

/** Changes a metric's name, goal, source or unit; `null` clears an optional one. */
export function updateMetric(doc: Y.Doc, metricId: string, fields: MetricFields): void {
  const metric = metricMap(doc, metricId);
  refuse([
    fields.name !== undefined && checkString(fields.name, 'name', { blank: false }),
    fields.goalId != null &&
      !asMap(rootMap(doc, ROOT.goals)?.get(fields.goalId)) &&
      `goalId: the plan has no goal ${show(fields.goalId)}`,
    fields.source != null && checkString(fields.source, 'source'),
    fields.unit != null && checkString(fields.unit, 'unit'),
  ]);
  doc.transact(() => {
    for (const [key, value] of [
      [METRIC.name, fields.name],
      [METRIC.goalId, fields.goalId],
      [METRIC.source, fields.source],
      [METRIC.unit, fields.unit],
    ] as const) {
      if (value === null || (key !== METRIC.name && value?.trim() === '')) metric.delete(key);
      else if (value !== undefined) metric.set(key, value);
    }
  });
}

export function removeMetric(doc: Y.Doc, metricId: string): void {
  metricMap(doc, metricId);
  doc.transact(() => doc.getMap(ROOT.metrics).delete(metricId));
}

// ---- order ----

/**
 * Puts a goal at `index` among the goals of `area` (default: its own area; another area moves it
 * there). The whole area is numbered again in one transaction, so the order every reader sees is
 * the one this person chose; two people moving goals of one area at once both land, the later
 * numbering of each goal winning (the plan stays one order for everyone).
 */
export function moveGoal(
  doc: Y.Doc,
  template: PlanTemplate,
  goalId: string,
  to: { index: number; area?: string | undefined },
): void {
  const goal = goalMap(doc, goalId);
  const area = to.area ?? asString(goal.get(GOAL.area));
  refuse([
    !Number.isInteger(to.index) || to.index < 0
      ? `index: must be a whole number from 0 (got ${show(to.index)})`
      : null,
    ...goalProblems({ area }, template),
  ]);
  const siblings = readPlan(doc, template)
    .goals.filter((g) => g.area === area && g.id !== goalId)
    .map((g) => g.id);
  siblings.splice(Math.min(to.index, siblings.length), 0, goalId);
  const goals = doc.getMap(ROOT.goals);
  doc.transact(() => {
    if (area !== goal.get(GOAL.area)) goal.set(GOAL.area, area);
    siblings.forEach((id, i) => {
      const g = asMap(goals.get(id));
      if (g && g.get(GOAL.position) !== i) g.set(GOAL.position, i);
    });
  });
}

/** Puts an action step at `index` among its goal's steps (numbering them all again, as moveGoal). */
export function moveActionStep(
  doc: Y.Doc,
  template: PlanTemplate,
  goalId: string,
  stepId: string,
  index: number,
): void {
  const goal = goalMap(doc, goalId);
  const steps = asMap(goal.get(GOAL.steps));
  refuse([
    !steps?.has(stepId) && `stepId: goal ${goalId} has no step ${show(stepId)}`,
    !Number.isInteger(index) || index < 0
      ? `index: must be a whole number from 0 (got ${show(index)})`
      : null,
  ]);
  const order = (readGoal(goalId, goal, template)?.steps ?? [])
    .map((s) => s.id)
    .filter((id) => id !== stepId);
  order.splice(Math.min(index, order.length), 0, stepId);
  doc.transact(() => {
    order.forEach((id, i) => {
      const step = asMap(steps!.get(id));
      if (step && step.get(STEP.position) !== i) step.set(STEP.position, i);
    });
  });
}
