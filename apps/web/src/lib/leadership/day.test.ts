/** The leadership view's day format matches the plan page's. */
import { describe, expect, it } from 'vitest';
import { formatDay as planDay } from '$lib/plan/warnings';
import { formatDay } from './day.js';

describe('formatDay', () => {
  it('writes a calendar day as the plan page does', () => {
    for (const d of ['2026-11-03', '2027-01-31', '2026-12-31', '2028-02-29']) {
      expect(formatDay(d)).toBe(planDay(d));
    }
    expect(formatDay('2026-11-03')).toBe('Nov 3, 2026');
  });
});
