/**
 * Fixtures for the facilitation models' tests: a revealed round as the document would hold it,
 * and the item ids of a template's section.
 */
import type { RoundState } from '@concord/documents';
import { outline, type LeveledTemplate } from '@concord/rubric-core';

/** Section id → item id → rater key → level. */
export type Snapshot = Record<string, Record<string, Record<string, number | null>>>;

const stamp = { by: 'u-fac', at: '2026-11-20T10:00:00.000Z' };

/** An anonymised round `number` whose `revealed` sections hold these ratings. */
export function roundOf(
  revealed: Snapshot,
  raters: Record<string, string>,
  number: number,
  sections = Object.keys(revealed),
): RoundState {
  return {
    id: `r${number}`,
    number,
    sections,
    items: null,
    anonymised: true,
    deadline: null,
    opened: stamp,
    closed: null,
    raters,
    progress: {},
    revealed: Object.fromEntries(
      Object.entries(revealed).map(([section, ratings]) => [section, { ...stamp, ratings }]),
    ),
    nudges: {},
    timer: null,
  };
}

export function idsOf(template: LeveledTemplate, section: string): string[] {
  return outline(template)
    .entries.filter((e) => e.section.id === section)
    .map((e) => e.indicator.id);
}
