/**
 * R13, the schema guard under fuzz: seeded random updates from each role against realistic
 * documents of every kind (an assessment with a recorded consensus, a ratings document, a plan,
 * comments by several people). Hostile edits: replacements at every depth, plain values where
 * types belong, new roots, unknown keys, embeds, formatting and element attributes, set-and-
 * delete in one transaction (a deleted item winning a key), deletes, all from client ids above
 * and below the authors'. Honest edits: the product's own writers, as the person's role allows.
 *
 * Properties, after every update the guard lets through (checked on the document as it is then):
 * - nothing a sender's role may not change has changed (the decision fields without `decide`,
 *   meta, others' messages, others' read marks, a thread's first facts);
 * - the document conforms to its shape: known roots and keys, each value of its field's type
 *   and passing its check, every text field within its bound, every string bounded;
 * and every honest edit passes. 200 seeds with CONCORD_FULL=1, 20 otherwise; a failure names
 * its seed (R13_SEED=<n> replays one).
 *
 * In process, through the guard's chain itself (guardUpdate): the socket tests
 * (schema-guard.test.ts) show the same refusals reach a hand-made client.
 */
import {
  addActionStep,
  addGoal,
  addMetric,
  moveActionStep,
  moveGoal,
  addThread,
  createAssessment,
  createComments,
  DocumentInputError,
  createPlan,
  createRatings,
  consensusRationale,
  goalText,
  indicatorEvidence,
  markThreadRead,
  MAX_STRING,
  ratingNote,
  recordActual,
  recordConsensus,
  removeGoal,
  reopenThread,
  reply,
  resolveThread,
  setIndicatorStatus,
  setMetricValues,
  setRating,
  updateGoal,
  updateMetric,
  visionText,
} from '@concord/documents';
import {
  DOCUMENT_SHAPES,
  MAX_ATTRIBUTE_STRING,
  type DocumentShape,
  type Shape,
} from '@concord/documents/shapes';
import type { DocumentKind, SyncCapability } from '@concord/auth/roles';
import { outline } from '@concord/rubric-core';
import {
  knowledgeworksPlanTemplate as planTemplate,
  maPlnDistrictConditions as rubric,
} from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { guardUpdate, type Sender } from '../src/guard/chain.js';
import { lineOf } from './document-content.js';
import { rng } from './support.js';

const SEEDS = process.env.R13_SEED
  ? [Number(process.env.R13_SEED)]
  : Array.from({ length: process.env.CONCORD_FULL === '1' ? 200 : 20 }, (_, i) => i + 1);
const STEPS = 40;
const AT = '2026-11-23T10:00:00Z';
/** The client id every author of the starting documents wrote with. */
const AUTHOR_CLIENT = 1_000_000;
const INDICATORS = outline(rubric)
  .entries.slice(0, 4)
  .map((e) => e.indicator.id);

type Role = 'facilitator' | 'rater' | 'viewer';
const PEOPLE: Record<Role, string> = {
  facilitator: 'u-facilitator',
  rater: 'u-rater',
  viewer: 'u-viewer',
};

/** What each role's connection may do on each kind (the ratings document is the rater's own). */
function capabilities(kind: DocumentKind, role: Role): SyncCapability[] {
  if (kind === 'comments') return ['read', 'write'];
  if (kind === 'ratings') return role === 'rater' ? ['read', 'write'] : ['read'];
  if (role === 'viewer') return ['read'];
  if (role === 'facilitator' && kind !== 'plan') return ['read', 'write', 'decide'];
  return ['read', 'write'];
}

function senderOf(kind: DocumentKind, role: Role): Sender {
  const caps = capabilities(kind, role);
  return { userId: PEOPLE[role], shape: DOCUMENT_SHAPES[kind], can: (c) => caps.includes(c) };
}

// ---- the starting documents ----

