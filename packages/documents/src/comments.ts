/**
 * The comments document of one parent document (kind `comments`): threads anchored to an item
 * of the parent (an indicator or prerequisite category, a goal, an action step, a metric) or to a
 * range of one of its texts (two Y.RelativePositions, which follow the text as people edit it).
 * A thread is a list of messages (the first is the comment, the rest replies), with mentions,
 * and can be resolved and reopened.
 *
 * A message is one person's words, written once: it is a plain string, not co-edited text.
 */
import * as Y from 'yjs';
import { MAX_COMMENT } from './bounds.js';
import { refuse } from './errors.js';
import { writeMeta } from './meta.js';
import { ROOT, THREAD } from './schema.js';
import {
  asArray,
  asId,
  asMap,
  asOneOf,
  asRecord,
  asString,
  asTimestamp,
  checkId,
  checkString,
  checkTimestamp,
  newId,
  rootMap,
  show,
} from './values.js';

export const ITEM_ANCHOR_KINDS = ['indicator', 'goal', 'step', 'metric'] as const;
export type ItemAnchorKind = (typeof ITEM_ANCHOR_KINDS)[number];

export type Anchor =
  | { kind: ItemAnchorKind; id: string }
  | {
      kind: 'text';
      /** Which text of the parent, as the editor names it, e.g. "vision", "goal:g1:statement". */
      field: string;
      /** Y.encodeRelativePosition of the range's start and end in that text. */
      start: Uint8Array;
      end: Uint8Array;
    };

export interface Message {
  id: string;
  author: string;
  body: string;
  createdAt: string;
  /** User ids mentioned. */
  mentions: string[];
}

export interface ThreadSnapshot {
  id: string;
  anchor: Anchor;
  createdBy: string;
  createdAt: string;
  resolved: { by: string; at: string } | null;
  messages: Message[];
}

export interface MessageInput {
  id?: string | undefined;
  author: string;
  body: string;
  at: string;
  mentions?: readonly string[] | undefined;
}

/** Lays out a new comments document. */
export function createComments(doc: Y.Doc): void {
  doc.transact(() => {
    writeMeta(doc, 'comments', null);
    doc.getMap(ROOT.threads);
  });
}

/**
 * An anchor on `length` characters of `text` from `index`. The positions stick to the characters
 * around them, so the range moves with edits before it.
 */
export function textAnchor(text: Y.Text, field: string, index: number, length: number): Anchor {
  refuse([
    checkString(field, 'field', { blank: false }),
    (!Number.isInteger(index) || index < 0 || index > text.length) &&
      `index: must be a position in the text (0-${text.length})`,
    (!Number.isInteger(length) || length < 0 || index + length > text.length) &&
      `length: the range must end inside the text (at most ${text.length - index})`,
  ]);
  return {
    kind: 'text',
    field,
    start: Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index)),
    // assoc -1: the end sticks to the last character of the range, not to what is typed after it.
    end: Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index + length, -1)),
  };
}

/**
 * Where a text anchor is now in `parent` (the annotated document): the text, the index and the
 * length; null when the anchor is not a text anchor, its text is gone, or it does not decode.
 */
export function resolveTextAnchor(
  anchor: Anchor,
  parent: Y.Doc,
): { type: Y.AbstractType<unknown>; index: number; length: number } | null {
  if (anchor.kind !== 'text') return null;
  try {
    const start = Y.createAbsolutePositionFromRelativePosition(
      Y.decodeRelativePosition(anchor.start),
      parent,
    );
    const end = Y.createAbsolutePositionFromRelativePosition(
      Y.decodeRelativePosition(anchor.end),
      parent,
    );
    if (!start || !end || start.type !== end.type) return null;
    return { type: start.type, index: start.index, length: Math.max(0, end.index - start.index) };
  } catch {
    return null;
  }
}

function anchorProblems(anchor: Anchor): (string | null | false)[] {
  if (anchor?.kind === 'text') {
    return [
      checkString(anchor.field, 'anchor.field', { blank: false }),
      !(anchor.start instanceof Uint8Array && anchor.end instanceof Uint8Array) &&
        'anchor.start, anchor.end: must be encoded relative positions (use textAnchor)',
    ];
  }
  return [
    !asOneOf(anchor?.kind, ITEM_ANCHOR_KINDS) &&
      `anchor.kind: must be one of ${[...ITEM_ANCHOR_KINDS, 'text'].join(', ')} (got ${show(anchor?.kind)})`,
    checkId(anchor?.id, 'anchor.id'),
  ];
}

