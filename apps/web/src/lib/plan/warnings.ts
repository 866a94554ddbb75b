/**
 * The plan's live warnings (issue 25): what a team should act on, computed from the plan as it
 * stands and today's date, so they appear and clear as people edit. Pure; the plan page shows
 * them at the top and on each goal, each with a word for what is wrong (never colour alone).
 *
 * - a goal without an owner;
 * - a goal still at the template's first status ("Not started") after its start date;
 * - a goal past its due date and not at the template's last status ("Complete");
 * - an action step past its due date and not done.
 * - a readiness gap (a team rating that is a Barrier to Launch or below the ready level, see
 *   gaps.ts) that no goal addresses.
 */
import type { GoalSnapshot, PlanSnapshot } from '@concord/documents';
import type { PlanTemplate } from '@concord/rubric-core';
import { describeItem, type RatedItem } from './gaps';

export type WarningKind = 'gap' | 'no-owner' | 'not-started' | 'goal-overdue' | 'step-overdue';

export interface PlanWarning {
  kind: WarningKind;
  /** The goal it is about; null for a gap no goal addresses. */
  goalId: string | null;
  stepId: string | null;
  /** A gap's item id and instrument (kind `gap`): a per-school tool's copies share item ids. */
  itemId?: string;
  documentId?: string;
  /** One sentence: what is wrong and where. */
  text: string;
}

/** A date as people read it: "Nov 3, 2026" (dates are plain calendar days, no time zone). */
export function formatDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

const titleOf = (goal: GoalSnapshot) => (goal.title.trim() === '' ? 'Untitled goal' : goal.title);

/** Every warning of the plan, goal by goal in the plan's order. `today`: YYYY-MM-DD. */
export function planWarnings(
  plan: PlanSnapshot,
  template: PlanTemplate,
  today: string,
  rated: readonly RatedItem[] = [],
): PlanWarning[] {
  const first = template.goalStatuses[0]?.id;
  const last = template.goalStatuses.at(-1)?.id;
  const out: PlanWarning[] = [];
  const addressed = new Set(plan.goals.flatMap((g) => g.indicators));
  for (const item of rated) {
    if (item.gap === null || addressed.has(item.itemId)) continue;
    out.push({
      kind: 'gap',
      goalId: null,
      stepId: null,
      itemId: item.itemId,
      documentId: item.documentId,
      text: `${describeItem(item)}: no goal addresses it`,
    });
  }
  for (const goal of plan.goals) {
    const title = titleOf(goal);
    if (goal.owners.length === 0) {
      out.push({ kind: 'no-owner', goalId: goal.id, stepId: null, text: `${title}: no owner` });
    }
    if (goal.status === first && goal.startDate !== null && goal.startDate < today) {
      out.push({
        kind: 'not-started',
        goalId: goal.id,
        stepId: null,
        text: `${title}: still not started; it was to start ${formatDay(goal.startDate)}`,
      });
    }
    if (goal.status !== last && goal.dueDate !== null && goal.dueDate < today) {
      out.push({
        kind: 'goal-overdue',
        goalId: goal.id,
        stepId: null,
        text: `${title}: overdue since ${formatDay(goal.dueDate)}`,
      });
    }
    for (const step of goal.steps) {
      if (step.status === 'done' || step.dueDate === null || step.dueDate >= today) continue;
      const name = step.title.trim() === '' ? 'Untitled action' : step.title;
      out.push({
        kind: 'step-overdue',
        goalId: goal.id,
        stepId: step.id,
        text: `${name} (${title}): overdue since ${formatDay(step.dueDate)}`,
      });
    }
  }
  return out;
}

/** Today in the browser's own calendar, as YYYY-MM-DD. */
export function localToday(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}
