/**
 * From a plan document (kind `plan`) to the rows of the query tables `goals`, `action_steps` and
 * `metrics` (schema/dashboards.ts): pure, no I/O. The sync server's projector, the rebuild
 * command and the demo seed (projection.ts, seed/demo.ts) all map through here, so a rebuild
 * gives the rows the live projection gives.
 *
 * - goals: one row per goal readPlan reads (a goal without a valid id or plan area is not part of
 *   the plan). Owners are a set of strings, each a user id or a name typed in ("Director of
 *   Curriculum"): owner_id is the first owner that is a user id (a UUID; the writer drops it when
 *   no such user exists), owner_name the owners that are not user ids, joined with ", ", or null.
 *   Further user ids among the owners are not in the row (goal_owners has them). phase_year is
 *   the year of the goal's phase in the template (1-based, ascending; Year 1 ... Year 5 in
 *   KnowledgeWorks).
 * - goal_owners: every owner of every goal, in the goal's order (position 0, 1, ...): a user id
 *   (userId) or a name (name); the same owner twice counts once.

 * - action_steps: one row per step; the owner is a user id (owner_id) or a name (owner_name).
 * - metrics: one row per metric and subgroup that has a baseline, a target or a measurement
 *   ("all" for the whole population); current is the latest measurement.
 * - metric_values: one row per metric, subgroup and day measured; a day measured twice keeps
 *   the later recording (as current does).
 *
 * What a client could write but the tables refuse (their CHECK constraints) is sanitised here
 * rather than failing the plan's whole statement: a blank title reads "Untitled goal" / "Untitled
 * step", a start date after the due date leaves the start date out, a date PostgreSQL cannot
 * hold is left out, a step id used twice keeps its first step, and NUL characters and lone
 * surrogates (which PostgreSQL's text and jsonb cannot hold) are dropped from text.
 */
import { readPlan, type PlanSnapshot } from '@concord/documents';
import type { PlanTemplate } from '@concord/rubric-core';
import type * as Y from 'yjs';
import type { ActionStepStatus, GoalConfidence } from './schema/enums.js';

export interface GoalRow {
  goalId: string;
  areaId: string;
  title: string;
  /** The first owner that is a user id, or null. */
  ownerId: string | null;
  /** The owners that are not user ids, joined with ", ", or null. */
  ownerName: string | null;
  phaseYear: number | null;
  /** YYYY-MM-DD, or null. */
  startDate: string | null;
  dueDate: string | null;
  status: string;
  confidence: GoalConfidence | null;
  indicatorIds: string[];
}

export interface ActionStepRow {
  stepId: string;
  goalId: string;
  title: string;
  ownerId: string | null;
  ownerName: string | null;
  dueDate: string | null;
  status: ActionStepStatus;
}

export interface MetricRow {
  metricId: string;
  /** "all", "<subgroup id>" or "<subgroup id>:<value>". */
  subgroup: string;
  goalId: string | null;
  name: string;
  source: string | null;
  unit: string | null;
  baseline: number | null;
  target: number | null;
  current: number | null;
}

export interface GoalOwnerRow {
  goalId: string;
  /** 0-based place among the goal's owners. */
  position: number;
  /** A user id (lower case), or null for a name. */
  userId: string | null;
  /** A name typed in, or null for a user. */
  name: string | null;
}

export interface MetricValueRow {
  metricId: string;
  subgroup: string;
  /** YYYY-MM-DD. */
  measuredOn: string;
  value: number;
}

