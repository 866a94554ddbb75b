/** Rows and Yjs edits for tests (not shipped: excluded from the build). */
import { afterAll, beforeAll } from 'vitest';
import * as Y from 'yjs';
import { ARCHIVE_TABLES, EXCLUDED_TABLES } from './archive-spec.js';
import type { DbHandle } from './create-db.js';
import { districts, documents, users, workspaces } from './schema/index.js';
import { createScratchDatabase, type ScratchDatabase } from './testing.js';

/** The database a contract suite runs against (one per engine: PGlite, PostgreSQL). */
export interface DatabaseTarget {
  /** Opens a migrated database that starts empty (some suites open two). */
  open(): Promise<DbHandle>;
  /** Runs after the handles are closed (e.g. drops the scratch databases). */
  teardown?(): Promise<void>;
}

/** Every table of the schema: archived or excluded, never neither (archive.test.ts checks). */
const ALL_TABLES = [...ARCHIVE_TABLES, ...(Object.keys(EXCLUDED_TABLES) as string[])];

/** The tables holding content. data_migrations is the database's own record of the start-up
 * work it has done (like drizzle's journal): a fresh database already has a row there. */
const CONTENT_TABLES = ALL_TABLES.filter((t) => t !== 'data_migrations');

/** Rows of every content table, counted, in one statement. */
export async function rowCounts(handle: DbHandle): Promise<Record<string, number>> {
  const text = `select ${CONTENT_TABLES.map((t) => `(select count(*) from ${t})::int as ${t}`).join(', ')}`;
  const [row] = await handle.sql.query<Record<string, number>>({ name: 'test_row_counts', text });
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
}

/** Deterministic PRNG (mulberry32), so a failing run can be replayed. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let counter = 0;

/** A user, a district and a workspace to hang documents on. */
export async function seedWorkspace(handle: DbHandle) {
  const n = ++counter;
  const [user] = await handle.db
    .insert(users)
    .values({ email: `rater${n}.${Date.now()}@example.org`, displayName: `Rater ${n}` })
    .returning();
  const [district] = await handle.db
    .insert(districts)
    .values({ name: `Revere Public Schools ${n}`, state: 'MA' })
    .returning();
  const [workspace] = await handle.db
    .insert(workspaces)
    .values({
      districtId: district!.id,
      name: `Revere Public Schools — PL readiness 2026-27 (${n})`,
      schoolYear: '2026-27',
      createdBy: user!.id,
    })
    .returning();
  return { user: user!, district: district!, workspace: workspace! };
}

export async function createDocument(
  handle: DbHandle,
  workspaceId: string,
  kind: 'assessment' | 'plan' | 'prerequisites' = 'assessment',
): Promise<string> {
  const [doc] = await handle.db
    .insert(documents)
    .values({ workspaceId, kind, title: `${kind} ${++counter}` })
    .returning();
  return doc!.id;
}

/** A Y.Doc that records every update it emits, edited at random (text, map, array). */
export class Editor {
  readonly doc = new Y.Doc();
  readonly updates: Uint8Array[] = [];
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = rng(seed);
    this.doc.on('update', (u: Uint8Array) => this.updates.push(u));
  }

  /** Makes `count` small edits, each its own update. */
  edit(count: number): Uint8Array[] {
    const start = this.updates.length;
    const text = this.doc.getText('text');
    const map = this.doc.getMap<number | string>('map');
    const list = this.doc.getArray<string>('list');
    for (let i = 0; i < count; i++) {
      const r = this.random();
      if (r < 0.5 || text.length === 0) {
        const at = Math.floor(this.random() * (text.length + 1));
        text.insert(at, String.fromCharCode(97 + Math.floor(this.random() * 26)));
      } else if (r < 0.65) {
        const at = Math.floor(this.random() * text.length);
        text.delete(at, Math.min(3, text.length - at));
      } else if (r < 0.85) {
        map.set(`k${Math.floor(this.random() * 8)}`, Math.floor(this.random() * 100));
      } else {
        list.push([`item ${this.updates.length}`]);
      }
    }
    return this.updates.slice(start);
  }
}

/** What a test compares: the visible content of the shared types. */
export function contentOf(state: Uint8Array | Y.Doc) {
  const doc = state instanceof Y.Doc ? state : docFrom(state);
  return {
    text: doc.getText('text').toString(),
    map: doc.getMap('map').toJSON(),
    list: doc.getArray('list').toJSON(),
    stateVector: Array.from(Y.encodeStateVector(doc)),
  };
}

export function docFrom(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

/**
 * A scratch PostgreSQL database for the calling test file (made before its tests, dropped after)
 * and the handles the tests open on it (`keep`), closed first.
 */
export function scratchPostgres(): {
  url: () => string;
  keep: <H extends DbHandle>(...handles: H[]) => H[];
} {
  let scratch: ScratchDatabase | undefined;
  const handles: DbHandle[] = [];
  beforeAll(async () => {
    scratch = await createScratchDatabase();
  });
  afterAll(async () => {
    await Promise.all(handles.map((h) => h.close()));
    await scratch?.drop();
  });
  return {
    url: () => {
      if (!scratch) throw new Error('the scratch database is made in beforeAll');
      return scratch.url;
    },
    keep: (...opened) => {
      handles.push(...opened);
      return opened;
    },
  };
}
