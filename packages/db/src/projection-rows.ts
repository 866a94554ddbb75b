/**
 * From an instrument document (a Prerequisites checklist or a rubric assessment) to the rows of
 * the query tables `consensus` and `ratings` (schema/dashboards.ts): pure, no I/O. The sync
 * server's projector and the rebuild command (projection.ts) both map through here, so a rebuild
 * gives the rows the live projection gives.
 *
 * - consensus: one row per active indicator of the template: the discussion status, the
 *   decision (level, who, when) and the rationale as plain text, as the readers see them.
 * - ratings: only what a round has revealed, never a rater's private ratings document. Per
 *   indicator, each rater's level in the latest round that revealed the indicator's section
 *   (null: the rater was in that round and had not rated it); a later reveal of an item replaces
 *   the earlier one's rows whole, and a round still open changes nothing until it reveals. A rater key is turned into the user
 *   it stands for through `raters` (round_raters: a named round's key is the user id, an
 *   anonymised round's a letter); a key nobody is known for is left out. Notes are private and
 *   never projected.
 */
import { readAssessment, readChecklist, readRounds } from '@concord/documents';
import {
  outline,
  type ChecklistTemplate,
  type LeveledTemplate,
  type RubricTemplate,
} from '@concord/rubric-core';
import type * as Y from 'yjs';
import type { ConsensusStatus } from './schema/enums.js';

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

export interface InstrumentRows {
  consensus: ConsensusRow[];
  ratings: RatingRow[];
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
  return {
    consensus: consensusRows(doc, template),
    ratings: revealedRatingRows(doc, template, raters),
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
  const byItem = new Map<string, RatingRow[]>();
  // Oldest round first: a later round's reveal of an item replaces the earlier one's whole.
  for (const round of readRounds(doc)) {
    const users = raters[round.id] ?? {};
    for (const section of Object.values(round.revealed)) {
      for (const [indicatorId, byKey] of Object.entries(section.ratings)) {
        if (!order.has(indicatorId)) continue;
        const rows: RatingRow[] = [];
        for (const [key, value] of Object.entries(byKey)) {
          const raterId = users[key];
          if (raterId === undefined || !UUID.test(raterId)) continue;
          rows.push({
            indicatorId,
            raterId: raterId.toLowerCase(),
            value: value !== null && value >= 0 && value <= 100 ? value : null,
            roundId: round.id,
          });
        }
        byItem.set(indicatorId, rows);
      }
    }
  }
  return [...byItem.values()]
    .flat()
    .sort(
      (a, b) =>
        order.get(a.indicatorId)! - order.get(b.indicatorId)! ||
        (a.raterId < b.raterId ? -1 : a.raterId > b.raterId ? 1 : 0),
    );
}
