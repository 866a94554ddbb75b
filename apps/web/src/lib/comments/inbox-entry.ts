/**
 * Which message an inbox entry shows for a thread: under "Mentions" the latest message that
 * mentions me (not the thread's last, which may be my own reply to it); under "New" the latest
 * message someone else wrote. Pure, for the inbox component and its tests.
 */
import type { Message, ThreadSnapshot } from '@concord/documents';

export type InboxList = 'mentions' | 'new';

export function inboxMessage(thread: ThreadSnapshot, me: string, list: InboxList): Message | null {
  for (let i = thread.messages.length - 1; i >= 0; i--) {
    const m = thread.messages[i]!;
    if (m.author === me) continue;
    if (list === 'new' || m.mentions.includes(me)) return m;
  }
  return null;
}

/** "Ana Rater: Yes, March." cut to `max` characters with an ellipsis. */
export function inboxSummary(
  message: Message | null,
  nameOf: (userId: string) => string,
  max = 90,
): string {
  if (!message) return '';
  const text = `${nameOf(message.author)}: ${message.body}`;
  return text.length > max ? `${text.slice(0, max - 3)}…` : text;
}
