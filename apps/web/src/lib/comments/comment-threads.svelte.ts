/**
 * Rune adapter over a comments document: its threads (re-read when a thread changes), what I have
 * read, and the counts the page shows (new per item, new in the document, my mentions). Writes
 * go through @concord/documents' comments functions in one transaction each, so they sync,
 * work offline and keep attributed history like every other edit.
 */
import {
  addThread,
  markThreadRead,
  readCounts,
  readThreads,
  reopenThread,
  reply,
  resolveThread,
  ROOT,
  unreadMessages,
  type ItemAnchorKind,
  type ThreadSnapshot,
} from '@concord/documents';
import type * as Y from 'yjs';
import type { AnchorRange } from '$lib/editor/comment-anchors';

/** How a thread on a range of an item's evidence names its text. */
export const evidenceField = (itemId: string) => `evidence:${itemId}`;

/** The item a thread is on: its anchor's item, or the item whose evidence holds its range. */
export function itemOfAnchor(thread: ThreadSnapshot): string | null {
  if (thread.anchor.kind !== 'text') return thread.anchor.id;
  const match = /^evidence:(.+)$/.exec(thread.anchor.field);
  return match?.[1] ?? null;
}

/** When a message is written: a value stored in the document, not reactive state. */
const stamp = () => new Date().toISOString();

/** Read counts are replaced whole on each change, never mutated. */
const NO_READS: ReadonlyMap<string, number> = new Map();

export class CommentThreads {
  threads: ThreadSnapshot[] = $state.raw([]);
  private seen: ReadonlyMap<string, number> = $state.raw(NO_READS);
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly doc: Y.Doc,
    readonly me: string,
  ) {
    const threads = doc.getMap<unknown>(ROOT.threads);
    const reads = doc.getMap<unknown>(ROOT.reads);
    const refreshThreads = () => (this.threads = readThreads(doc));
    const refreshSeen = () => (this.seen = readCounts(doc, me));
    refreshThreads();
    refreshSeen();
    threads.observeDeep(refreshThreads);
    reads.observeDeep(refreshSeen);
    this.cleanups.push(
      () => threads.unobserveDeep(refreshThreads),
      () => reads.unobserveDeep(refreshSeen),
    );
  }

  /** Threads on an item or on a range of its evidence, oldest first. */
  onItem(itemId: string): ThreadSnapshot[] {
    const field = evidenceField(itemId);
    return this.threads.filter((t) =>
      t.anchor.kind === 'text' ? t.anchor.field === field : t.anchor.id === itemId,
    );
  }

  /** The ranges of an item's evidence that threads are on (for the editor to highlight). */
  evidenceRanges(itemId: string): AnchorRange[] {
    const field = evidenceField(itemId);
    return this.threads.flatMap((t) =>
      t.anchor.kind === 'text' && t.anchor.field === field
        ? [{ threadId: t.id, start: t.anchor.start, end: t.anchor.end, resolved: !!t.resolved }]
        : [],
    );
  }

  /** Messages of `thread` I have not seen (others' only). */
  unread(thread: ThreadSnapshot): number {
    return unreadMessages(thread, this.seen.get(thread.id) ?? 0, this.me).length;
  }

  /** New messages per item id, for the cards and the outline. */
  readonly unreadByItem: Readonly<Record<string, number>> = $derived.by(() => {
    const out: Record<string, number> = {};
    for (const t of this.threads) {
      const item = itemOfAnchor(t);
      if (!item) continue;
      const n = this.unread(t);
      if (n > 0) out[item] = (out[item] ?? 0) + n;
    }
    return out;
  });

  readonly unreadTotal: number = $derived(
    Object.values(this.unreadByItem).reduce((a, b) => a + b, 0),
  );

  /** Open threads where someone mentions me, newest first. */
  readonly mentions: ThreadSnapshot[] = $derived(
    this.threads
      .filter((t) => t.messages.some((m) => m.author !== this.me && m.mentions.includes(this.me)))
      .reverse(),
  );

  /** A thread on an item: an indicator or category, or a plan's goal, action step or metric. */
  start(
    itemId: string,
    body: string,
    mentions: string[],
    kind: ItemAnchorKind = 'indicator',
  ): string {
    return addThread(this.doc, {
      anchor: { kind, id: itemId },
      author: this.me,
      body,
      at: stamp(),
      mentions,
    });
  }

  /** A thread on a range of an item's evidence (positions from the editor's selection). */
  startOnEvidence(
    itemId: string,
    range: { start: Uint8Array; end: Uint8Array },
    body: string,
    mentions: string[],
  ): string {
    return addThread(this.doc, {
      anchor: { kind: 'text', field: evidenceField(itemId), start: range.start, end: range.end },
      author: this.me,
      body,
      at: stamp(),
      mentions,
    });
  }

  reply(threadId: string, body: string, mentions: string[]): void {
    reply(this.doc, threadId, { author: this.me, body, at: stamp(), mentions });
  }

  resolve(threadId: string): void {
    resolveThread(this.doc, threadId, { by: this.me, at: stamp() });
  }

  reopen(threadId: string): void {
    reopenThread(this.doc, threadId);
  }

  /** I have seen every message of these threads (their item's comments are open on screen). */
  markRead(threads: readonly ThreadSnapshot[]): void {
    const stale = threads.filter((t) => (this.seen.get(t.id) ?? 0) < t.messages.length);
    if (stale.length === 0) return;
    this.doc.transact(() => {
      for (const t of stale) markThreadRead(this.doc, this.me, t.id, t.messages.length);
    });
  }

  destroy(): void {
    for (const c of this.cleanups.splice(0)) c();
  }
}