function start(kind: DocumentKind): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = AUTHOR_CLIENT;
  switch (kind) {
    case 'assessment':
      createAssessment(doc, rubric);
      lineOf(indicatorEvidence(doc, rubric, INDICATORS[0]!)).insert(0, 'Board minutes');
      recordConsensus(doc, rubric, {
        indicatorId: INDICATORS[0]!,
        value: 3,
        by: PEOPLE.facilitator,
        at: AT,
        rationale: 'Agreed.',
      });
      break;
    case 'ratings':
      createRatings(doc, rubric);
      setRating(doc, rubric, INDICATORS[0]!, 2);
      break;
    case 'plan': {
      createPlan(doc, planTemplate, { vision: 'Every learner, every day.' });
      const goal = addGoal(doc, planTemplate, {
        id: 'g1',
        area: planTemplate.areas[0]!.id,
        title: 'Schedules',
        createdBy: 'u-x',
      });
      addActionStep(doc, goal, { id: 's1', title: 'Draft' });
      addMetric(doc, planTemplate, { id: 'm1', name: 'Attendance', baseline: { all: 90 } });
      break;
    }
    case 'comments':
      createComments(doc);
      addThread(doc, {
        threadId: 't1',
        id: 'm1',
        anchor: { kind: 'indicator', id: INDICATORS[0]! },
        author: 'u-other',
        body: 'Is this current?',
        at: AT,
      });
      markThreadRead(doc, 'u-other', 't1', 1);
      break;
    default:
      createAssessment(doc, rubric);
  }
  return doc;
}

// ---- edits ----

/** Every shared type of `doc`, roots first (roots typed as the shape says). */
function allTypes(doc: Y.Doc, shape: DocumentShape): Y.AbstractType<unknown>[] {
  const out: Y.AbstractType<unknown>[] = [];
  const visit = (type: Y.AbstractType<unknown>) => {
    out.push(type);
    if (type instanceof Y.Map) {
      for (const v of type.values()) if (v instanceof Y.AbstractType) visit(v);
    } else if (type instanceof Y.Array || type instanceof Y.XmlFragment) {
      for (const v of type.toArray()) if (v instanceof Y.AbstractType) visit(v);
    }
  };
  for (const [name, root] of Object.entries(shape.roots)) {
    visit(
      (root.type === 'map'
        ? doc.getMap(name)
        : root.type === 'rich'
          ? doc.getXmlFragment(name)
          : doc.getText(name)) as Y.AbstractType<unknown>,
    );
  }
  return out;
}

type Random = () => number;
const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function randomString(r: Random): string {
  const n = pick(r, [1, 5, 40, 2_100, 20_001, 25_000]);
  return 'abcdefgh'.repeat(Math.ceil(n / 8)).slice(0, n);
}

function randomValue(r: Random, who: string): unknown {
  switch (Math.floor(r() * 14)) {
    case 0:
      return Math.floor(r() * 200) - 50;
    case 1:
      return randomString(r);
    case 2:
      return { value: pick(r, [1, 2, 3, 4, 9]), by: pick(r, [who, 'u-someone']), at: AT };
    case 3:
      return new Y.Map();
    case 4:
      return new Y.Text(randomString(r));
    case 5:
      return new Y.XmlFragment();
    case 6:
      return new Y.Array();
    case 7:
      return null;
    case 8:
      return new Uint8Array(pick(r, [4, 5_000]));
    case 9:
      return pick(r, ['agreed', 'in-discussion', 'not-discussed', 'done']);
    case 10:
      return { by: pick(r, [who, 'u-someone']), at: AT };
    case 11:
      return {
        id: `m-${Math.floor(r() * 1e6)}`,
        author: pick(r, [who, 'u-other']),
        body: randomString(r),
        createdAt: AT,
        mentions: [],
      };
    case 12:
      return AT;
    default:
      return [1, 2, 3];
  }
}

