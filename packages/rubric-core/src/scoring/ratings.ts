/**
 * The shape of an assessment's ratings as the scoring functions read them: per indicator, each
 * rater's rating and note, and the consensus once the group has recorded one. Documents and the
 * database map to this; nothing here knows where it came from.
 */

export interface RaterRating {
  raterId: string;
  /** A level value of the indicator's scale; null when the rater has not rated (or abstained). */
  value: number | null;
  note?: string | undefined;
}

export type IndicatorStatus = 'not-discussed' | 'in-discussion' | 'agreed';

export interface ConsensusRecord {
  indicatorId: string;
  /** The agreed level value. */
  value: number;
  rationale: string;
  /** User id of the person who recorded it (usually the facilitator). */
  decidedBy: string;
  /** ISO 8601 timestamp. */
  decidedAt: string;
  /** Every rater's original rating at the time of the decision, kept unchanged. */
  ratings: readonly RaterRating[];
}

export interface IndicatorRatings {
  ratings: readonly RaterRating[];
  consensus?: ConsensusRecord | undefined;
  status?: IndicatorStatus | undefined;
}

/** Ratings of one assessment, keyed by indicator id. Indicators without an entry are unrated. */
export type AssessmentRatings = Readonly<Record<string, IndicatorRatings | undefined>>;

/** The non-missing values of an indicator's ratings. */
export function ratedValues(entry: IndicatorRatings | undefined): number[] {
  const out: number[] = [];
  if (!entry) return out;
  for (const r of entry.ratings) if (r.value !== null) out.push(r.value);
  return out;
}

export function isAgreed(entry: IndicatorRatings | undefined): boolean {
  return entry?.consensus !== undefined || entry?.status === 'agreed';
}
