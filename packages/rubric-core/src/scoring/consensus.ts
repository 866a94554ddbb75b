/**
 * Recording a consensus: the agreed level, the rationale, who and when, with a snapshot of every
 * original rating (never overwritten), and how far each rater moved to reach it.
 */
import type { Scale } from '../template/schema.js';
import type { TemplateIssue } from '../template/parse.js';
import { positionOf } from './indicator.js';
import { allowedValues } from './validate.js';
import type { ConsensusRecord, RaterRating } from './ratings.js';

export interface ConsensusInput {
  indicatorId: string;
  value: number;
  rationale: string;
  decidedBy: string;
  decidedAt: string;
  ratings: readonly RaterRating[];
}

export type ConsensusResult =
  { ok: true; value: ConsensusRecord } | { ok: false; issues: TemplateIssue[] };

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Validates and freezes a consensus decision. Errors name the field and what to do. */
export function recordConsensus(input: ConsensusInput, scale: Scale): ConsensusResult {
  const issues: TemplateIssue[] = [];
  if (!scale.levels.some((l) => l.value === input.value)) {
    issues.push({
      path: 'value',
      message: `choose one of the scale's levels (${scale.levels.map((l) => `${l.value} ${l.label}`).join(', ')})`,
    });
  }
  if (input.rationale.trim() === '') {
    issues.push({ path: 'rationale', message: 'say briefly why the group agreed on this level' });
  }
  if (input.decidedBy.trim() === '') {
    issues.push({ path: 'decidedBy', message: 'the person recording the consensus is required' });
  }
  if (!ISO_TIMESTAMP.test(input.decidedAt) || Number.isNaN(Date.parse(input.decidedAt))) {
    issues.push({ path: 'decidedAt', message: 'must be an ISO 8601 timestamp with a time zone' });
  }
  input.ratings.forEach((r, i) => {
    if (r.value !== null && !scale.levels.some((l) => l.value === r.value)) {
      issues.push({
        path: `ratings[${i}].value`,
        message: `rater ${JSON.stringify(r.raterId)} gave ${String(r.value)} for indicator ${JSON.stringify(input.indicatorId)}, which is not on its scale; allowed values: ${allowedValues(scale)}, or null for not rated`,
      });
    }
  });
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    value: Object.freeze({
      indicatorId: input.indicatorId,
      value: input.value,
      rationale: input.rationale.trim(),
      decidedBy: input.decidedBy,
      decidedAt: input.decidedAt,
      ratings: Object.freeze(input.ratings.map((r) => Object.freeze({ ...r }))),
    }),
  };
}

export interface RaterMovement {
  raterId: string;
  from: number;
  to: number;
  /** Signed distance in levels: positive when the consensus is above the rater's rating. */
  levels: number;
}

export interface Movement {
  perRater: RaterMovement[];
  /** Raters whose rating differs from the consensus. */
  moved: number;
  meanAbsolute: number | null;
  maxAbsolute: number | null;
}

/** How far each rater's original rating is from the consensus (raters who did not rate omitted). */
export function movement(record: ConsensusRecord, scale: Scale): Movement {
  const to = positionOf(record.value, scale);
  const perRater: RaterMovement[] = [];
  for (const r of record.ratings) {
    if (r.value === null) continue;
    const from = positionOf(r.value, scale, r.raterId);
    perRater.push({ raterId: r.raterId, from: r.value, to: record.value, levels: to - from });
  }
  const abs = perRater.map((m) => Math.abs(m.levels));
  return {
    perRater,
    moved: abs.filter((d) => d > 0).length,
    meanAbsolute: abs.length ? abs.reduce((a, b) => a + b, 0) / abs.length : null,
    maxAbsolute: abs.length ? Math.max(...abs) : null,
  };
}
