/**
 * The shape of each document kind as data: every root, key, value type, nesting, bound, and
 * which capability may change which field. schema.ts names the parts; this says what may stand
 * where and who may change it. The sync server checks every incoming update against it (its
 * schema guard refuses an update whole when the document would break it); the writers of this
 * package make only changes it allows (a test runs every writer through the guard); the readers
 * read anything else as absent.
 *
 * The rules the guard draws from a shape:
 * - a root, or a key of a map, that the shape does not list is refused (nothing unknown is
 *   stored, so nothing unbounded is either);
 * - a value must be of its field's type: a plain value passing its check, or the Yjs type the
 *   shape names (Y.Map, Y.Array, Y.Text, Y.XmlFragment), never another;
 * - a Yjs type, once in a document, is never replaced by a new one (that would erase everyone's
 *   edits in it): it is created once, when the document is laid out or when it is first needed,
 *   and removed only where the shape says `removable`;
 * - a plain value is replaced whole (last writer wins) unless `immutable`, and removed only
 *   where `removable`;
 * - `needs: 'decide'` fields (the group's decision and where the discussion stands) change only
 *   through a connection with the decide capability; `fixed` parts (meta) never through sync;
 *   `serverOnly` parts (rating rounds, freeze marks) only by the sync server's own edits; a field
 *   `lockedBy` a root map is fixed while that map holds its key (a revealed rating);
 * - a value that names its author (a comment, a decision, a read mark) must name the person the
 *   connection belongs to;
 * - every string has a bound: text fields their most characters, plain values their check.
 *
 * Pure data and checks, no I/O, import-light (`@concord/documents/shapes`).
 */
import type { DocumentKind } from '@concord/auth/roles';
import { MAX_COMMENT, MAX_LEVEL, MAX_LINE_TEXT, MAX_RICH_TEXT, MIN_LEVEL } from './bounds.js';
import { parseReadKey } from './comments.js';
import {
  ALL_STUDENTS,
  GOAL,
  GOAL_CONFIDENCE,
  ITEM,
  ITEM_STATUSES,
  MAX_STRING,
  METRIC,
  ROOT,
  STEP,
  STEP_STATUSES,
  THREAD,
} from './schema.js';
import { asDate, asId, asRecord, asTimestamp, show } from './values.js';

/** Who is writing: the guard's context for checks that depend on the person. */
export interface WriterContext {
  /** The connection's user (from its ticket, never from the client). */
  readonly userId: string;
}

/** Why a value is refused (naming what is wrong and what is allowed), or null when it is fine. */
export type ValueCheck = (value: unknown, who: WriterContext) => string | null;

interface FieldRules {
  /** Only connections with `decide` may create, change or remove it. */
  readonly needs?: 'decide';
  /** May be removed (deleted) once present. */
  readonly removable?: boolean;
  /** A root map of the same document (written by the server): while it holds this field's key,
   * the field is fixed (a rating revealed in a round). */
  readonly lockedBy?: string;
}

/** A plain value (JSON-like, stored whole). */
export interface ValueShape extends FieldRules {
  readonly type: 'value';
  readonly check: ValueCheck;
  /** Set once, never replaced (who created a thread, and when). */
  readonly immutable?: boolean;
}

/** A Y.Text of plain characters (a one-line field: titles). */
export interface TextShape extends FieldRules {
  readonly type: 'text';
  readonly max: number;
}

/** A Y.XmlFragment as y-prosemirror writes it (rich text: evidence, rationale, notes). */
export interface RichShape extends FieldRules {
  readonly type: 'rich';
  readonly max: number;
}

/** A Y.Array of plain values. */
export interface ListShape extends FieldRules {
  readonly type: 'list';
  readonly element: ValueCheck;
  /** Why this person may not remove this element (comments: only their own), or null. */
  readonly removeElement?: ValueCheck;
}

/** Keys a map may hold besides its named fields: their rule and their value's shape. */
export interface EntryRule {
  /** Why the key is refused, or null. */
  readonly key: (key: string, who: WriterContext) => string | null;
  readonly shape: Shape;
}

