/**
 * Calendar days as the leadership view writes them ("Nov 3, 2026"), as lib/plan's formatDay
 * does, through one Intl.DateTimeFormat made once: toLocaleDateString makes a new formatter on
 * every call, which over fifty workspaces' goals and overdue items was most of the page's
 * server time (P11).
 */
const DAY = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "2026-11-03" → "Nov 3, 2026" (a plain calendar day, no time zone). */
export function formatDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return DAY.format(new Date(Date.UTC(y!, m! - 1, d!)));
}
