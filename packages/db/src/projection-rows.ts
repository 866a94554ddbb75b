/**
 * From an instrument document (a Prerequisites checklist or a rubric assessment) to the rows of
 * the query tables `consensus`, `ratings` and `instrument_states` (schema/dashboards.ts): pure,
 * no I/O. The sync
 * server's projector and the rebuild command (projection.ts) both map through here, so a rebuild
 * gives the rows the live projection gives.
 *
 * - consensus: one row per active indicator of the template: the discussion status, the
 *   decision (level, who, when) and the rationale as plain text, as the readers see them.
 * - ratings: only what a round has revealed, never a rater's private ratings document. One row
 *   per indicator, rater and round that revealed it (null: the rater was in that round and had
 *   not rated it), so a second round's reveal sits beside the first's; a round still open adds
 *   nothing until it reveals. A rater key is turned into the user it stands for through `raters`
 *   (round_raters: an anonymised round's letter; a named round's key is the user id itself); a
 *   key nobody is known for is left out. Notes are private and never projected.
 * - the instrument's state: items, decisions, the latest round's figures (counts only), launch
 *   readiness (checklists) and rubric-core's section scores (consensus where decided, else the
 *   median of the item's latest revealed ratings).
 */
import { readAssessment, readChecklist, readRounds, roundItems } from '@concord/documents';
import {
  launchReadiness,
  outline,
  scoreTemplate,
  type AssessmentRatings,
  type ChecklistTemplate,
  type IndicatorRatings,
  type LeveledTemplate,
  type RubricTemplate,
} from '@concord/rubric-core';
import type * as Y from 'yjs';
import type { ConsensusStatus, LaunchReadinessStatus } from './schema/enums.js';

export interface ConsensusRow {
  indicatorId: string;
  /** The decided level; null until decided. */
  value: number | null;
  /** The rationale as plain text; null when empty. */
  rationale: string | null;
  status: ConsensusStatus;
  /** The user who recorded the decision (a UUID), or null. */
  decidedBy: string | null;
  /** ISO 8601, or null. */
  decidedAt: string | null;
}

export interface RatingRow {
  indicatorId: string;
  /** The rater's user id. */
  raterId: string;
  /** The revealed level; null when the rater had not rated it. */
  value: number | null;
  /** The round whose reveal the value comes from ("r1", "r2", …). */
  roundId: string;
}

/** One section's score as `instrument_states.section_scores` holds it. */
export interface SectionScoreRow {
  sectionId: string;
  title: string;
  depth: number;
  /** The section has its own scale (a yes/no list), reported apart. */
  ownScale: boolean;
  indicators: number;
  scored: number;
  withConsensus: number;
  mean: number | null;
  basis: 'consensus' | 'median' | 'mixed' | 'none';
  /** Share of scored indicators at or above the scale's ready threshold. */
  atOrAbove: number | null;
  /** The level the mean reaches (value and label), or null when nothing is scored. */
  level: number | null;
  levelLabel: string | null;
}

export interface InstrumentStateRow {
  itemsTotal: number;
  itemsAgreed: number;
  itemsInDiscussion: number;
  /** The latest round's figures; null before the first round. */
  roundNumber: number | null;
  roundOpen: boolean;
  roundItems: number | null;
  roundRevealed: number | null;
  roundRaters: number | null;
  roundRatersDone: number | null;
  /** Checklists only (null for an assessment). */
  readiness: LaunchReadinessStatus | null;
  barriers: number | null;
  sectionScores: SectionScoreRow[];
}

export interface InstrumentRows {
  consensus: ConsensusRow[];
  ratings: RatingRow[];
  state: InstrumentStateRow;
}

/** Who each rater key stands for: round id → rater key → user id (round_raters). */
export type RaterUsers = Readonly<Record<string, Readonly<Record<string, string>>>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The rows of `doc`, an instrument made from `template` (a checklist or a rubric). */
export function instrumentRows(
  doc: Y.Doc,
  template: LeveledTemplate,
  raters: RaterUsers,
): InstrumentRows {
  const consensus = consensusRows(doc, template);
  return {
    consensus,
    ratings: revealedRatingRows(doc, template, raters),
    state: instrumentState(doc, template, consensus),
  };
}

export function consensusRows(doc: Y.Doc, template: LeveledTemplate): ConsensusRow[] {
  const items =
    template.kind === 'checklist'
      ? Object.entries(readChecklist(doc, template as ChecklistTemplate)).map(
          ([id, s]) => [id, { ...s, decision: s.teamRating }] as const,
        )
      : Object.entries(readAssessment(doc, template as RubricTemplate)).map(
          ([id, s]) => [id, { ...s, decision: s.consensus }] as const,
        );
  return items.map(([indicatorId, item]) => ({
    indicatorId,
    value: item.decision?.value ?? null,
    rationale: item.rationale.trim() === '' ? null : item.rationale,
    status: item.status,
    decidedBy: item.decision && UUID.test(item.decision.by) ? item.decision.by.toLowerCase() : null,
    decidedAt: item.decision?.at ?? null,
  }));
}

