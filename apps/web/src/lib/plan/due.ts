/**
 * When an assigned action is due, as My actions groups it: overdue, within two weeks, later, or
 * no due date. Dates are calendar days (YYYY-MM-DD), compared as such.
 */
export type DueGroup = 'overdue' | 'soon' | 'later' | 'undated';

export const DUE_GROUPS: readonly { id: DueGroup; title: string }[] = [
  { id: 'overdue', title: 'Overdue' },
  { id: 'soon', title: 'Due in the next two weeks' },
  { id: 'later', title: 'Later' },
  { id: 'undated', title: 'No due date' },
];

/** The group of an action due on `dueDate`, seen on `today` (YYYY-MM-DD). */
export function dueGroup(dueDate: string | null, today: string): DueGroup {
  if (dueDate === null) return 'undated';
  if (dueDate < today) return 'overdue';
  const soon = new Date(`${today}T00:00:00Z`);
  soon.setUTCDate(soon.getUTCDate() + 14);
  return dueDate <= soon.toISOString().slice(0, 10) ? 'soon' : 'later';
}
