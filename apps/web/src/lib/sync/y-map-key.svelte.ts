/**
 * Rune adapters over Y types, so a component re-renders when, and only when, the value it shows
 * changes: `YMapKey` follows one key of a Y.Map (an indicator's rating, an item's status). A
 * change to one indicator touches that indicator's adapter alone; the page is never re-rendered
 * as a whole on a keystroke.
 */
import type * as Y from 'yjs';

export class YMapKey<T> {
  value: T = $state() as T;
  private readonly observer: (event: Y.YMapEvent<unknown>) => void;

  constructor(
    private readonly map: Y.Map<unknown>,
    private readonly key: string,
    private readonly read: (raw: unknown) => T,
  ) {
    this.value = read(map.get(key));
    this.observer = (event) => {
      if (event.keysChanged.has(key)) this.value = this.read(this.map.get(this.key));
    };
    map.observe(this.observer);
  }

  /** Writes the key in one transaction with `origin` (the undo manager tracks it). */
  set(value: unknown, origin: unknown): void {
    const doc = this.map.doc;
    if (doc) doc.transact(() => this.map.set(this.key, value), origin);
    else this.map.set(this.key, value);
  }

  destroy(): void {
    this.map.unobserve(this.observer);
  }
}

/** Counts the keys of a map whose values pass `test` (my ratings done per section). */
export class YMapCount {
  value = $state(0);
  private readonly observer: () => void;

  constructor(
    private readonly map: Y.Map<unknown>,
    private readonly keys: readonly string[],
    private readonly test: (raw: unknown, key: string) => boolean,
  ) {
    this.observer = () => (this.value = this.count());
    this.value = this.count();
    map.observe(this.observer);
  }

  private count(): number {
    let n = 0;
    for (const k of this.keys) if (this.test(this.map.get(k), k)) n++;
    return n;
  }

  destroy(): void {
    this.map.unobserve(this.observer);
  }
}
