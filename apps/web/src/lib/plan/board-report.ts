/**
 * The board report of a strategic plan (issue 25): from the query tables' rows (instrument_states,
 * consensus, goals, action_steps, metrics; read by board-report.ts) to what the print page shows,
 * in the order a school board reads it: a summary line, launch readiness and barriers per
 * checklist, readiness by section per assessment, the plan area by area, and the outcome metrics.
 * Pure, no I/O: every word the page says about status, overdue and progress is decided here, so
 * it is tested without a database or a browser. `today` (YYYY-MM-DD) decides what is overdue.
 */
import type { SectionScoreRow } from '@concord/db/projection';
import { outline, type LeveledTemplate, type PlanTemplate } from '@concord/rubric-core';
import { describeProgress, formatValue, progressOf, SPT_SUBGROUPS, subgroupLabel } from './metrics';

/** An instrument_states row with its document and template. */
export interface InstrumentInput {
  documentId: string;
  title: string;
  kind: string;
  school: string | null;
  /** The checklist or rubric template (null: one this build does not have). */
  template: LeveledTemplate | null;
  itemsTotal: number;
  itemsAgreed: number;
  readiness: 'ready' | 'blocked' | 'incomplete' | null;
  sections: SectionScoreRow[];
}

/** A recorded team rating (consensus with a value). */
export interface DecisionInput {
  documentId: string;
  indicatorId: string;
  value: number;
}

export interface GoalInput {
  goalId: string;
  areaId: string;
  title: string;
  /** Every owner in the goal's order: members by display name, and names typed in (goal_owners). */
  owners: readonly string[];
  phaseYear: number | null;
  dueDate: string | null;
  status: string;
}

export interface StepInput {
  stepId: string;
  goalId: string;
  title: string;
  ownerUser: string | null;
  ownerName: string | null;
  dueDate: string | null;
  status: string;
}

export interface MetricInput {
  metricId: string;
  subgroup: string;
  goalId: string | null;
  name: string;
  source: string | null;
  unit: string | null;
  baseline: number | null;
  target: number | null;
  current: number | null;
}

export interface BoardReportInput {
  template: PlanTemplate;
  instruments: readonly InstrumentInput[];
  decisions: readonly DecisionInput[];
  goals: readonly GoalInput[];
  steps: readonly StepInput[];
  metrics: readonly MetricInput[];
  today: string;
}

export interface StatusCount {
  id: string;
  label: string;
  n: number;
}

export interface ReportSummary {
  goals: number;
  /** Every goal status of the template, in its order, with how many goals hold it. */
  byStatus: StatusCount[];
  onTrack: number;
  atRisk: number;
  offTrack: number;
  overdueGoals: number;
  overdueActions: number;
  actions: number;
  /** The summary as one sentence. */
  text: string;
}

export interface ChecklistCategory {
  id: string;
  title: string;
  /** The team rating, or null before the team decided. */
  level: { value: number; label: string } | null;
  barrier: boolean;
}

export interface ChecklistReport {
  documentId: string;
  title: string;
  status: 'ready' | 'blocked' | 'incomplete';
  /** The verdict in words. */
  verdict: string;
  decided: number;
  categories: ChecklistCategory[];
  barriers: ChecklistCategory[];
}

export interface AssessmentReport {
  documentId: string;
  title: string;
  scaleMax: number;
  sections: SectionScoreRow[];
  /** Some section has a score (else the page says so instead of drawing an empty chart). */
  scored: boolean;
  itemsAgreed: number;
  itemsTotal: number;
}

export interface StepReport {
  id: string;
  title: string;
  owner: string;
  dueDate: string | null;
  status: string;
  overdue: boolean;
}

export interface GoalReport {
  id: string;
  title: string;
  owners: string;
  phase: string | null;
  status: { id: string; label: string };
  dueDate: string | null;
  overdue: boolean;
  steps: StepReport[];
  /** Steps overdue among them. */
  overdueSteps: number;
}

export interface AreaReport {
  id: string;
  number: string | null;
  title: string;
  goals: GoalReport[];
}

export interface MetricValueRow {
  subgroup: string;
  label: string;
  baseline: number | null;
  target: number | null;
  current: number | null;
}

export interface MetricReport {
  id: string;
  name: string;
  unit: string | null;
  source: string | null;
  goal: string | null;
  rows: MetricValueRow[];
  /** One sentence on the whole population (or the first subgroup): latest, baseline, target,
   * and whether it moved toward the target. */
  text: string;
}

export interface BoardReport {
  summary: ReportSummary;
  checklists: ChecklistReport[];
  assessments: AssessmentReport[];
  areas: AreaReport[];
  metrics: MetricReport[];
}

export const STEP_STATUS: Readonly<Record<string, string>> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  done: 'Done',
  blocked: 'Blocked',
};

