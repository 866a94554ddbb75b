/**
 * Launch readiness for a checklist such as the Prerequisites to Launch: ready only when every
 * category has a team (consensus) rating and none of them is at a level that blocks launch.
 * Before the team has decided, categories where any rater chose a blocking level are listed as
 * possible blockers, so the facilitator can raise them first.
 */
import type { ChecklistTemplate, Level } from '../template/schema.js';
import { outline } from '../template/outline.js';
import type { AssessmentRatings } from './ratings.js';
import { assertValidRatings } from './validate.js';

export interface LaunchCategory {
  indicatorId: string;
  title: string;
  level: Level;
}

export interface LaunchReadiness {
  /** `ready`: all rated, none blocking; `blocked`: a team rating blocks; `incomplete`: not all rated. */
  status: 'ready' | 'blocked' | 'incomplete';
  ready: boolean;
  /** Categories whose team rating blocks launch, in checklist order. */
  blockers: LaunchCategory[];
  /** Categories without a team rating yet. */
  undecided: { indicatorId: string; title: string }[];
  /** Undecided categories where at least one rater chose a blocking level. */
  possibleBlockers: { indicatorId: string; title: string; raters: number }[];
}

/** Throws a `RatingsError` when the ratings are invalid (see validate.ts). */
export function launchReadiness(
  template: ChecklistTemplate,
  ratings: AssessmentRatings,
): LaunchReadiness {
  assertValidRatings(template, ratings);
  return launchValidated(template, ratings);
}

/** `launchReadiness` on ratings already validated. */
export function launchValidated(
  template: ChecklistTemplate,
  ratings: AssessmentRatings,
): LaunchReadiness {
  const blockers: LaunchCategory[] = [];
  const undecided: LaunchReadiness['undecided'] = [];
  const possibleBlockers: LaunchReadiness['possibleBlockers'] = [];
  for (const e of outline(template).entries) {
    if (!e.scored) continue;
    const id = e.indicator.id;
    const title = e.indicator.title ?? e.indicator.text;
    const blocking = new Set(e.scale.levels.filter((l) => l.blocksLaunch).map((l) => l.value));
    const entry = ratings[id];
    if (entry?.consensus) {
      const level = e.scale.levels.find((l) => l.value === entry.consensus!.value);
      if (level?.blocksLaunch) blockers.push({ indicatorId: id, title, level });
      continue;
    }
    undecided.push({ indicatorId: id, title });
    const raters =
      entry?.ratings.filter((r) => r.value !== null && blocking.has(r.value)).length ?? 0;
    if (raters > 0) possibleBlockers.push({ indicatorId: id, title, raters });
  }
  const status = blockers.length ? 'blocked' : undecided.length ? 'incomplete' : 'ready';
  return { status, ready: status === 'ready', blockers, undecided, possibleBlockers };
}
