/**
 * Rounds side by side (issue 39, second Delphi rounds). A second round re-rates chosen items
 * blind; afterwards the team looks at what moved: each rater's level before and after, how far
 * they moved, and the spread before and after. And the page's results (heatmap, agenda,
 * statistics, launch readiness) read each item's latest revealed ratings, so a second round on
 * three items updates those three and leaves the rest as round 1 revealed them.
 *
 * Raters are matched by key: a named round's key is the user id, and an anonymised round keeps
 * each rater's letter from the earlier anonymised round (the server's rule), so "Rater B" is the
 * same person in both. Pure: no I/O; RoundComparison.svelte shows it.
 */
import type { RevealedSection, RoundState } from '@concord/documents';
import { outline, type LeveledTemplate, type OutlineEntry } from '@concord/rubric-core';

/**
 * One round-like view of the latest revealed ratings of every item: per item, the latest round
 * that revealed it. Its id, number and raters are the latest revealing round's (raters of earlier
 * rounds who are not in it are added, so their columns stay); null before any reveal.
 */
export function latestResults(rounds: readonly RoundState[]): RoundState | null {
  const revealing = rounds.filter((r) => Object.keys(r.revealed).length > 0);
  const last = revealing.at(-1);
  if (!last) return null;
  if (revealing.length === 1) return last;
  const revealed: Record<string, RevealedSection> = {};
  const raters: Record<string, string> = {};
  for (const round of revealing) {
    for (const [key, name] of Object.entries(round.raters)) raters[key] = name;
    for (const [sectionId, section] of Object.entries(round.revealed)) {
      const into = (revealed[sectionId] ??= { by: section.by, at: section.at, ratings: {} });
      into.by = section.by;
      into.at = section.at;
      for (const [itemId, byKey] of Object.entries(section.ratings)) {
        into.ratings[itemId] = byKey;
      }
    }
  }
  return {
    ...last,
    // The latest round's names win (a later anonymised round says "Rater B" as the earlier).
    raters: { ...raters, ...last.raters },
    sections: [...new Set(revealing.flatMap((r) => r.sections))],
    items: null,
    revealed,
  };
}

/** Where each item's latest ratings come from: "round 2 for 3 items, round 1 for the rest". */
export function resultsSource(rounds: readonly RoundState[]): string | null {
  const byItem = new Map<string, number>();
  for (const round of rounds) {
    for (const section of Object.values(round.revealed)) {
      for (const itemId of Object.keys(section.ratings)) byItem.set(itemId, round.number);
    }
  }
  const counts = new Map<number, number>();
  for (const n of byItem.values()) counts.set(n, (counts.get(n) ?? 0) + 1);
  if (counts.size <= 1) return null;
  const ordered = [...counts].sort(([a], [b]) => b - a);
  const [first, ...rest] = ordered;
  const part = ([n, c]: [number, number]) => `round ${n} for ${c} ${c === 1 ? 'item' : 'items'}`;
  return rest.length === 1
    ? `Latest ratings: ${part(first!)}, round ${rest[0]![0]} for the rest.`
    : `Latest ratings: ${ordered.map(part).join(', ')}.`;
}

export interface RaterMove {
  key: string;
  /** The round's name for the rater ("Ana Ortiz", "Rater B"). */
  name: string;
  before: { value: number; label: string } | null;
  after: { value: number; label: string } | null;
  /** Positions moved on the scale (+ up, - down); null when either round has no rating. */
  moved: number | null;
  /** "up 2 levels", "down 1 level", "no change", "not rated in round 2". */
  text: string;
}

export interface ItemComparison {
  id: string;
  entry: OutlineEntry;
  before: { round: number };
  after: { round: number };
  raters: RaterMove[];
  /** Distance between the highest and lowest level given (in levels); null with none given. */
  spreadBefore: number | null;
  spreadAfter: number | null;
  /** "Spread 3 levels → 1 level: closer", in words. */
  spreadText: string;
  /** Raters who moved, of those rated in both rounds. */
  movedCount: number;
  bothRated: number;
}

const levelsWord = (n: number) => `${n} ${n === 1 ? 'level' : 'levels'}`;

function spreadOf(positions: number[]): number | null {
  return positions.length === 0 ? null : Math.max(...positions) - Math.min(...positions);
}

function spreadWords(n: number | null): string {
  if (n === null) return 'no ratings';
  return n === 0 ? 'all agree' : levelsWord(n);
}

/**
 * Every item revealed in more than one round, template order: its two latest reveals compared
 * rater by rater. `names` overrides display names (a facilitator's real names).
 */
export function roundComparisons(
  template: LeveledTemplate,
  rounds: readonly RoundState[],
  names: Readonly<Record<string, string>> = {},
): ItemComparison[] {
  const reveals = new Map<
    string,
    { round: RoundState; ratings: Record<string, number | null> }[]
  >();
  for (const round of rounds) {
    for (const section of Object.values(round.revealed)) {
      for (const [itemId, byKey] of Object.entries(section.ratings)) {
        const list = reveals.get(itemId) ?? [];
        list.push({ round, ratings: byKey });
        reveals.set(itemId, list);
      }
    }
  }
  const out: ItemComparison[] = [];
  for (const entry of outline(template).entries) {
    const list = reveals.get(entry.indicator.id);
    if (!list || list.length < 2) continue;
    const [a, b] = [list.at(-2)!, list.at(-1)!];
    const positions = new Map(entry.scale.levels.map((l, i) => [l.value, i]));
    const level = (v: number | null | undefined) => {
      const l = v == null ? undefined : entry.scale.levels.find((x) => x.value === v);
      return l ? { value: l.value, label: l.label } : null;
    };
    const keys = [...new Set([...Object.keys(a.ratings), ...Object.keys(b.ratings)])];
    const raters: RaterMove[] = keys.map((key) => {
      const before = level(a.ratings[key]);
      const after = level(b.ratings[key]);
      const moved =
        before && after ? positions.get(after.value)! - positions.get(before.value)! : null;
      const text =
        moved === null
          ? !after
            ? `not rated in round ${b.round.number}`
            : `not rated in round ${a.round.number}`
          : moved === 0
            ? 'no change'
            : `${moved > 0 ? 'up' : 'down'} ${levelsWord(Math.abs(moved))}`;
      return {
        key,
        name: names[key] ?? b.round.raters[key] ?? a.round.raters[key] ?? key,
        before,
        after,
        moved,
        text,
      };
    });
    const pos = (side: 'before' | 'after') =>
      raters.flatMap((r) => (r[side] ? [positions.get(r[side]!.value)!] : []));
    const spreadBefore = spreadOf(pos('before'));
    const spreadAfter = spreadOf(pos('after'));
    const trend =
      spreadBefore === null || spreadAfter === null || spreadBefore === spreadAfter
        ? ''
        : spreadAfter < spreadBefore
          ? ': closer'
          : ': further apart';
    const both = raters.filter((r) => r.moved !== null);
    out.push({
      id: entry.indicator.id,
      entry,
      before: { round: a.round.number },
      after: { round: b.round.number },
      raters,
      spreadBefore,
      spreadAfter,
      spreadText: `Spread ${spreadWords(spreadBefore)} → ${spreadWords(spreadAfter)}${trend}`,
      movedCount: both.filter((r) => r.moved !== 0).length,
      bothRated: both.length,
    });
  }
  return out;
}
