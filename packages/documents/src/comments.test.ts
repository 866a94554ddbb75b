import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addThread,
  createComments,
  markThreadRead,
  readCounts,
  readThreads,
  unreadMessages,
  reopenThread,
  reply,
  resolveThread,
  resolveTextAnchor,
  textAnchor,
} from './comments.js';
import { DocumentInputError } from './errors.js';
import { exchange, reload, twoPeers, withHostileEdit } from './test-fixtures.js';

const T1 = '2026-10-01T18:00:00Z';
const T2 = '2026-10-01T18:05:00Z';

describe('comments document', () => {
  it('round-trips threads on items with replies, mentions, resolve and reopen', () => {
    const doc = new Y.Doc();
    createComments(doc);
    const id = addThread(doc, {
      threadId: 't1',
      id: 'm1',
      anchor: { kind: 'indicator', id: 'dc.1.4' },
      author: 'u-ana',
      body: 'Do we have the budget memo? @Raj',
      at: T1,
      mentions: ['u-raj', 'u-raj'],
    });
    reply(doc, id, { id: 'm2', author: 'u-raj', body: 'Attached to evidence.', at: T2 });
    resolveThread(doc, id, { by: 'u-ana', at: T2 });
    let [thread] = readThreads(reload(doc));
    expect(thread).toEqual({
      id: 't1',
      anchor: { kind: 'indicator', id: 'dc.1.4' },
      createdBy: 'u-ana',
      createdAt: T1,
      resolved: { by: 'u-ana', at: T2 },
      messages: [
        {
          id: 'm1',
          author: 'u-ana',
          body: 'Do we have the budget memo? @Raj',
          createdAt: T1,
          mentions: ['u-raj'],
        },
        { id: 'm2', author: 'u-raj', body: 'Attached to evidence.', createdAt: T2, mentions: [] },
      ],
    });
    reopenThread(doc, id);
    [thread] = readThreads(doc);
    expect(thread!.resolved).toBeNull();
  });

  it('keeps a text anchor on the same words while the text is edited around them', () => {
    const parent = new Y.Doc();
    const vision = parent.getText('vision');
    vision.insert(0, 'Every student owns their learning.');
    const anchor = textAnchor(vision, 'vision', 6, 7); // "student"
    const comments = new Y.Doc();
    createComments(comments);
    addThread(comments, { anchor, author: 'u1', body: 'Every? Incl. SPED?', at: T1 });
    vision.insert(0, 'By 2030, ');
    vision.insert(vision.length, ' Together.');
    const stored = readThreads(reload(comments))[0]!.anchor;
    const where = resolveTextAnchor(stored, parent)!;
    expect(vision.toString().slice(where.index, where.index + where.length)).toBe('student');
    expect(where.type).toBe(vision);
    expect(resolveTextAnchor({ kind: 'goal', id: 'g1' }, parent)).toBeNull();
    expect(
      resolveTextAnchor(
        { kind: 'text', field: 'x', start: new Uint8Array([255]), end: new Uint8Array() },
        parent,
      ),
    ).toBeNull();
  });

  it('keeps both replies when two people reply at once', () => {
    const [a, b] = twoPeers((doc) => {
      createComments(doc);
      addThread(doc, {
        threadId: 't1',
        anchor: { kind: 'goal', id: 'g1' },
        author: 'u1',
        body: 'Owner?',
        at: T1,
      });
    });
    reply(a, 't1', { author: 'u2', body: 'Me.', at: T2 });
    reply(b, 't1', { author: 'u3', body: 'Or me.', at: T2 });
    exchange(a, b);
    expect(
      readThreads(a)[0]!
        .messages.map((m) => m.body)
        .sort(),
    ).toEqual(['Me.', 'Or me.', 'Owner?']);
    expect(readThreads(b)).toEqual(readThreads(a));
  });

  // Both orders of client ids, set explicitly: which of two concurrent writes Yjs keeps depends
  // on them, and the marks must survive either way.
  describe.each([
    { name: 'lower', a: 1, b: 2 },
    { name: 'higher', a: 2, b: 1 },
  ])('counts what each person has not read (older tab has the $name client id)', (ids) => {
    const peers = () => {
      const [a, b] = twoPeers((doc) => {
        createComments(doc);
        for (const threadId of ['t1', 't2']) {
          addThread(doc, {
            threadId,
            anchor: { kind: 'indicator', id: 'i1' },
            author: 'u1',
            body: 'Is this current?',
            at: T1,
          });
        }
      });
      a.clientID = ids.a;
      b.clientID = ids.b;
      return [a, b] as const;
    };

    it('never lowers what they saw', () => {
      const [a, b] = peers();
      reply(a, 't1', { author: 'u2', body: 'Yes, March.', at: T2 });
      exchange(a, b);
      const thread = () => readThreads(b).find((t) => t.id === 't1')!;
      // u1 wrote the first message: only u2's reply is new to u1; both are new to u3.
      expect(unreadMessages(thread(), readCounts(b, 'u1').get('t1') ?? 0, 'u1')).toHaveLength(1);
      expect(unreadMessages(thread(), readCounts(b, 'u3').get('t1') ?? 0, 'u3')).toHaveLength(2);
      markThreadRead(b, 'u3', 't1', 2);
      markThreadRead(a, 'u3', 't1', 1); // an older tab, later: does not lower the count
      exchange(a, b);
      expect(readCounts(a, 'u3').get('t1')).toBe(2);
      expect(readCounts(b, 'u3').get('t1')).toBe(2);
      expect(unreadMessages(thread(), 2, 'u3')).toHaveLength(0);
    });

    it("keeps both tabs' first marks, made at once on different threads", () => {
      const [a, b] = peers();
      // Neither replica has any mark of u3 yet: both write their first at the same time.
      markThreadRead(a, 'u3', 't1', 1);
      markThreadRead(b, 'u3', 't2', 1);
      exchange(a, b);
      for (const doc of [a, b]) {
        expect(readCounts(doc, 'u3')).toEqual(
          new Map([
            ['t1', 1],
            ['t2', 1],
          ]),
        );
      }
      // A later mark folds the other replica's key into its own: one key per reader and thread.
      markThreadRead(a, 'u3', 't2', 2);
      exchange(a, b);
      expect(readCounts(b, 'u3').get('t2')).toBe(2);
      expect([...b.getMap('reads').keys()].filter((k) => k.includes(' t2 '))).toHaveLength(1);
    });
  });

  it('refuses bad read marks and overlong replies', () => {
    const doc = new Y.Doc();
    createComments(doc);
    addThread(doc, {
      threadId: 't1',
      anchor: { kind: 'indicator', id: 'i1' },
      author: 'u1',
      body: 'Is this current?',
      at: T1,
    });
    expect(() => markThreadRead(doc, 'u3', 't1', -1)).toThrow(/count/);
    expect(() => markThreadRead(doc, 'u 3', 't1', 1)).toThrow(/userId: must not contain spaces/);
    expect(() => reply(doc, 't1', { author: 'u3', body: 'x'.repeat(5001), at: T2 })).toThrow(
      /body: at most 5,000 characters/,
    );
  });

  it('refuses bad input and reads junk as absent', () => {
    const doc = new Y.Doc();
    createComments(doc);
    expect(() =>
      addThread(doc, {
        anchor: { kind: 'page' as never, id: 'x' },
        author: 'u',
        body: 'x',
        at: T1,
      }),
    ).toThrow(DocumentInputError);
    expect(() =>
      addThread(doc, { anchor: { kind: 'goal', id: 'g1' }, author: 'u', body: '', at: T1 }),
    ).toThrow(/body: must not be empty/);
    expect(() => reply(doc, 'nope', { author: 'u', body: 'x', at: T1 })).toThrow(
      /no thread "nope"/,
    );
    addThread(doc, {
      threadId: 't1',
      anchor: { kind: 'goal', id: 'g1' },
      author: 'u',
      body: 'ok',
      at: T1,
    });
    const victim = withHostileEdit(doc, (h) => {
      const threads = h.getMap<unknown>('threads');
      (threads.get('t1') as Y.Map<unknown>).set('resolved', 'yes');
      ((threads.get('t1') as Y.Map<unknown>).get('messages') as Y.Array<unknown>).push([
        { id: 'm9', author: 'x', body: 3, createdAt: T2 },
        'hi',
      ]);
      threads.set('t2', new Y.Map([['anchor', { kind: 'goal' }]]));
      threads.set('t3', 'junk');
    });
    const threads = readThreads(victim);
    expect(threads.map((t) => t.id)).toEqual(['t1']);
    expect(threads[0]!.resolved).toBeNull();
    expect(threads[0]!.messages).toHaveLength(1);
  });
});