/** A Y.Map with named fields and/or entries under keys of one rule. */
export interface MapShape extends FieldRules {
  readonly type: 'map';
  readonly fields?: Readonly<Record<string, Shape>>;
  readonly entries?: EntryRule;
  /** Never changed through sync: written when the document is laid out (meta). */
  readonly fixed?: boolean;
  /** Changed only by the sync server itself (round state, freeze marks), never by a client:
   * facilitators change it through round commands, which the server checks and writes. */
  readonly serverOnly?: boolean;
}

export type Shape = ValueShape | TextShape | RichShape | ListShape | MapShape;

/** A root is a map, a rich text or (a v1 relic) a text. */
export type RootShape = MapShape | RichShape | TextShape;

export interface DocumentShape {
  readonly kind: DocumentKind;
  readonly roots: Readonly<Record<string, RootShape>>;
}

/**
 * Rich text as the web editor (Tiptap 3 StarterKit, headings 3-4) writes it: these element
 * names, these marks as formatting attributes of Y.XmlText, and element attributes of bounded
 * size. y-prosemirror names an overlapping mark `<mark>--<hash>`.
 */
export const RICH_TEXT_NODES: readonly string[] = [
  'paragraph',
  'heading',
  'blockquote',
  'bulletList',
  'orderedList',
  'listItem',
  'codeBlock',
  'hardBreak',
  'horizontalRule',
];
export const RICH_TEXT_MARKS: readonly string[] = [
  'bold',
  'italic',
  'strike',
  'code',
  'underline',
  'link',
];
/** Longest string in a mark's or an element's attributes (a link's href: browsers cap URLs
 * near 2,000 characters in practice). */
export const MAX_ATTRIBUTE_STRING = 2_048;
/** Most attributes on one mark or element. */
export const MAX_ATTRIBUTES = 8;
/** Deepest nesting of elements inside a rich text field (StarterKit lists nest a few levels). */
export const MAX_RICH_DEPTH = 32;

// ---- value checks ----

const described = (what: string, value: unknown) => `must be ${what} (got ${show(value)})`;

function string(max = MAX_STRING): ValueCheck {
  return (value) =>
    typeof value === 'string' && value.length <= max
      ? null
      : described(`text of at most ${max.toLocaleString('en-US')} characters`, value);
}

const id: ValueCheck = (value) =>
  asId(value) !== undefined
    ? null
    : described("an id (letters, digits, '.', '_', ':' or '-', at most 200)", value);

const date: ValueCheck = (value) =>
  asDate(value) !== undefined ? null : described('a date like 2026-09-01', value);

const timestamp: ValueCheck = (value) =>
  asTimestamp(value) !== undefined
    ? null
    : described('an ISO 8601 timestamp like 2026-09-01T14:00:00Z', value);

function oneOf(allowed: readonly string[]): ValueCheck {
  return (value) =>
    typeof value === 'string' && allowed.includes(value)
      ? null
      : described(`one of ${allowed.join(', ')}`, value);
}

const finite: ValueCheck = (value) =>
  typeof value === 'number' && Number.isFinite(value) ? null : described('a number', value);

/** A level value as rubric-core allows in any template, or null (cleared). Which levels a
 * template's scale has is the readers' business: off the scale reads as not rated. */
const levelOrNull: ValueCheck = (value) =>
  value === null ||
  (typeof value === 'number' && Number.isInteger(value) && value >= MIN_LEVEL && value <= MAX_LEVEL)
    ? null
    : `a rating is a level value (a whole number from ${MIN_LEVEL} to ${MAX_LEVEL}) or empty; got ${show(value)}`;

const level: ValueCheck = (value) =>
  levelOrNull(value, { userId: '' }) === null && value !== null
    ? null
    : `must be a level value (a whole number from ${MIN_LEVEL} to ${MAX_LEVEL}); got ${show(value)}`;

