/**
 * From document snapshots to rubric-core's scoring input: the raters' ratings (from their
 * ratings documents) and the group's decisions (from the assessment or checklist) as one
 * AssessmentRatings, ready for indicatorStats, discussionAgenda, scoreTemplate,
 * launchReadiness or summarizeAssessment.
 */
import {
  outline,
  type AssessmentRatings,
  type IndicatorRatings,
  type LeveledTemplate,
  type RaterRating,
} from '@concord/rubric-core';
import type { ItemSnapshot } from './leveled.js';
import type { RatingsSnapshot } from './ratings.js';
import type { ItemStatus } from './schema.js';

export interface RaterInput {
  raterId: string;
  ratings: RatingsSnapshot;
  notes?: Record<string, string> | undefined;
}

/** The part of an assessment or checklist snapshot the scores need. */
export type DecisionSource = Record<
  string,
  Pick<ItemSnapshot, 'status' | 'rationale'> & {
    decision?: ItemSnapshot['decision'];
    consensus?: ItemSnapshot['decision'];
    teamRating?: ItemSnapshot['decision'];
  }
>;

/**
 * Scoring input for `template`: for every active indicator each rater's rating (null when
 * unrated), and the status and consensus from `decisions` when given (the consensus record
 * carries the raters' ratings as they stand).
 */
export function toAssessmentRatings(
  template: LeveledTemplate,
  raters: readonly RaterInput[],
  decisions?: DecisionSource,
): AssessmentRatings {
  const out: Record<string, IndicatorRatings> = {};
  for (const entry of outline(template).entries) {
    const id = entry.indicator.id;
    const ratings: RaterRating[] = raters.map((r) => ({
      raterId: r.raterId,
      value: r.ratings[id] ?? null,
      ...(r.notes?.[id] !== undefined ? { note: r.notes[id] } : {}),
    }));
    const item = decisions?.[id];
    const decision = item ? (item.decision ?? item.consensus ?? item.teamRating ?? null) : null;
    const status: ItemStatus | undefined = item?.status;
    out[id] = {
      ratings,
      ...(status !== undefined ? { status } : {}),
      ...(decision
        ? {
            consensus: {
              indicatorId: id,
              value: decision.value,
              rationale: item?.rationale ?? '',
              decidedBy: decision.by,
              decidedAt: decision.at,
              ratings,
            },
          }
        : {}),
    };
  }
  return out;
}
