import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate, isKnownTo } from './decode.js';

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A document edited at random (text, map, nested maps in an array), and its updates. */
function edited(seed: number, clientID: number) {
  const random = rng(seed);
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const text = doc.getText('t');
  for (let i = 0; i < 150; i++) {
    const r = random();
    if (r < 0.5) text.insert(Math.floor(random() * (text.length + 1)), 'xyz'[i % 3]!);
    else if (r < 0.6 && text.length > 0) text.delete(Math.floor(random() * text.length), 1);
    else if (r < 0.8) doc.getMap('m').set(`k${i % 5}`, i);
    else {
      const sub = new Y.Map();
      doc.getArray('a').push([sub]);
      sub.set('x', i);
    }
  }
  return { doc, updates };
}

describe('checkUpdate', () => {
  it('accepts real updates and marks empty ones', () => {
    const { doc, updates } = edited(1, 1);
    for (const u of updates) expect(checkUpdate(u).ok).toBe(true);
    const empty = checkUpdate(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)));
    // A full delete set is not empty; a fresh document's update is.
    expect(empty.ok && empty.value.empty).toBe(false);
    const fresh = checkUpdate(Y.encodeStateAsUpdate(new Y.Doc()));
    expect(fresh.ok && fresh.value.empty).toBe(true);
  });

  it('leaves nothing half-applied: mutated updates that pass never throw on apply', () => {
    const base = edited(2, 2);
    const other = edited(3, 3);
    const state = Y.encodeStateAsUpdate(base.doc);
    const random = rng(4);
    const counts = { undecodable: 0, refused: 0, refusedWouldThrow: 0, applied: 0 };
    for (let i = 0; i < 3_000; i++) {
      // Updates of the document itself (clocks it knows) and of another writer.
      const from = random() < 0.5 ? base.updates : other.updates;
      const source = from[Math.floor(random() * from.length)]!;
      const mutated = Uint8Array.from(source);
      const flips = 1 + Math.floor(random() * 3);
      for (let k = 0; k < flips; k++)
        mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, state);
      const checked = checkUpdate(mutated);
      if (!checked.ok) {
        if (checked.error.reason === 'update does not decode') {
          counts.undecodable++;
          continue;
        }
        // Decodes, yet refused: would applying it really have gone wrong?
        counts.refused++;
        try {
          Y.applyUpdate(doc, mutated);
        } catch {
          counts.refusedWouldThrow++;
        }
        continue;
      }
      expect(() => Y.applyUpdate(doc, mutated)).not.toThrow();
      // And the result still encodes and loads.
      Y.applyUpdate(new Y.Doc(), Y.encodeStateAsUpdate(doc));
      counts.applied++;
    }
    expect(counts.applied).toBeGreaterThan(100);
    // The check earns its keep: some decodable updates it refuses do throw halfway.
    expect(counts.refusedWouldThrow).toBeGreaterThan(0);
  });

  it('refuses what does not decode', () => {
    expect(checkUpdate(Uint8Array.of(0, 0)).ok).toBe(true);
    expect(checkUpdate(Uint8Array.of(1, 2, 3))).toEqual({
      ok: false,
      error: { reason: 'update does not decode' },
    });
  });
});

describe('isKnownTo', () => {
  it('tells whether applying would change the document', () => {
    const a = edited(5, 10).doc;
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const full = checkUpdate(Y.encodeStateAsUpdate(a));
    expect(full.ok && isKnownTo(b, full.value)).toBe(true);
    a.getText('t').delete(0, 1);
    const withDelete = checkUpdate(Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    expect(withDelete.ok && isKnownTo(b, withDelete.value)).toBe(false);
    a.getText('t').insert(0, 'new');
    const withInsert = checkUpdate(Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    expect(withInsert.ok && isKnownTo(b, withInsert.value)).toBe(false);
  });
});