/** A record with exactly these keys (optional ones may be absent), each passing its check. */
function record(
  fields: Readonly<Record<string, ValueCheck>>,
  optional: readonly string[] = [],
): ValueCheck {
  return (value, who) => {
    const r = asRecord(value);
    if (!r) return described(`an object with ${Object.keys(fields).join(', ')}`, value);
    for (const key of Object.keys(r)) {
      if (!(key in fields))
        return `has an unknown key ${show(key)} (allowed: ${Object.keys(fields).join(', ')})`;
    }
    for (const [key, check] of Object.entries(fields)) {
      if (!(key in r) && optional.includes(key)) continue;
      const problem = check(r[key], who);
      if (problem) return `${key}: ${problem}`;
    }
    return null;
  };
}

/** The connection's own user id: attribution is the server's word, not the client's. */
const self: ValueCheck = (value, who) =>
  value === who.userId
    ? null
    : `must be you (${who.userId}): a change is attributed to the person who makes it; got ${show(value)}`;

function bytes(max: number): ValueCheck {
  return (value) =>
    value instanceof Uint8Array && value.byteLength <= max
      ? null
      : described(`binary of at most ${max} bytes`, value);
}

function listOf(check: ValueCheck, max: number): ValueCheck {
  return (value, who) => {
    if (!Array.isArray(value) || value.length > max)
      return described(`a list of at most ${max}`, value);
    for (let i = 0; i < value.length; i++) {
      const problem = check(value[i], who);
      if (problem) return `[${i}]: ${problem}`;
    }
    return null;
  };
}

const userId: ValueCheck = string(200);

// ---- shapes ----

const value = (check: ValueCheck, rules: Omit<ValueShape, 'type' | 'check'> = {}): ValueShape => ({
  type: 'value',
  check,
  ...rules,
});
const rich = (rules: FieldRules = {}): RichShape => ({
  type: 'rich',
  max: MAX_RICH_TEXT,
  ...rules,
});
const line = (rules: FieldRules = {}): TextShape => ({
  type: 'text',
  max: MAX_LINE_TEXT,
  ...rules,
});
const idKey = (key: string) => (asId(key) !== undefined ? null : `is not an id (${show(key)})`);

/** meta: written once, when the document is laid out, by the web app; never through sync. */
const META_SHAPE: MapShape = { type: 'map', fixed: true };

/** One indicator or category of the Prerequisites checklist or an assessment. */
const LEVELED_ITEM: MapShape = {
  type: 'map',
  fields: {
    [ITEM.status]: value(oneOf(ITEM_STATUSES), { needs: 'decide' }),
    [ITEM.decision]: value(
      record({
        value: level,
        by: self,
        at: timestamp,
      }),
      { needs: 'decide', removable: true },
    ),
    [ITEM.rationale]: rich(),
    [ITEM.evidence]: rich(),
  },
};

/** Written by the sync server only (round.ts). */
const SERVER_ONLY: MapShape = { type: 'map', serverOnly: true };

const LEVELED: DocumentShape['roots'] = {
  [ROOT.meta]: META_SHAPE,
  [ROOT.items]: { type: 'map', entries: { key: idKey, shape: LEVELED_ITEM } },
  [ROOT.rounds]: SERVER_ONLY,
};

const STEP_SHAPE: MapShape = {
  type: 'map',
  removable: true,
  fields: {
    [STEP.title]: line(),
    [STEP.owner]: value(userId, { removable: true }),
    [STEP.dueDate]: value(date, { removable: true }),
    [STEP.status]: value(oneOf(STEP_STATUSES), { removable: true }),
    [STEP.createdAt]: value(timestamp),
    [STEP.position]: value(finite, { removable: true }),
  },
};

