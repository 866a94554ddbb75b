/**
 * The live side of one document page: the documents it has open (the instrument, my ratings,
 * its comments), my undo history, my progress per section, the rating rounds and which of my
 * ratings are fixed, and the round commands a facilitator sends. The page makes one per
 * instrument it shows (another school's copy gets another) and destroys it when it leaves; the
 * route wires it, components show it.
 */
import {
  clearDecision,
  recordDecision,
  ROOT,
  setItemStatus,
  type ItemStatus,
} from '@concord/documents';
import type { LeveledTemplate } from '@concord/rubric-core';
import * as Y from 'yjs';
import { CommentThreads } from '$lib/comments/comment-threads.svelte';
import type { PageItem, PageSection } from '$lib/document/items';
import { FrozenItems, LiveRounds } from '$lib/facilitation/live-rounds.svelte';
import { LiveDocument } from '$lib/sync/live-document.svelte';
import type { PresenceUser } from '$lib/sync/presence.svelte';
import { RoundCommands, type RoundAnswer, type RoundCommandBody } from '$lib/sync/round-commands';
import type { SyncTicket } from '$lib/sync/ticket';
import { YMapCount } from '$lib/sync/y-map-key.svelte';

export interface DocumentSessionOptions {
  workspaceId: string;
  instrumentId: string;
  commentsDocumentId: string;
  /** My private ratings document, when I rate. */
  ratingsDocumentId: string | null;
  me: PresenceUser;
  canEdit: boolean;
  canRate: boolean;
  sections: readonly PageSection[];
  template: LeveledTemplate;
  tickets: Readonly<Record<string, SyncTicket | null | undefined>>;
}

/** Origin of my rating changes: the undo manager undoes these and nothing else. */
const RATE_ORIGIN = Symbol('my-rating');

export class DocumentSession {
  readonly live: LiveDocument;
  readonly talk: LiveDocument;
  readonly mine: LiveDocument | null;
  readonly comments: CommentThreads;
  readonly rounds: LiveRounds;
  /** My ratings revealed in a round (fixed); empty when I do not rate. */
  readonly frozen: FrozenItems | null;
  /** My rated items per section id. */
  readonly progress: Record<string, YMapCount>;
  private readonly undo: Y.UndoManager | null;
  private readonly commands: RoundCommands;
  private readonly items: readonly PageItem[];

  constructor(private readonly options: DocumentSessionOptions) {
    const { workspaceId, me, tickets } = options;
    this.items = options.sections.flatMap((s) => s.items);
    this.live = new LiveDocument({
      workspaceId,
      documentId: options.instrumentId,
      me,
      canWrite: options.canEdit,
      readOnlyReason: 'View only',
      initialTicket: tickets[options.instrumentId],
    });
    this.talk = new LiveDocument({
      workspaceId,
      documentId: options.commentsDocumentId,
      me,
      canWrite: true,
      initialTicket: tickets[options.commentsDocumentId],
    });
    this.comments = new CommentThreads(this.talk.doc, me.id);
    this.rounds = new LiveRounds(this.live.doc);
    this.commands = new RoundCommands(this.live.provider);
    if (options.ratingsDocumentId) {
      this.mine = new LiveDocument({
        workspaceId,
        documentId: options.ratingsDocumentId,
        me,
        canWrite: options.canRate,
        readOnlyReason: 'Ratings fixed',
        initialTicket: tickets[options.ratingsDocumentId],
      });
      this.frozen = new FrozenItems(this.mine.doc);
      const ratings = this.mine.doc.getMap<unknown>(ROOT.ratings);
      // Yjs's own option (a set of origins), not state.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity
      const undo = new Y.UndoManager(ratings, { trackedOrigins: new Set([RATE_ORIGIN]) });
      this.undo = undo;
      // Once ratings are revealed, undoing a change to them would be refused: start afresh.
      this.mine.doc.getMap(ROOT.frozen).observe(() => undo.clear());
      const items = this.items;
      this.progress = Object.fromEntries(
        options.sections.map((s) => [
          s.id,
          new YMapCount(
            ratings,
            s.items.map((i) => i.id),
            (v, key) =>
              typeof v === 'number' &&
              (items.find((i) => i.id === key)?.entry.scale.levels.some((l) => l.value === v) ??
                false),
          ),
        ]),
      );
    } else {
      this.mine = null;
      this.frozen = null;
      this.undo = null;
      this.progress = {};
    }
  }

  /** My rating of `item` may change now: I rate, and it is not revealed. */
  canRate(itemId: string): boolean {
    return this.options.canRate && this.mine !== null && !(this.frozen?.ids.has(itemId) ?? false);
  }

  /** Sets (or with null, clears) my rating; a level not of the item's scale is ignored. */
  rate(item: PageItem, value: number | null): void {
    if (!this.mine || !this.canRate(item.id)) return;
    if (value !== null && !item.entry.scale.levels.some((l) => l.value === value)) return;
    const ratings = this.mine.doc.getMap<unknown>(ROOT.ratings);
    this.mine.doc.transact(() => ratings.set(item.id, value), RATE_ORIGIN);
  }

  undoRating(): void {
    this.undo?.undo();
  }

  redoRating(): void {
    this.undo?.redo();
  }

  /**
   * Records the team's rating of an item (or with null, withdraws it), as me and now; the item
   * is then agreed (or back in discussion). Facilitators and owners: the server refuses others.
   */
  decide(itemId: string, value: number | null): void {
    const doc = this.live.doc;
    if (value === null) clearDecision(doc, this.options.template, itemId);
    else
      recordDecision(doc, this.options.template, {
        indicatorId: itemId,
        value,
        by: this.options.me.id,
        // A timestamp written once, not state.
        // eslint-disable-next-line svelte/prefer-svelte-reactivity
        at: new Date().toISOString(),
      });
  }

  /** Where the discussion of an item stands (facilitators and owners). */
  setStatus(itemId: string, status: ItemStatus): void {
    setItemStatus(this.live.doc, this.options.template, itemId, status);
  }

  /** A round command (facilitators); the server answers, and the change arrives by sync. */
  command(body: RoundCommandBody): Promise<RoundAnswer> {
    return this.commands.send(body);
  }

  destroy(): void {
    for (const c of Object.values(this.progress)) c.destroy();
    this.undo?.destroy();
    this.commands.destroy();
    this.rounds.destroy();
    this.frozen?.destroy();
    this.live.destroy();
    this.mine?.destroy();
    this.comments.destroy();
    this.talk.destroy();
  }
}
