/**
 * Due dates as an iCalendar file (issue 25, exports): one all-day event per goal or action step
 * with a due date, so a person's or a workspace's deadlines land in their own calendar. Written
 * with the `ics` library (RFC 5545: folding, escaping, CRLF); each event's UID is stable (its
 * kind and id in the plan), so importing the file again updates events instead of doubling them.
 */
import { createEvents, type EventAttributes } from 'ics';

export interface DueItem {
  kind: 'goal' | 'step';
  /** The goal's or step's id in its plan. */
  id: string;
  planId: string;
  title: string;
  /** YYYY-MM-DD. */
  dueDate: string;
  /** A line of context: the goal and workspace. */
  description: string;
  /** Where to open it. */
  url: string;
}

/** The .ics file of `items` (those without a valid date are left out), named `calendarName`. */
export function dueCalendar(items: readonly DueItem[], calendarName: string): string {
  const events: EventAttributes[] = [];
  for (const item of items) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(item.dueDate);
    if (!m) continue;
    events.push({
      uid: `${item.kind}-${item.id}-${item.planId}@concord`,
      start: [Number(m[1]), Number(m[2]), Number(m[3])],
      duration: { days: 1 },
      title: item.kind === 'goal' ? `Goal due: ${item.title}` : `Due: ${item.title}`,
      description: item.description,
      url: item.url,
      productId: 'concord/plan',
      calName: calendarName,
    });
  }
  if (events.length === 0) {
    // An empty calendar is still a calendar (the library refuses an empty list).
    return [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:concord/plan',
      `X-WR-CALNAME:${calendarName.replace(/[\\;,\n]/g, ' ')}`,
      'END:VCALENDAR',
      '',
    ].join('\r\n');
  }
  const { error, value } = createEvents(events);
  if (error || value === null) throw error ?? new Error('the calendar could not be written');
  return value;
}