const KEYS = [
  'decision',
  'status',
  'evidence',
  'rationale',
  'evidence2',
  'kind',
  'title',
  'statement',
  'owners',
  'steps',
  'messages',
  'resolved',
  'anchor',
  'createdBy',
  'baseline',
  'all',
  'g9',
  'x y',
];

/** A hostile edit of `c` (a copy of the server's document) by `who`. */
function hostileEdit(r: Random, c: Y.Doc, shape: DocumentShape, who: string): void {
  const types = allTypes(c, shape);
  const type = pick(r, types);
  const action = Math.floor(r() * 10);
  if (action === 0) {
    c.getText(pick(r, ['junk', 'vision2', 'items2'])).insert(0, randomString(r));
    return;
  }
  if (type instanceof Y.Map) {
    const existing = [...type.keys()];
    const key = existing.length > 0 && r() < 0.6 ? pick(r, existing) : pick(r, KEYS);
    if (action < 4) type.set(key, randomValue(r, who));
    else if (action < 6 && existing.length > 0) type.delete(pick(r, existing));
    else if (action < 8) {
      c.transact(() => {
        type.set(key, randomValue(r, who));
        type.delete(key);
      });
    } else {
      // Keys a reader of `reads` would take for someone's marks.
      type.set(`${pick(r, [who, 'u-other'])} t1 ${Math.floor(r() * 9)}`, 7);
    }
    return;
  }
  if (type instanceof Y.Array) {
    if (action < 5 || type.length === 0) type.push([randomValue(r, who)]);
    else type.delete(Math.floor(r() * type.length), 1);
    return;
  }
  if (type instanceof Y.XmlText) {
    if (action < 4) type.insert(Math.floor(r() * (type.length + 1)), randomString(r));
    else if (action < 6) type.insertEmbed(0, { image: randomString(r) });
    else if (type.length > 0) {
      type.format(0, 1, {
        [pick(r, ['bold', 'link', 'comment', 'bold--x1'])]: pick(r, [
          {},
          { href: randomString(r) },
          randomString(r),
          null,
        ]),
      });
    } else type.insert(0, 'x');
    return;
  }
  if (type instanceof Y.XmlElement && action < 4) {
    type.setAttribute(pick(r, ['level', 'href', '1bad']), randomString(r));
    return;
  }
  if (type instanceof Y.XmlFragment) {
    if (action < 5) {
      const element = new Y.XmlElement(pick(r, ['paragraph', 'script', 'heading', 'image']));
      element.insert(0, [new Y.XmlText(randomString(r))]);
      type.insert(Math.floor(r() * (type.length + 1)), [element]);
    } else if (type.length > 0) type.delete(Math.floor(r() * type.length), 1);
    else type.insert(0, [new Y.XmlText('loose')]);
    return;
  }
  if (type instanceof Y.Text) {
    if (action < 5) type.insert(Math.floor(r() * (type.length + 1)), randomString(r));
    else if (action < 7) type.insertEmbed(0, { x: 1 });
    else if (type.length > 0) type.delete(0, Math.min(type.length, 3));
  }
}

