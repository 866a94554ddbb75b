/**
 * School years as the product writes them ("2026-27": a year and the next one's last two digits)
 * and the years a strategic plan spans. Pure, for the wizard's server and its page alike.
 */

/** A US school year runs from July to June: in June 2026 it is 2025-26, from July 2026-27. */
const FIRST_MONTH = 6; // July, as Date counts months

/** The school year `date` falls in (local time), e.g. "2026-27". */
export function currentSchoolYear(date: Date): string {
  const start = date.getMonth() >= FIRST_MONTH ? date.getFullYear() : date.getFullYear() - 1;
  return schoolYearFrom(start);
}

/** "2026" → "2026-27". */
export function schoolYearFrom(startYear: number): string {
  return `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`;
}

/** The KnowledgeWorks framework's timeline: a planning year and four of implementation. */
export const PLAN_YEARS_DEFAULT = 5;
export const PLAN_YEARS_MAX = 5;

/**
 * The years a plan starting in `schoolYear` covers, in words: "2026-27" for one, "2026-27 to
 * 2030-31" for several. `schoolYear` must already be valid.
 */
export function planSpan(schoolYear: string, years: number): string {
  if (years <= 1) return schoolYear;
  const start = Number(schoolYear.slice(0, 4));
  return `${schoolYear} to ${schoolYearFrom(start + years - 1)}`;
}

/**
 * The plan document's title: "Strategic plan 2026-27" for one year, "Strategic plan 2026-2031"
 * for five (the demo seed's form: first and last calendar year).
 */
export function planTitle(schoolYear: string, years: number): string {
  if (years <= 1) return `Strategic plan ${schoolYear}`;
  const start = Number(schoolYear.slice(0, 4));
  return `Strategic plan ${start}-${start + years}`;
}
