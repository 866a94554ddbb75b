import { describe, expect, it } from 'vitest';
import { dueGroup } from './due';

describe('my actions by when they are due', () => {
  it('overdue, within two weeks, later, or no date', () => {
    const today = '2026-12-07';
    expect(dueGroup('2026-12-06', today)).toBe('overdue');
    expect(dueGroup('2026-12-07', today)).toBe('soon');
    expect(dueGroup('2026-12-21', today)).toBe('soon');
    expect(dueGroup('2026-12-22', today)).toBe('later');
    expect(dueGroup(null, today)).toBe('undated');
    // Across a month and a year end.
    expect(dueGroup('2027-01-04', '2026-12-25')).toBe('soon');
  });
});
