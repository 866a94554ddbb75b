import { describe, expect, it } from 'vitest';
import { dueCalendar } from './calendar';

describe('due dates as iCalendar', () => {
  it('one all-day event per dated item, with a stable uid, a title and a link', () => {
    const ics = dueCalendar(
      [
        {
          kind: 'step',
          id: 'step-1',
          planId: 'p1',
          title: 'Draft the framework; v2',
          dueDate: '2027-01-15',
          description: 'Goal: Pathways · Plan together',
          url: 'http://127.0.0.1/w/ws/plan/p1#goal-g1',
        },
        {
          kind: 'goal',
          id: 'g1',
          planId: 'p1',
          title: 'Pathways',
          dueDate: 'not a date',
          description: '',
          url: 'http://127.0.0.1/',
        },
      ],
      'My actions',
    );
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(ics).toContain('UID:step-step-1-p1@concord');
    expect(ics).toContain('DTSTART;VALUE=DATE:20270115');
    expect(ics).toContain('SUMMARY:Due: Draft the framework\\; v2');
    expect(ics).toContain('X-WR-CALNAME:My actions');
    expect(ics).toContain('\r\n');
  });

  it('an empty calendar is still a calendar', () => {
    const ics = dueCalendar([], 'Nothing due');
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toContain('END:VCALENDAR');
    expect(ics).not.toContain('VEVENT');
  });
});