const GOAL_SHAPE: MapShape = {
  type: 'map',
  removable: true,
  fields: {
    // Plan areas, phases and goal statuses are the plan template's ids.
    [GOAL.area]: value(id, { removable: true }),
    [GOAL.phase]: value(id, { removable: true }),
    [GOAL.status]: value(id, { removable: true }),
    [GOAL.confidence]: value(oneOf(GOAL_CONFIDENCE), { removable: true }),
    [GOAL.startDate]: value(date, { removable: true }),
    [GOAL.dueDate]: value(date, { removable: true }),
    [GOAL.createdAt]: value(timestamp),
    [GOAL.createdBy]: value(userId),
    [GOAL.position]: value(finite, { removable: true }),
    [GOAL.title]: line(),
    [GOAL.statement]: rich(),
    [GOAL.owners]: { type: 'list', element: userId },
    [GOAL.indicators]: { type: 'list', element: id },
    [GOAL.steps]: { type: 'map', entries: { key: idKey, shape: STEP_SHAPE } },
  },
};

/** "all", a subgroup id, or "<subgroup id>:<value>" (which subgroups: the plan template's). */
const subgroupKey = (key: string) =>
  key === ALL_STUDENTS || asId(key) !== undefined ? null : `is not a subgroup (${show(key)})`;

const BY_SUBGROUP: MapShape = {
  type: 'map',
  entries: { key: subgroupKey, shape: value(finite, { removable: true }) },
};

const METRIC_SHAPE: MapShape = {
  type: 'map',
  removable: true,
  fields: {
    [METRIC.name]: value(string()),
    [METRIC.goalId]: value(id, { removable: true }),
    [METRIC.source]: value(string(), { removable: true }),
    [METRIC.unit]: value(string(), { removable: true }),
    [METRIC.templateIndicator]: value(id, { removable: true }),
    [METRIC.outcomeMeasure]: value(id, { removable: true }),
    [METRIC.createdAt]: value(timestamp),
    [METRIC.baseline]: BY_SUBGROUP,
    [METRIC.target]: BY_SUBGROUP,
    [METRIC.actuals]: {
      type: 'list',
      element: record({ subgroup: id, date, value: finite }),
    },
  },
};

/** A comment anchor: an item of the parent, or a range of one of its texts. */
const anchor: ValueCheck = (v, who) => {
  const r = asRecord(v);
  if (r?.kind === 'text') {
    return record({
      kind: oneOf(['text']),
      field: string(200),
      start: bytes(1024),
      end: bytes(1024),
    })(v, who);
  }
  return record({ kind: oneOf(['indicator', 'goal', 'step', 'metric']), id })(v, who);
};

/** A message is written once, by its author: only they may remove it (and write it again). */
const message: ValueCheck = record({
  id,
  author: self,
  body: string(MAX_COMMENT),
  createdAt: timestamp,
  mentions: listOf(userId, 100),
});

const THREAD_SHAPE: MapShape = {
  type: 'map',
  fields: {
    [THREAD.anchor]: value(anchor, { immutable: true }),
    [THREAD.createdBy]: value(self, { immutable: true }),
    [THREAD.createdAt]: value(timestamp, { immutable: true }),
    [THREAD.resolved]: value(record({ by: self, at: timestamp }), { removable: true }),
    [THREAD.messages]: {
      type: 'list',
      element: message,
      removeElement: (v, who) =>
        asRecord(v)?.author === who.userId
          ? null
          : 'is another person’s message: only its author may remove it',
    },
  },
};

/** A read mark: the reader's own (`<userId> <threadId> <replica>`), or a v2 reader's nested
 * map, which may only be removed, by its reader. */
const readKeyRule = (key: string, who: WriterContext) => {
  if (key === who.userId) return null;
  const parsed = parseReadKey(key);
  if (!parsed) return `is not a read mark ("<userId> <threadId> <replica>"; got ${show(key)})`;
  return parsed.userId === who.userId ? null : 'is another person’s read mark';
};

