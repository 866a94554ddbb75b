/**
 * Rune adapters over a document's rating rounds: `LiveRounds` follows the instrument's `rounds`
 * (the server writes them; every participant syncs them), `FrozenItems` the freeze marks of my
 * ratings document (revealed items, fixed from then on). Both re-read on any change below their
 * root, which happens a few times per round (open, progress, reveal), not per keystroke.
 */
import { readFrozen, readRounds, ROOT, type RoundState } from '@concord/documents';
import type * as Y from 'yjs';

export class LiveRounds {
  rounds: RoundState[] = $state.raw([]);
  private readonly map: Y.Map<unknown>;
  private readonly observer: () => void;

  constructor(private readonly doc: Y.Doc) {
    this.map = doc.getMap(ROOT.rounds);
    this.observer = () => (this.rounds = readRounds(this.doc));
    this.rounds = readRounds(doc);
    this.map.observeDeep(this.observer);
  }

  /** The latest round, open or closed; null before the first. */
  get latest(): RoundState | null {
    return this.rounds.at(-1) ?? null;
  }

  /** The latest round while it is open. */
  get open(): RoundState | null {
    const round = this.latest;
    return round && round.closed === null ? round : null;
  }

  destroy(): void {
    this.map.unobserveDeep(this.observer);
  }
}

export class FrozenItems {
  // Replaced whole on every change, never mutated: a plain Set in raw state.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  ids: ReadonlySet<string> = $state.raw(new Set());
  private readonly map: Y.Map<unknown>;
  private readonly observer: () => void;

  constructor(private readonly doc: Y.Doc) {
    this.map = doc.getMap(ROOT.frozen);
    this.observer = () => (this.ids = readFrozen(this.doc));
    this.ids = readFrozen(doc);
    this.map.observe(this.observer);
  }

  destroy(): void {
    this.map.unobserve(this.observer);
  }
}
