import type { ThreadSnapshot } from '@concord/documents';
import { describe, expect, it } from 'vitest';
import { inboxMessage, inboxSummary } from './inbox-entry';

const AT = '2026-11-23T10:00:00Z';
const message = (id: string, author: string, body: string, mentions: string[] = []) => ({
  id,
  author,
  body,
  createdAt: AT,
  mentions,
});

const thread: ThreadSnapshot = {
  id: 't1',
  anchor: { kind: 'indicator', id: 'dc.1.1' },
  createdBy: 'ana',
  createdAt: AT,
  resolved: null,
  messages: [
    message('m1', 'ana', '@Me Rater is this current?', ['me']),
    message('m2', 'ben', 'I think so.'),
    message('m3', 'me', 'Yes: March minutes.'),
  ],
};

describe('inbox entries', () => {
  it('shows the message that mentioned me under Mentions, not my own reply', () => {
    expect(inboxMessage(thread, 'me', 'mentions')?.id).toBe('m1');
    expect(inboxSummary(inboxMessage(thread, 'me', 'mentions'), (id) => id.toUpperCase())).toBe(
      'ANA: @Me Rater is this current?',
    );
  });

  it('shows the latest message someone else wrote under New', () => {
    expect(inboxMessage(thread, 'me', 'new')?.id).toBe('m2');
    expect(inboxMessage({ ...thread, messages: [thread.messages[2]!] }, 'me', 'new')).toBeNull();
    const long = inboxSummary(message('x', 'ana', 'y'.repeat(200)), (id) => id);
    expect(long.length).toBeLessThanOrEqual(90);
    expect(long.endsWith('…')).toBe(true);
  });
});