export const NO_OWNER = 'No owner';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The owners as one line: the member first, then the names typed in. */
function ownersOf(user: string | null, names: string | null): string {
  const all = [user, names].filter((s): s is string => s !== null && s.trim() !== '');
  return all.length > 0 ? all.join(', ') : NO_OWNER;
}

/** A document's title with its school when the title does not already say it. */
function titled(title: string, school: string | null): string {
  return school && !title.includes(school) ? `${title}, ${school}` : title;
}

/** A status id this build has no word for, as words: "in-review" → "In review". */
function words(slug: string): string {
  const s = slug.replace(/[-_.]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A metric value with its unit ($lib/plan/metrics' words), or "—" when there is none. */
export function valueText(value: number | null, unit: string | null): string {
  return value === null ? '—' : formatValue(value, unit);
}

/** Rows in the plan page's order: all students and the School Planning Tool's categories
 * first, then the template's subgroups, then anything else. */
function subgroupOrder(template: PlanTemplate, key: string): number {
  const spt = SPT_SUBGROUPS.indexOf(key);
  if (spt !== -1) return spt;
  const i = template.subgroups.findIndex((s) => s.id === key.split(':')[0]);
  return SPT_SUBGROUPS.length + (i === -1 ? template.subgroups.length : i);
}

function metricSentence(row: MetricValueRow | undefined, unit: string | null): string {
  if (!row) return 'No values recorded yet.';
  const f = (v: number | null) => valueText(v, unit);
  const parts: string[] = [];
  if (row.baseline !== null) parts.push(`baseline ${f(row.baseline)}`);
  if (row.target !== null) parts.push(`target ${f(row.target)}`);
  const context = parts.length > 0 ? ` (${parts.join(', ')})` : '';
  if (row.current === null) return `${row.label}: no measurement yet${context}.`;
  // The plan page's words for progress ("27% of the way to the target", "Target met").
  const progress = describeProgress(progressOf(row.baseline, row.target, row.current));
  const trend = progress ? `: ${progress.charAt(0).toLowerCase()}${progress.slice(1)}` : '';
  return `${row.label}: latest ${f(row.current)}${context}${trend}.`;
}

function checklistReport(
  i: InstrumentInput,
  template: LeveledTemplate,
  decided: ReadonlyMap<string, number>,
): ChecklistReport {
  const categories: ChecklistCategory[] = [];
  for (const e of outline(template).entries) {
    if (!e.scored) continue;
    const value = decided.get(e.indicator.id);
    const level = value === undefined ? undefined : e.scale.levels.find((l) => l.value === value);
    categories.push({
      id: e.indicator.id,
      title: e.indicator.title ?? e.indicator.text,
      level: level ? { value: level.value, label: level.label } : null,
      barrier: level?.blocksLaunch === true,
    });
  }
  const barriers = categories.filter((c) => c.barrier);
  const rated = categories.filter((c) => c.level !== null).length;
  // The projected readiness is rubric-core's; recomputed here only when the row has none.
  const status =
    i.readiness ??
    (barriers.length > 0 ? 'blocked' : rated < categories.length ? 'incomplete' : 'ready');
  const verdict =
    status === 'ready'
      ? 'Ready to launch: every category has a team rating, and none is a barrier to launch.'
      : status === 'blocked'
        ? `Not ready to launch: the team rated ${plural(barriers.length, 'category', 'categories')} a barrier to launch.`
        : `Not decided yet: ${rated} of ${categories.length} categories have a team rating.`;
  return {
    documentId: i.documentId,
    title: titled(i.title, i.school),
    status,
    verdict,
    decided: rated,
    categories,
    barriers,
  };
}

/** The whole report (see the module comment). */
export function boardReport(input: BoardReportInput): BoardReport {
  const { template, today } = input;
  const statusLabel = (id: string) =>
    template.goalStatuses.find((s) => s.id === id)?.label ?? words(id);
  const lastStatus = template.goalStatuses.at(-1)?.id;
  const phaseOf = (year: number | null) =>
    year === null ? null : (template.phases.find((p) => p.year === year)?.title ?? `Year ${year}`);

  const stepsByGoal = new Map<string, StepReport[]>();
  for (const s of input.steps) {
    const list = stepsByGoal.get(s.goalId) ?? [];
    list.push({
      id: s.stepId,
      title: s.title,
      owner: ownersOf(s.ownerUser, s.ownerName),
      dueDate: s.dueDate,
      status: STEP_STATUS[s.status] ?? words(s.status),
      overdue: s.status !== 'done' && s.dueDate !== null && s.dueDate < today,
    });
    stepsByGoal.set(s.goalId, list);
  }
  const byDue = (a: { dueDate: string | null; title: string }, b: typeof a) =>
    (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || a.title.localeCompare(b.title);

  const goalReports = input.goals.map((g): GoalReport & { areaId: string; year: number } => {
    const steps = (stepsByGoal.get(g.goalId) ?? []).sort(byDue);
    return {
      areaId: g.areaId,
      year: g.phaseYear ?? Number.MAX_SAFE_INTEGER,
      id: g.goalId,
      title: g.title,
      owners: g.owners.length > 0 ? g.owners.join(', ') : NO_OWNER,
      phase: phaseOf(g.phaseYear),
      status: { id: g.status, label: statusLabel(g.status) },
      dueDate: g.dueDate,
      overdue: g.status !== lastStatus && g.dueDate !== null && g.dueDate < today,
      steps,
      overdueSteps: steps.filter((s) => s.overdue).length,
    };
  });
  goalReports.sort((a, b) => a.year - b.year || byDue(a, b));
  const strip = ({ areaId: _a, year: _y, ...g }: (typeof goalReports)[number]): GoalReport => g;

  const areas: AreaReport[] = template.areas.map((a) => ({
    id: a.id,
    number: a.number ?? null,
    title: a.title,
    goals: goalReports.filter((g) => g.areaId === a.id).map(strip),
  }));
  // A goal filed under an area this template does not have still belongs in the report.
  const known = new Set(template.areas.map((a) => a.id));
  const stray = goalReports.filter((g) => !known.has(g.areaId));
  if (stray.length > 0) {
    areas.push({ id: 'other', number: null, title: 'Other areas', goals: stray.map(strip) });
  }

  const count = (id: string) => goalReports.filter((g) => g.status.id === id).length;
  const byStatus = template.goalStatuses.map((s) => ({ id: s.id, label: s.label, n: count(s.id) }));
  const overdueGoals = goalReports.filter((g) => g.overdue).length;
  const overdueActions = goalReports.reduce((n, g) => n + g.overdueSteps, 0);
  const actions = input.steps.length;
  const onTrack = count('on-track');
  const atRisk = count('at-risk');
  const offTrack = count('off-track');
  const others = byStatus
    .filter((s) => !['on-track', 'at-risk', 'off-track'].includes(s.id) && s.n > 0)
    .map((s) => `${s.n} ${s.label.toLowerCase()}`);
  const text =
    `${plural(goalReports.length, 'goal', 'goals')}: ${onTrack} on track, ${atRisk} at risk, ` +
    `${offTrack} off track${others.length > 0 ? ` (${others.join(', ')})` : ''}. ` +
    `${plural(overdueActions, 'action', 'actions')} overdue of ${actions}` +
    (overdueGoals > 0 ? `; ${plural(overdueGoals, 'goal', 'goals')} past its due date.` : '.');

  const decisions = new Map<string, Map<string, number>>();
  for (const d of input.decisions) {
    const m = decisions.get(d.documentId) ?? new Map<string, number>();
    m.set(d.indicatorId, d.value);
    decisions.set(d.documentId, m);
  }
  const checklists: ChecklistReport[] = [];
  const assessments: AssessmentReport[] = [];
  for (const i of input.instruments) {
    if (!i.template) continue;
    if (i.kind === 'prerequisites' && i.template.kind === 'checklist') {
      checklists.push(checklistReport(i, i.template, decisions.get(i.documentId) ?? new Map()));
    } else if (i.kind === 'assessment') {
      assessments.push({
        documentId: i.documentId,
        title: titled(i.title, i.school),
        scaleMax: Math.max(...i.template.scale.levels.map((l) => l.value)),
        sections: i.sections,
        scored: i.sections.some((s) => s.depth === 0 && !s.ownScale && s.mean !== null),
        itemsAgreed: i.itemsAgreed,
        itemsTotal: i.itemsTotal,
      });
    }
  }

  const goalTitle = new Map(input.goals.map((g) => [g.goalId, g.title]));
  const metricsById = new Map<string, MetricInput[]>();
  for (const m of input.metrics) {
    const list = metricsById.get(m.metricId) ?? [];
    list.push(m);
    metricsById.set(m.metricId, list);
  }
  const metrics: MetricReport[] = [...metricsById.values()].map((list) => {
    const first = list[0]!;
    const rows = list
      .map((m) => ({
        subgroup: m.subgroup,
        label: subgroupLabel(m.subgroup, template),
        baseline: m.baseline,
        target: m.target,
        current: m.current,
      }))
      .sort(
        (a, b) =>
          subgroupOrder(template, a.subgroup) - subgroupOrder(template, b.subgroup) ||
          a.label.localeCompare(b.label),
      );
    return {
      id: first.metricId,
      name: first.name,
      unit: first.unit,
      source: first.source,
      goal: first.goalId ? (goalTitle.get(first.goalId) ?? null) : null,
      rows,
      text: metricSentence(rows[0], first.unit),
    };
  });
  metrics.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));

  return {
    summary: {
      goals: goalReports.length,
      byStatus,
      onTrack,
      atRisk,
      offTrack,
      overdueGoals,
      overdueActions,
      actions,
      text,
    },
    checklists,
    assessments,
    areas,
    metrics,
  };
}