function messageProblems(input: MessageInput, id: string): (string | null | false)[] {
  return [
    checkId(id, 'id'),
    checkString(input.author, 'author', { blank: false }),
    checkString(input.body, 'body', { blank: false }),
    typeof input.body === 'string' &&
      input.body.length > MAX_COMMENT &&
      `body: at most ${MAX_COMMENT.toLocaleString('en-US')} characters (got ${input.body.length.toLocaleString('en-US')})`,
    checkTimestamp(input.at, 'at'),
    ...(input.mentions ?? []).map((m, i) => checkString(m, `mentions[${i}]`, { blank: false })),
  ];
}

function messageValue(input: MessageInput, id: string): Message {
  return {
    id,
    author: input.author,
    body: input.body,
    createdAt: input.at,
    mentions: [...new Set(input.mentions ?? [])],
  };
}

/** Starts a thread with its first message; returns the thread id. */
export function addThread(
  doc: Y.Doc,
  input: MessageInput & { anchor: Anchor; threadId?: string | undefined },
): string {
  const threadId = input.threadId ?? newId('thread');
  const messageId = input.id ?? newId('msg');
  refuse([
    checkId(threadId, 'threadId'),
    rootMap(doc, ROOT.threads)?.has(threadId) && `threadId: there is already a thread ${threadId}`,
    ...anchorProblems(input.anchor),
    ...messageProblems(input, messageId),
  ]);
  doc.transact(() => {
    const thread = new Y.Map<unknown>();
    const anchor =
      input.anchor.kind === 'text'
        ? {
            kind: 'text',
            field: input.anchor.field,
            start: input.anchor.start,
            end: input.anchor.end,
          }
        : { kind: input.anchor.kind, id: input.anchor.id };
    thread.set(THREAD.anchor, anchor);
    thread.set(THREAD.createdBy, input.author);
    thread.set(THREAD.createdAt, input.at);
    thread.set(THREAD.messages, Y.Array.from([messageValue(input, messageId)]));
    doc.getMap(ROOT.threads).set(threadId, thread);
  });
  return threadId;
}

function threadMap(doc: Y.Doc, threadId: string): Y.Map<unknown> {
  const thread = asMap(rootMap(doc, ROOT.threads)?.get(threadId));
  refuse([!thread && `threadId: there is no thread ${show(threadId)}`]);
  return thread!;
}

/** Adds a reply to a thread; returns the message id. */
export function reply(doc: Y.Doc, threadId: string, input: MessageInput): string {
  const thread = threadMap(doc, threadId);
  const id = input.id ?? newId('msg');
  refuse(messageProblems(input, id));
  doc.transact(() => {
    const messages =
      asArray(thread.get(THREAD.messages)) ?? thread.set(THREAD.messages, new Y.Array());
    messages.push([messageValue(input, id)]);
  });
  return id;
}

export function resolveThread(doc: Y.Doc, threadId: string, by: { by: string; at: string }): void {
  const thread = threadMap(doc, threadId);
  refuse([checkString(by.by, 'by', { blank: false }), checkTimestamp(by.at, 'at')]);
  doc.transact(() => thread.set(THREAD.resolved, { by: by.by, at: by.at }));
}

export function reopenThread(doc: Y.Doc, threadId: string): void {
  const thread = threadMap(doc, threadId);
  doc.transact(() => thread.delete(THREAD.resolved));
}

/**
 * A read mark's key in `reads`: the reader, the thread and the replica (Y.Doc client id) that
 * wrote it, separated by spaces (which neither a user id nor a thread id holds). Each replica
 * writes only its own key, so two tabs marking the same thread at once never write the same key
 * and neither mark is lost; readers take the highest. (Schema v2 kept a nested Y.Map per reader,
 * created lazily: two replicas creating it at once lost one replica's marks. Readers still read
 * it; nothing writes it.)
 */
export function readKey(userId: string, threadId: string, replica: number): string {
  return `${userId} ${threadId} ${replica}`;
}

/** The reader and thread of a read-mark key, or null when it is not one. */
export function parseReadKey(key: string): { userId: string; threadId: string } | null {
  const parts = key.split(' ');
  if (parts.length !== 3 || !/^\d+$/.test(parts[2]!)) return null;
  const [userId, threadId] = parts as [string, string];
  return userId !== '' && asId(threadId) ? { userId, threadId } : null;
}

