/**
 * The readiness gaps a plan should answer (issue 25): items of the workspace's checklists and
 * assessments whose team rating (the recorded consensus, from the query tables) is a Barrier to
 * Launch or below the scale's ready level. Each is named as its instrument's page names it
 * ("6 Funding", "1.4 …"), with the level, so the plan page can link goals to it, show a linked
 * item's current rating, warn when a gap has no goal, and make a goal from one. Pure.
 */
import { defaultThreshold, outline, type LeveledTemplate } from '@concord/rubric-core';
import { itemLabel, itemTitle } from '$lib/document/items';

export interface DecidedRow {
  documentId: string;
  /** The instrument's title as the workspace lists it ("District Conditions"). */
  instrument: string;
  /** A per-school copy's school, or null. */
  school: string | null;
  template: LeveledTemplate;
  indicatorId: string;
  value: number;
}

/** A goal of the workspace's plan that addresses an item, as the item's card names it. */
export interface AddressingGoal {
  goalId: string;
  planId: string;
  title: string;
  /** The plan template's word for its status ("On track"). */
  status: string;
}

export interface RatedItem {
  documentId: string;
  instrument: string;
  school: string | null;
  itemId: string;
  /** "6", "1.4". */
  label: string;
  title: string;
  level: { value: number; label: string };
  /** Why it is a gap, or null when it is rated ready. */
  gap: 'barrier' | 'low' | null;
}

/** Every decided item, template order within each instrument, with whether it is a gap. */
export function ratedItems(rows: readonly DecidedRow[]): RatedItem[] {
  const out: RatedItem[] = [];
  for (const row of rows) {
    const entry = outline(row.template).byId.get(row.indicatorId);
    const level = entry?.scale.levels.find((l) => l.value === row.value);
    if (!entry || !level) continue;
    const gap = level.blocksLaunch
      ? 'barrier'
      : entry.scored && row.value < defaultThreshold(entry.scale)
        ? 'low'
        : null;
    out.push({
      documentId: row.documentId,
      instrument: row.instrument,
      school: row.school,
      itemId: row.indicatorId,
      label: itemLabel(entry),
      title: itemTitle(entry),
      level: { value: level.value, label: level.label },
      gap,
    });
  }
  return out;
}

/** "6 Funding (Prerequisites to Launch): 1 Barrier to Launch". */
export function describeItem(item: RatedItem): string {
  const where = item.school ? `${item.instrument}, ${item.school}` : item.instrument;
  return `${item.label} ${item.title} (${where}): ${item.level.value} ${item.level.label}`;
}