/** An honest edit the product makes, and whether the sender's role may make it. */
function honestEdit(r: Random, c: Y.Doc, kind: DocumentKind, role: Role): boolean {
  const me = PEOPLE[role];
  const id = pick(r, INDICATORS);
  const n = Math.floor(r() * 1e9);
  switch (kind) {
    case 'assessment': {
      const decide = role === 'facilitator';
      switch (Math.floor(r() * 4)) {
        case 0:
          lineOf(indicatorEvidence(c, rubric, id)).insert(0, 'more evidence ');
          return role !== 'viewer';
        case 1:
          lineOf(consensusRationale(c, rubric, id)).insert(0, 'because ');
          return role !== 'viewer';
        case 2:
          recordConsensus(c, rubric, {
            indicatorId: id,
            value: pick(r, [1, 2, 3, 4]),
            by: me,
            at: AT,
          });
          return decide;
        default:
          setIndicatorStatus(c, rubric, id, 'in-discussion');
          return decide;
      }
    }
    case 'ratings':
      if (r() < 0.5) setRating(c, rubric, id, pick(r, [1, 2, 3, 4, null]));
      else lineOf(ratingNote(c, rubric, id)).insert(0, 'note ');
      return role === 'rater';
    case 'plan': {
      const goals = [...c.getMap('goals').keys()];
      const goal = goals.length > 0 ? pick(r, goals) : null;
      switch (Math.floor(r() * 9)) {
        case 0:
          addGoal(c, planTemplate, {
            id: `g-${n}`,
            area: planTemplate.areas[0]!.id,
            title: 'New goal',
            createdBy: me,
            createdAt: AT,
          });
          break;
        case 1:
          if (!goal) return false;
          updateGoal(c, planTemplate, goal, {
            dueDate: '2027-06-30',
            owners: [me],
            status: planTemplate.goalStatuses[1]!.id,
          });
          break;
        case 2:
          if (!goal) return false;
          goalText(c, goal, 'title').insert(0, 'Re: ');
          break;
        case 3:
          if (!goal) return false;
          addActionStep(c, goal, { id: `s-${n}`, title: 'Step', createdAt: AT });
          break;
        case 4:
          setMetricValues(c, planTemplate, 'm1', { target: { all: 95 } });
          recordActual(c, planTemplate, 'm1', { date: '2027-01-15', value: 92 });
          break;
        case 5:
          lineOf(visionText(c)).insert(0, 'And ');
          break;
        case 6: {
          if (!goal) return false;
          moveGoal(c, planTemplate, goal, { index: 0 });
          const steps = [
            ...((
              (c.getMap('goals').get(goal) as Y.Map<unknown> | undefined)?.get('steps') as
                Y.Map<unknown> | undefined
            )?.keys() ?? []),
          ];
          if (steps.length > 1) moveActionStep(c, planTemplate, goal, pick(r, steps), 0);
          break;
        }
        case 7:
          updateMetric(c, 'm1', { unit: '%', source: null });
          setMetricValues(c, planTemplate, 'm1', { baseline: { all: null } });
          break;
        default:
          if (!goal) return false;
          removeGoal(c, goal);
      }
      return role !== 'viewer';
    }
    case 'comments': {
      const threads = [...c.getMap('threads').keys()];
      const thread = pick(r, threads);
      switch (Math.floor(r() * 5)) {
        case 0:
          addThread(c, { anchor: { kind: 'indicator', id }, author: me, body: 'Hm?', at: AT });
          break;
        case 1:
          reply(c, thread, { author: me, body: 'Yes.', at: AT });
          break;
        case 2:
          resolveThread(c, thread, { by: me, at: AT });
          break;
        case 3:
          reopenThread(c, thread);
          break;
        default:
          markThreadRead(c, me, thread, 1 + Math.floor(r() * 5));
      }
      return true;
    }
    default:
      return false;
  }
}

// ---- the properties ----

/** What only `decide`, or nobody, or only the authors may change: compared before and after. */
function protectedFacts(doc: Y.Doc, kind: DocumentKind, sender: Sender) {
  const json = (v: unknown) => JSON.stringify(v instanceof Y.AbstractType ? v.toJSON() : v);
  const facts: Record<string, string> = { meta: json(doc.getMap('meta')) };
  if (kind === 'assessment' && !sender.can('decide')) {
    for (const [id, item] of doc.getMap('items').entries()) {
      if (!(item instanceof Y.Map)) continue;
      facts[`${id}/decision`] = json(item.get('decision'));
      facts[`${id}/status`] = json(item.get('status'));
    }
  }
  if (kind === 'comments') {
    for (const [id, thread] of doc.getMap('threads').entries()) {
      if (!(thread instanceof Y.Map)) continue;
      facts[`${id}/first`] = json([
        thread.get('anchor'),
        thread.get('createdBy'),
        thread.get('createdAt'),
      ]);
      const messages = thread.get('messages');
      if (messages instanceof Y.Array) {
        const others = messages
          .toArray()
          .filter((m) => (m as { author?: unknown }).author !== sender.userId);
        facts[`${id}/others`] = json(others);
      }
    }
    for (const [key, value] of doc.getMap('reads').entries()) {
      if (!key.startsWith(`${sender.userId} `)) facts[`reads/${key}`] = json(value);
    }
  }
  return facts;
}

