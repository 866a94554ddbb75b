/**
 * The strategic plan as a CSV file (issue 25, exports): one row per goal, per action step and
 * per outcome metric and subgroup, so a spreadsheet can filter by kind, area, owner or status.
 * Written with csv-stringify as the consensus report is: UTF-8 with a BOM, RFC 4180 quoting, CRLF
 * record ends, typed text that looks like a formula made inert. Owners are members' names (an
 * owner typed as text stays as typed); what a goal addresses is the items' ids. Pure.
 */
import type { PlanSnapshot } from '@concord/documents';
import type { PlanTemplate } from '@concord/rubric-core';
import { stringify } from 'csv-stringify/sync';
import { inert } from './consensus-report-model.js';

export const PLAN_COLUMNS = [
  'Kind',
  'Area',
  'Goal',
  'Title',
  'Owners',
  'Phase',
  'Start',
  'Due',
  'Status',
  'Confidence',
  'Addresses',
  'Subgroup',
  'Baseline',
  'Target',
  'Current',
  'Source',
] as const;

const STEP_STATUS: Record<string, string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  done: 'Done',
  blocked: 'Blocked',
};

/** The plan as a table, header first (see the module comment). */
export function planTable(
  plan: PlanSnapshot,
  template: PlanTemplate,
  names: Readonly<Record<string, string>>,
): string[][] {
  const area = (id: string) => template.areas.find((a) => a.id === id)?.title ?? id;
  const phase = (id: string | null) =>
    id ? (template.phases.find((p) => p.id === id)?.title ?? id) : '';
  const status = (id: string) => template.goalStatuses.find((s) => s.id === id)?.label ?? id;
  const who = (ids: readonly string[]) => ids.map((o) => names[o] ?? o).join('; ');
  const empty = { owners: '', phase: '', start: '', due: '', status: '', confidence: '' };
  const rows: string[][] = [[...PLAN_COLUMNS]];
  const row = (cells: Record<(typeof PLAN_COLUMNS)[number], string>) =>
    rows.push(PLAN_COLUMNS.map((c) => inert(cells[c])));
  const goalTitle = new Map(plan.goals.map((g) => [g.id, g.title]));
  for (const g of plan.goals) {
    row({
      Kind: 'Goal',
      Area: area(g.area),
      Goal: g.title,
      Title: g.title,
      Owners: who(g.owners),
      Phase: phase(g.phase),
      Start: g.startDate ?? empty.start,
      Due: g.dueDate ?? empty.due,
      Status: status(g.status),
      Confidence: g.confidence ? g.confidence[0]!.toUpperCase() + g.confidence.slice(1) : '',
      Addresses: g.indicators.join('; '),
      Subgroup: '',
      Baseline: '',
      Target: '',
      Current: '',
      Source: '',
    });
    for (const s of g.steps) {
      row({
        Kind: 'Action',
        Area: area(g.area),
        Goal: g.title,
        Title: s.title,
        Owners: s.owner ? who([s.owner]) : '',
        Phase: '',
        Start: '',
        Due: s.dueDate ?? '',
        Status: STEP_STATUS[s.status] ?? s.status,
        Confidence: '',
        Addresses: '',
        Subgroup: '',
        Baseline: '',
        Target: '',
        Current: '',
        Source: '',
      });
    }
  }
  for (const m of plan.metrics) {
    const subgroups = [
      ...new Set([...Object.keys(m.baseline), ...Object.keys(m.target), ...Object.keys(m.current)]),
    ];
    for (const sub of subgroups.length > 0 ? subgroups : ['all']) {
      const n = (v: number | undefined) => (v === undefined ? '' : String(v));
      row({
        Kind: 'Metric',
        Area: '',
        Goal: m.goalId ? (goalTitle.get(m.goalId) ?? '') : '',
        Title: m.unit ? `${m.name} (${m.unit})` : m.name,
        Owners: '',
        Phase: '',
        Start: '',
        Due: '',
        Status: '',
        Confidence: '',
        Addresses: '',
        Subgroup: sub === 'all' ? 'All students' : sub,
        Baseline: n(m.baseline[sub]),
        Target: n(m.target[sub]),
        Current: n(m.current[sub]),
        Source: m.source ?? '',
      });
    }
  }
  return rows;
}

/** The CSV file: UTF-8 with a BOM, RFC 4180 quoting, CRLF record ends. */
export function writePlanCsv(
  plan: PlanSnapshot,
  template: PlanTemplate,
  names: Readonly<Record<string, string>>,
): string {
  return stringify(planTable(plan, template, names), { bom: true, record_delimiter: 'windows' });
}
