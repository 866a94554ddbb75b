/**
 * Rune adapters over Y types, so a component re-renders when, and only when, the value it shows
 * changes: `YMapKey` follows one key of a Y.Map (an indicator's rating, an item's status),
 * `YNestedMapKey` one key of the Y.Map under a key of another (an item's decision). A change to
 * one indicator touches that indicator's adapter alone; the page is never re-rendered as a whole
 * on a keystroke.
 */
import * as Y from 'yjs';

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

/**
 * Follows `key` of the Y.Map found under `outerKey` of `outer` (an item's `decision` in the
 * instrument's `items`): `map` is that inner map (undefined while there is none), `value` its key
 * read through `read`. When the inner map is created or replaced, the adapter moves to the new
 * one. A value replaced whole (a decision) re-renders only what reads it; edits inside the
 * inner map's texts (observeDeep territory) do not wake it.
 */
export class YNestedMapKey<T> {
  map: Y.Map<unknown> | undefined = $state.raw();
  value: T = $state() as T;
  private inner: Y.Map<unknown> | undefined;
  private readonly outerObserver: (event: Y.YMapEvent<unknown>) => void;
  private readonly innerObserver: (event: Y.YMapEvent<unknown>) => void;

  constructor(
    private readonly outer: Y.Map<unknown>,
    private readonly outerKey: string,
    private readonly key: string,
    private readonly read: (raw: unknown) => T,
  ) {
    this.innerObserver = (event) => {
      if (event.keysChanged.has(key)) this.value = this.read(this.inner?.get(this.key));
    };
    this.outerObserver = (event) => {
      if (event.keysChanged.has(outerKey)) this.attach();
    };
    this.attach(true);
    outer.observe(this.outerObserver);
  }

  private attach(first = false): void {
    const raw = this.outer.get(this.outerKey);
    const next = raw instanceof Y.Map ? raw : undefined;
    if (!first && next === this.inner) return;
    this.inner?.unobserve(this.innerObserver);
    this.inner = next;
    this.map = next;
    next?.observe(this.innerObserver);
    this.value = this.read(next?.get(this.key));
  }

  destroy(): void {
    this.outer.unobserve(this.outerObserver);
    this.inner?.unobserve(this.innerObserver);
    this.inner = undefined;
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