export const DOCUMENT_SHAPES: Readonly<Record<DocumentKind, DocumentShape>> = {
  prerequisites: { kind: 'prerequisites', roots: LEVELED },
  assessment: { kind: 'assessment', roots: LEVELED },
  ratings: {
    kind: 'ratings',
    roots: {
      [ROOT.meta]: META_SHAPE,
      [ROOT.ratings]: {
        type: 'map',
        entries: {
          key: idKey,
          shape: value(levelOrNull, { removable: true, lockedBy: ROOT.frozen }),
        },
      },
      [ROOT.notes]: { type: 'map', entries: { key: idKey, shape: rich() } },
      [ROOT.frozen]: SERVER_ONLY,
    },
  },
  plan: {
    kind: 'plan',
    roots: {
      [ROOT.meta]: META_SHAPE,
      [ROOT.visionRich]: rich(),
      // v1's vision: emptied by the migration; may be emptied, never written.
      [ROOT.vision]: { type: 'text', max: 0 },
      [ROOT.goals]: { type: 'map', entries: { key: idKey, shape: GOAL_SHAPE } },
      [ROOT.metrics]: { type: 'map', entries: { key: idKey, shape: METRIC_SHAPE } },
    },
  },
  comments: {
    kind: 'comments',
    roots: {
      [ROOT.meta]: META_SHAPE,
      [ROOT.threads]: { type: 'map', entries: { key: idKey, shape: THREAD_SHAPE } },
      [ROOT.reads]: {
        type: 'map',
        entries: {
          key: readKeyRule,
          shape: value(
            (v) =>
              typeof v === 'number' && Number.isInteger(v) && v >= 0
                ? null
                : described('a whole number of messages', v),
            { removable: true },
          ),
        },
      },
    },
  },
};

/** The shape of a field found by a path (root, then map keys), or why there is none. */
export type Resolved =
  { found: true; shape: Shape; depth: number } | { found: false; reason: string; depth: number };

/**
 * Walks `path` (root name, then keys; `#` for an element of a list or text) down `shape`'s maps
 * as far as it goes: the field whose value or inside the path is, and how many segments name it
 * (`depth`; the rest of the path is inside that field). A key the shape does not list, or a `#`
 * where a map needs a key, is refused, naming where.
 */
export function resolveField(
  shape: DocumentShape,
  path: readonly string[],
  who: WriterContext,
): Resolved {
  const root = path[0]!;
  let current: Shape | undefined = shape.roots[root];
  if (!current) {
    return {
      found: false,
      depth: 1,
      reason: `${root}: a ${shape.kind} document has no such part (it has ${Object.keys(shape.roots).join(', ')})`,
    };
  }
  let depth = 1;
  while (current.type === 'map' && depth < path.length) {
    const key = path[depth]!;
    const where = path.slice(0, depth + 1).join('/');
    if (current.fixed || current.serverOnly) {
      return { found: true, shape: current, depth };
    }
    if (key === '#') {
      return {
        found: false,
        depth: depth + 1,
        reason: `${path.slice(0, depth).join('/')}: holds keyed entries, not a list`,
      };
    }
    const named: Shape | undefined = current.fields?.[key];
    if (named) current = named;
    else if (current.entries) {
      const problem = current.entries.key(key, who);
      if (problem)
        return { found: false, depth: depth + 1, reason: `${where}: the key ${problem}` };
      current = current.entries.shape;
    } else {
      const known = Object.keys(current.fields ?? {});
      return {
        found: false,
        depth: depth + 1,
        reason: `${where}: no such field${known.length ? ` (the fields are ${known.join(', ')})` : ''}`,
      };
    }
    depth++;
  }
  return { found: true, shape: current, depth };
}

/**
 * The fields of a shape that only a connection with `decide` may change, as paths (`*` for any
 * key of an entries map): for documentation and tests.
 */
export function decisionFields(shape: DocumentShape): string[][] {
  const out: string[][] = [];
  const walk = (node: Shape, path: string[]) => {
    if (node.needs === 'decide') out.push(path);
    if (node.type !== 'map') return;
    for (const [key, child] of Object.entries(node.fields ?? {})) walk(child, [...path, key]);
    if (node.entries) walk(node.entries.shape, [...path, '*']);
  };
  for (const [root, node] of Object.entries(shape.roots)) walk(node, [root]);
  return out;
}