/** Why `doc` does not conform to `shape`, or null. Author checks take each value's own author. */
function nonConformance(doc: Y.Doc, shape: DocumentShape): string | null {
  for (const [name, type] of doc.share) {
    const hasContent = type._start !== null || [...type._map.values()].some((i) => !i.deleted);
    if (hasContent && !(name in shape.roots)) return `unknown root ${name}`;
  }
  const authorOf = (v: unknown): string => {
    if (typeof v === 'string') return v;
    const r = v as { author?: unknown; by?: unknown } | null;
    return String(r?.author ?? r?.by ?? '');
  };
  const check = (value: unknown, node: Shape, path: string): string | null => {
    switch (node.type) {
      case 'value':
        if (value instanceof Y.AbstractType) return `${path}: a type where a value belongs`;
        return node.check(value, { userId: authorOf(value) })
          ? `${path}: ${node.check(value, { userId: authorOf(value) })}`
          : null;
      case 'text':
        if (!(value instanceof Y.Text) || value instanceof Y.XmlText) return `${path}: not a text`;
        if (value.toDelta().some((op: { insert?: unknown }) => typeof op.insert !== 'string')) {
          return `${path}: an embed`;
        }
        return value.length > node.max ? `${path}: ${value.length} > ${node.max}` : null;
      case 'rich': {
        if (!(value instanceof Y.XmlFragment) || value instanceof Y.XmlElement) {
          return `${path}: not a fragment`;
        }
        let chars = 0;
        const stack: Y.XmlFragment[] = [value];
        while (stack.length > 0) {
          for (const child of stack.pop()!.toArray()) {
            if (child instanceof Y.XmlText) {
              for (const op of child.toDelta() as { insert?: unknown; attributes?: object }[]) {
                if (typeof op.insert !== 'string') return `${path}: an embed`;
                chars += op.insert.length;
                if (JSON.stringify(op.attributes ?? {}).length > MAX_ATTRIBUTE_STRING * 2) {
                  return `${path}: attributes too long`;
                }
              }
            } else if (child instanceof Y.XmlElement) {
              if (JSON.stringify(child.getAttributes()).length > MAX_ATTRIBUTE_STRING * 2) {
                return `${path}: element attributes too long`;
              }
              stack.push(child);
            }
          }
        }
        return chars > node.max ? `${path}: ${chars} > ${node.max}` : null;
      }
      case 'list':
        if (!(value instanceof Y.Array)) return `${path}: not a list`;
        for (const v of value.toArray()) {
          const problem = node.element(v, { userId: authorOf(v) });
          if (problem) return `${path}[]: ${problem}`;
        }
        return null;
      case 'map': {
        if (!(value instanceof Y.Map)) return `${path}: not a map`;
        if (node.fixed) return null;
        for (const [key, v] of value.entries()) {
          const child =
            node.fields?.[key] ??
            (node.entries && node.entries.key(key, { userId: key.split(' ')[0]! }) === null
              ? node.entries.shape
              : undefined);
          if (!child) return `${path}/${key}: unknown key`;
          const problem = check(v, child, `${path}/${key}`);
          if (problem) return problem;
        }
        return null;
      }
    }
  };
  for (const [name, root] of Object.entries(shape.roots)) {
    const value =
      root.type === 'map'
        ? doc.getMap(name)
        : root.type === 'rich'
          ? doc.getXmlFragment(name)
          : doc.getText(name);
    const problem = check(value, root, name);
    if (problem) return problem;
  }
  return null;
}