/**
 * Records that `userId` has seen the first `count` messages of a thread (they opened it). Never
 * lowers the count: it writes only a higher one, and folds in (deletes) the marks of this
 * reader's other replicas that it has seen, so the map does not grow with every tab ever opened.
 */
export function markThreadRead(doc: Y.Doc, userId: string, threadId: string, count: number): void {
  refuse([
    checkString(userId, 'userId', { blank: false }),
    typeof userId === 'string' && userId.includes(' ') && 'userId: must not contain spaces',
    checkId(threadId, 'threadId'),
    (!Number.isInteger(count) || count < 0) && 'count: must be a whole number of messages',
  ]);
  if ((readCounts(doc, userId).get(threadId) ?? 0) >= count) return;
  const reads = doc.getMap<unknown>(ROOT.reads);
  const own = readKey(userId, threadId, doc.clientID);
  doc.transact(() => {
    reads.set(own, count);
    for (const key of [...reads.keys()]) {
      const parsed = parseReadKey(key);
      if (key !== own && parsed?.userId === userId && parsed.threadId === threadId) {
        reads.delete(key);
      }
    }
  });
}

/** How many messages of each thread `userId` has seen, by thread id (the highest mark of any
 * of their replicas). */
export function readCounts(doc: Y.Doc, userId: string): Map<string, number> {
  const out = new Map<string, number>();
  const note = (threadId: string, n: unknown) => {
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n > (out.get(threadId) ?? -1)) {
      out.set(threadId, n);
    }
  };
  const reads = rootMap(doc, ROOT.reads);
  for (const [key, value] of reads?.entries() ?? []) {
    const parsed = parseReadKey(key);
    if (parsed?.userId === userId) note(parsed.threadId, value);
  }
  // Schema v2's nested map of this reader (read, never written).
  for (const [id, n] of asMap(reads?.get(userId))?.entries() ?? []) note(id, n);
  return out;
}

/** The messages of `thread` that `userId` has not seen and did not write. */
export function unreadMessages(thread: ThreadSnapshot, seen: number, userId: string): Message[] {
  return thread.messages.slice(seen).filter((m) => m.author !== userId);
}

// ---- reading ----

/** Every readable thread, oldest first; threads without a valid anchor or first message are
 * left out, and so are messages that are not well-formed. */
export function readThreads(doc: Y.Doc): ThreadSnapshot[] {
  const out: ThreadSnapshot[] = [];
  for (const [id, value] of rootMap(doc, ROOT.threads)?.entries() ?? []) {
    const thread = asMap(value);
    if (!thread || !asId(id)) continue;
    const anchor = readAnchor(thread.get(THREAD.anchor));
    const createdBy = asString(thread.get(THREAD.createdBy));
    const createdAt = asTimestamp(thread.get(THREAD.createdAt));
    const messages = (asArray(thread.get(THREAD.messages))?.toArray() ?? [])
      .map(readMessage)
      .filter((m): m is Message => m !== null);
    if (!anchor || !createdBy || !createdAt || messages.length === 0) continue;
    const resolved = asRecord(thread.get(THREAD.resolved));
    const resolvedBy = asString(resolved?.by);
    const resolvedAt = asTimestamp(resolved?.at);
    out.push({
      id,
      anchor,
      createdBy,
      createdAt,
      resolved: resolvedBy && resolvedAt ? { by: resolvedBy, at: resolvedAt } : null,
      messages,
    });
  }
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

function readAnchor(value: unknown): Anchor | null {
  const record = asRecord(value);
  if (!record) return null;
  if (record.kind === 'text') {
    const field = asString(record.field);
    const { start, end } = record;
    return field && start instanceof Uint8Array && end instanceof Uint8Array
      ? { kind: 'text', field, start, end }
      : null;
  }
  const kind = asOneOf(record.kind, ITEM_ANCHOR_KINDS);
  const id = asId(record.id);
  return kind && id ? { kind, id } : null;
}

function readMessage(value: unknown): Message | null {
  const record = asRecord(value);
  const id = asId(record?.id);
  const author = asString(record?.author);
  const body = asString(record?.body);
  const createdAt = asTimestamp(record?.createdAt);
  if (!record || !id || !author || body === undefined || !createdAt) return null;
  const mentions = Array.isArray(record.mentions)
    ? [...new Set(record.mentions.filter((m): m is string => typeof m === 'string' && m !== ''))]
    : [];
  return { id, author, body, createdAt, mentions };
}