export function revealedRatingRows(
  doc: Y.Doc,
  template: LeveledTemplate,
  raters: RaterUsers,
): RatingRow[] {
  const order = new Map(outline(template).entries.map((e, i) => [e.indicator.id, i]));
  const rows: RatingRow[] = [];
  for (const round of readRounds(doc)) {
    const users = raters[round.id] ?? {};
    for (const section of Object.values(round.revealed)) {
      for (const [indicatorId, byKey] of Object.entries(section.ratings)) {
        if (!order.has(indicatorId)) continue;
        for (const [key, value] of Object.entries(byKey)) {
          // A named round's key is the user id itself (round_raters says so too, but an
          // imported workspace has no round_raters: its named rounds still project).
          const raterId = users[key] ?? (round.anonymised ? undefined : key);
          if (raterId === undefined || !UUID.test(raterId)) continue;
          rows.push({
            indicatorId,
            raterId: raterId.toLowerCase(),
            value: value !== null && value >= 0 && value <= 100 ? value : null,
            roundId: round.id,
          });
        }
      }
    }
  }
  const byRound = (id: string) => Number(id.slice(1));
  return rows.sort(
    (a, b) =>
      order.get(a.indicatorId)! - order.get(b.indicatorId)! ||
      byRound(a.roundId) - byRound(b.roundId) ||
      (a.raterId < b.raterId ? -1 : a.raterId > b.raterId ? 1 : 0),
  );
}

/** The instrument's state row (see the module comment). */
export function instrumentState(
  doc: Y.Doc,
  template: LeveledTemplate,
  consensus: readonly ConsensusRow[],
): InstrumentStateRow {
  const entries = outline(template).entries;
  const rounds = readRounds(doc);
  const latest = rounds.at(-1) ?? null;

  // Each item's latest revealed ratings (by rater key), and its decision, as rubric-core reads
  // them; a value that is not a level of the item's scale reads as not rated.
  const revealed = new Map<string, Record<string, number | null>>();
  for (const round of rounds) {
    for (const section of Object.values(round.revealed)) {
      for (const [id, byKey] of Object.entries(section.ratings)) revealed.set(id, byKey);
    }
  }
  const decided = new Map(consensus.map((c) => [c.indicatorId, c]));
  const ratings: Record<string, IndicatorRatings> = {};
  for (const e of entries) {
    const id = e.indicator.id;
    const levels = new Set(e.scale.levels.map((l) => l.value));
    const valid = (v: number | null | undefined) => (v != null && levels.has(v) ? v : null);
    const given = Object.entries(revealed.get(id) ?? {}).map(([raterId, v]) => ({
      raterId,
      value: valid(v),
    }));
    const c = decided.get(id);
    const value = valid(c?.value);
    ratings[id] = {
      ratings: given,
      ...(c && value !== null && c.decidedAt
        ? {
            consensus: {
              indicatorId: id,
              value,
              rationale: c.rationale ?? '',
              decidedBy: c.decidedBy ?? '',
              decidedAt: c.decidedAt,
              ratings: given,
            },
          }
        : {}),
    };
  }

  let readiness: InstrumentStateRow['readiness'] = null;
  let barriers: number | null = null;
  let sectionScores: SectionScoreRow[] = [];
  try {
    const input: AssessmentRatings = ratings;
    if (template.kind === 'checklist') {
      const launch = launchReadiness(template as ChecklistTemplate, input);
      readiness = launch.status;
      barriers = launch.blockers.length;
    }
    sectionScores = scoreTemplate(template, input).sections.map((s) => ({
      sectionId: s.sectionId,
      title: s.title,
      depth: s.depth,
      ownScale: s.ownScale,
      indicators: s.indicators,
      scored: s.scored,
      withConsensus: s.withConsensus,
      mean: s.mean,
      basis: s.basis,
      atOrAbove: s.atOrAbove,
      level: s.readiness?.value ?? null,
      levelLabel: s.readiness?.label ?? null,
    }));
  } catch {
    // Cannot happen with the values sanitised above; a state without scores beats no state.
  }

  let round: Pick<
    InstrumentStateRow,
    'roundItems' | 'roundRevealed' | 'roundRaters' | 'roundRatersDone'
  > = { roundItems: null, roundRevealed: null, roundRaters: null, roundRatersDone: null };
  if (latest) {
    const bySection = roundItems(template, latest);
    const total = [...bySection.values()].reduce((n, ids) => n + ids.length, 0);
    const keys = Object.keys(latest.raters);
    round = {
      roundItems: total,
      roundRevealed: [...bySection]
        .filter(([s]) => s in latest.revealed)
        .reduce((n, [, ids]) => n + ids.length, 0),
      roundRaters: keys.length,
      roundRatersDone: keys.filter(
        (k) =>
          total > 0 && Object.values(latest.progress[k] ?? {}).reduce((n, c) => n + c, 0) >= total,
      ).length,
    };
  }
  return {
    itemsTotal: entries.length,
    itemsAgreed: consensus.filter((c) => c.status === 'agreed').length,
    itemsInDiscussion: consensus.filter((c) => c.status === 'in-discussion').length,
    roundNumber: latest?.number ?? null,
    roundOpen: latest !== null && latest.closed === null,
    ...round,
    readiness,
    barriers,
    sectionScores,
  };
}