function copyOf(doc: Y.Doc, clientID: number): Y.Doc {
  const copy = new Y.Doc();
  copy.clientID = clientID;
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

const KINDS: DocumentKind[] = ['assessment', 'ratings', 'plan', 'comments'];

describe('R13: schema guard fuzz', () => {
  it.each(SEEDS)(
    'seed %i: no refused role reaches a field, nothing breaks the shape, honest edits pass',
    (seed) => {
      const r = rng(seed);
      for (const kind of KINDS) {
        const shape = DOCUMENT_SHAPES[kind];
        const server = start(kind);
        let accepted = 0;
        for (let step = 0; step < STEPS; step++) {
          const role = pick(r, ['facilitator', 'rater', 'viewer'] as const);
          const sender = senderOf(kind, role);
          // Client ids above and below the authors': which of two values at a key wins.
          const clientID = r() < 0.5 ? 1 + Math.floor(r() * 999) : AUTHOR_CLIENT + 1 + step;
          const client = copyOf(server, clientID);
          const before = Y.encodeStateVector(client);
          const honest = r() < 0.35;
          let mayMake = false;
          if (honest) {
            try {
              mayMake = honestEdit(r, client, kind, role);
            } catch (error) {
              // A writer refusing its input (a thread that is gone): no edit, nothing to send.
              if (!(error instanceof DocumentInputError)) throw error;
            }
          } else hostileEdit(r, client, shape, sender.userId);
          const update = Y.encodeStateAsUpdate(client, before);
          const verdict = guardUpdate(server, update, sender);
          const label = `seed ${seed}, ${kind}, step ${step}, ${role}, ${honest ? 'honest' : 'hostile'}`;
          if (honest && mayMake) {
            const refused =
              verdict.kind === 'refuse' || verdict.kind === 'close' ? verdict.reason : null;
            expect(refused, label).toBeNull();
          }
          if (verdict.kind !== 'apply') continue;
          accepted++;
          const facts = protectedFacts(server, kind, sender);
          const threadsBefore = new Set(server.getMap('threads').keys());
          Y.applyUpdate(server, update);
          // What was there is unchanged; what is new (a thread, its messages) is the sender's.
          const after = protectedFacts(server, kind, sender);
          for (const [key, value] of Object.entries(facts)) expect(after[key], label).toBe(value);
          for (const [id, thread] of server.getMap('threads').entries()) {
            if (threadsBefore.has(id) || !(thread instanceof Y.Map)) continue;
            // (A thread missing its first facts reads as absent; one naming its author names
            // the sender.)
            if (thread.has('createdBy')) expect(thread.get('createdBy'), label).toBe(sender.userId);
            expect(after[`${id}/others`] ?? '[]', label).toBe('[]');
          }
          expect(nonConformance(server, shape), label).toBeNull();
        }
        expect(accepted, `seed ${seed}, ${kind}: something was let through`).toBeGreaterThan(0);
      }
    },
    60_000,
  );

  it('bounds plain strings: no value longer than MAX_STRING is ever stored', () => {
    // The value checks' own bound, which the conformance check above relies on.
    const shape = DOCUMENT_SHAPES.plan;
    const server = start('plan');
    const client = copyOf(server, 5);
    const before = Y.encodeStateVector(client);
    (client.getMap('metrics').get('m1') as Y.Map<unknown>).set('name', 'n'.repeat(MAX_STRING + 1));
    const verdict = guardUpdate(server, Y.encodeStateAsUpdate(client, before), {
      userId: 'u',
      shape,
      can: () => true,
    });
    expect(verdict).toMatchObject({
      kind: 'refuse',
      reason: /^metrics\/m1\/name: must be text of at most 20,000/,
    });
  });
});
