/**
 * Who a presence (Yjs awareness) state says it is: `user: { id, name, color }`, the field Tiptap's
 * CollaborationCaret reads for a caret's name and colour. The sync server writes it from the
 * connection's ticket into every state a client publishes (a client cannot speak as someone
 * else), and the web app shows the same colour for the same person: one definition here.
 *
 * Pure, import-light (`@concord/auth/presence`), for the browser too.
 */

export interface PresenceUser {
  id: string;
  name: string;
  color: string;
}

/** Longest name a presence state carries. */
export const MAX_PRESENCE_NAME = 200;

/** Dark enough for white initials (contrast ≥ 4.5:1 with #fff). */
export const PRESENCE_COLORS: readonly string[] = [
  '#1e4f8f',
  '#8c1d13',
  '#1b5e36',
  '#573a8a',
  '#7a4a00',
  '#005f73',
  '#9d174d',
  '#3f4a5a',
];

/** A person's colour: the same for the same user id, everywhere. */
export function presenceColor(userId: string): string {
  let h = 0;
  for (let i = 0; i < userId.length; i++) h = (h * 31 + userId.charCodeAt(i)) >>> 0;
  return PRESENCE_COLORS[h % PRESENCE_COLORS.length]!;
}

/** The presence user of a member: their id, their name as the server knows it, their colour. */
export function presenceUser(userId: string, name: string): PresenceUser {
  return { id: userId, name: name.slice(0, MAX_PRESENCE_NAME), color: presenceColor(userId) };
}
