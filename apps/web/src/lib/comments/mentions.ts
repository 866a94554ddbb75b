/**
 * @mentions in a comment: who a message names. A person is mentioned by "@" and their full name
 * ("@Ana Rater") or, when no other member shares it, their first name ("@Ana"); matching ignores
 * case and stops at a word boundary, so "@Anabel" is not "@Ana". Pure; the page passes the
 * workspace's members.
 */
export interface Mentionable {
  id: string;
  name: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? '';
}

/** The ways each member can be written after "@", longest first (full name before first). */
function handles(members: readonly Mentionable[]): { id: string; handle: string }[] {
  const firsts = new Map<string, number>();
  for (const m of members) {
    const f = firstName(m.name).toLowerCase();
    firsts.set(f, (firsts.get(f) ?? 0) + 1);
  }
  const out: { id: string; handle: string }[] = [];
  for (const m of members) {
    const full = m.name.trim();
    if (full) out.push({ id: m.id, handle: full });
    const first = firstName(full);
    if (first && first !== full && firsts.get(first.toLowerCase()) === 1)
      out.push({ id: m.id, handle: first });
  }
  return out.sort((a, b) => b.handle.length - a.handle.length);
}

/** The ids of the members `body` mentions, in the order first mentioned, each once. */
export function findMentions(body: string, members: readonly Mentionable[]): string[] {
  return mentionSpans(body, members)
    .map((s) => s.id)
    .filter((id, i, all) => all.indexOf(id) === i);
}

/** Where each mention is in `body` (for showing it as a name, not plain text). */
export function mentionSpans(
  body: string,
  members: readonly Mentionable[],
): { id: string; start: number; end: number }[] {
  const all = handles(members);
  if (all.length === 0 || !body.includes('@')) return [];
  const pattern = new RegExp(
    `(^|[^\\p{L}\\p{N}_])@(${all.map((h) => escape(h.handle)).join('|')})(?![\\p{L}\\p{N}_])`,
    'giu',
  );
  const out: { id: string; start: number; end: number }[] = [];
  for (const match of body.matchAll(pattern)) {
    const written = match[2] ?? '';
    const who = all.find((h) => h.handle.toLowerCase() === written.toLowerCase());
    if (!who) continue;
    const start = (match.index ?? 0) + (match[1]?.length ?? 0);
    out.push({ id: who.id, start, end: start + 1 + written.length });
  }
  return out;
}

/** The members whose name or first name starts with what follows the "@" being typed. */
export function mentionSuggestions(
  query: string,
  members: readonly Mentionable[],
  limit = 6,
): Mentionable[] {
  const q = query.trim().toLowerCase();
  return members
    .filter((m) => {
      const name = m.name.toLowerCase();
      return name.startsWith(q) || name.split(/\s+/).some((part) => part.startsWith(q));
    })
    .slice(0, limit);
}