export interface PlanRows {
  goals: GoalRow[];
  goalOwners: GoalOwnerRow[];
  actionSteps: ActionStepRow[];
  metrics: MetricRow[];
  metricValues: MetricValueRow[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLUG = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
/** Dates PostgreSQL's `date` holds as the readers write them (no year 0). */
const DATE = /^(?!0000)\d{4}-\d{2}-\d{2}$/;

/** The rows of `doc`, a plan made from `template`. */
export function planRows(doc: Y.Doc, template: PlanTemplate): PlanRows {
  return planSnapshotRows(readPlan(doc, template), template);
}

/** The rows of a plan as readPlan reads it. */
export function planSnapshotRows(plan: PlanSnapshot, template: PlanTemplate): PlanRows {
  const years = new Map(template.phases.map((p) => [p.id, p.year]));
  const goals: GoalRow[] = [];
  const goalOwners: GoalOwnerRow[] = [];
  const actionSteps: ActionStepRow[] = [];
  const stepIds = new Set<string>();
  for (const g of plan.goals) {
    const owners = g.owners.map(clean).filter((o) => o.trim() !== '');
    const ownerId = owners.find((o) => UUID.test(o));
    const names = owners.filter((o) => !UUID.test(o));
    const start = date(g.startDate);
    const due = date(g.dueDate);
    const year = g.phase === null ? undefined : years.get(g.phase);
    goals.push({
      goalId: g.id,
      areaId: g.area,
      title: title(g.title, 'Untitled goal'),
      ownerId: ownerId?.toLowerCase() ?? null,
      ownerName: names.length > 0 ? names.join(', ') : null,
      phaseYear: year !== undefined && year >= 1 && year <= 20 ? year : null,
      startDate: start !== null && due !== null && start > due ? null : start,
      dueDate: due,
      status: SLUG.test(g.status) ? g.status : 'not-started',
      confidence: g.confidence,
      indicatorIds: g.indicators.filter((i) => SLUG.test(i)),
    });
    const seen = new Set<string>();
    for (const o of owners) {
      const user = UUID.test(o);
      const key = user ? o.toLowerCase() : o;
      if (seen.has(key)) continue;
      seen.add(key);
      goalOwners.push({
        goalId: g.id,
        position: seen.size - 1,
        userId: user ? key : null,
        name: user ? null : o,
      });
    }
    for (const s of g.steps) {
      if (stepIds.has(s.id)) continue;
      stepIds.add(s.id);
      const owner = s.owner === null ? '' : clean(s.owner);
      const ownerIsUser = UUID.test(owner);
      actionSteps.push({
        stepId: s.id,
        goalId: g.id,
        title: title(s.title, 'Untitled step'),
        ownerId: ownerIsUser ? owner.toLowerCase() : null,
        ownerName: !ownerIsUser && owner.trim() !== '' ? owner : null,
        dueDate: date(s.dueDate),
        status: s.status,
      });
    }
  }
  const metrics: MetricRow[] = [];
  const metricValues: MetricValueRow[] = [];
  for (const m of plan.metrics) {
    const subgroups = new Set([
      ...Object.keys(m.baseline),
      ...Object.keys(m.target),
      ...Object.keys(m.current),
    ]);
    for (const subgroup of subgroups) {
      if (!SLUG.test(subgroup)) continue;
      metrics.push({
        metricId: m.id,
        subgroup,
        goalId: m.goalId,
        name: title(m.name, 'Untitled metric'),
        source: text(m.source),
        unit: text(m.unit),
        baseline: m.baseline[subgroup] ?? null,
        target: m.target[subgroup] ?? null,
        current: m.current[subgroup] ?? null,
      });
    }
    // Actuals come in date order, equal dates in the order recorded: the last of a day wins.
    const byDay = new Map<string, MetricValueRow>();
    for (const a of m.actuals) {
      const day = date(a.date);
      if (!SLUG.test(a.subgroup) || day === null || !Number.isFinite(a.value)) continue;
      byDay.set(`${a.subgroup} ${day}`, {
        metricId: m.id,
        subgroup: a.subgroup,
        measuredOn: day,
        value: a.value,
      });
    }
    metricValues.push(
      ...[...byDay.values()].sort(
        (x, y) => x.subgroup.localeCompare(y.subgroup) || x.measuredOn.localeCompare(y.measuredOn),
      ),
    );
  }
  return { goals, goalOwners, actionSteps, metrics, metricValues };
}

const LONE_SURROGATE_OR_NUL =
  /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text without what PostgreSQL cannot hold (NUL, lone surrogates). */
function clean(s: string): string {
  return s.replace(LONE_SURROGATE_OR_NUL, '');
}

function title(s: string, fallback: string): string {
  const t = clean(s);
  return t.trim() === '' ? fallback : t;
}

function text(s: string | null): string | null {
  if (s === null) return null;
  const t = clean(s);
  return t.trim() === '' ? null : t;
}

function date(d: string | null): string | null {
  return d !== null && DATE.test(d) ? d : null;
}
