import { describe, expect, it } from 'vitest';
import { currentSchoolYear, planSpan, planTitle } from './school-year';

describe('school years', () => {
  it('starts a school year in July', () => {
    expect(currentSchoolYear(new Date(2026, 5, 30))).toBe('2025-26');
    expect(currentSchoolYear(new Date(2026, 6, 1))).toBe('2026-27');
    expect(currentSchoolYear(new Date(2026, 11, 31))).toBe('2026-27');
    expect(currentSchoolYear(new Date(2099, 8, 1))).toBe('2099-00');
    expect(currentSchoolYear(new Date(2008, 8, 1))).toBe('2008-09');
  });

  it('says which years a plan spans, and titles it as the demo seed does', () => {
    expect(planSpan('2026-27', 1)).toBe('2026-27');
    expect(planSpan('2026-27', 5)).toBe('2026-27 to 2030-31');
    expect(planTitle('2026-27', 1)).toBe('Strategic plan 2026-27');
    expect(planTitle('2026-27', 5)).toBe('Strategic plan 2026-2031');
    expect(planTitle('2027-28', 3)).toBe('Strategic plan 2027-2030');
  });
});
