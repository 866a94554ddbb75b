import type { SyncCapability } from '@concord/auth/roles';
import {
  addActionStep,
  addGoal,
  addMetric,
  categoryEvidence,
  clearConsensus,
  consensusRationale,
  createAssessment,
  createChecklist,
  createPlan,
  createRatings,
  indicatorEvidence,
  MAX_LINE_TEXT,
  MAX_RICH_TEXT,
  moveActionStep,
  moveGoal,
  readAssessment,
  readPlan,
  ratingNote,
  recordActual,
  recordConsensus,
  removeActual,
  removeMetric,
  setIndicatorStatus,
  setMetricValues,
  setRating,
  setTeamRating,
  updateMetric,
} from '@concord/documents';
import { outline } from '@concord/rubric-core';
import {
  knowledgeworksPlanTemplate as planTemplate,
  maPlnDistrictConditions as rubric,
  schoolworksPrerequisites as checklist,
} from '@concord/rubric-core/templates';
import { DOCUMENT_SHAPES } from '@concord/documents/shapes';
import type { DocumentKind } from '@concord/auth/roles';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { lineOf } from '../../test/document-content.js';
import { guardUpdate, type Sender } from './chain.js';

/** A connection of `userId` with `capabilities` on a document of `kind`. */
function sender(
  kind: DocumentKind,
  userId: string,
  capabilities: readonly SyncCapability[] = ['read', 'write', 'awareness'],
): Sender {
  return { userId, shape: DOCUMENT_SHAPES[kind], can: (c) => capabilities.includes(c) };
}

const RATER = sender('assessment', 'rater-1');
const FACILITATOR = sender('assessment', 'fac', ['read', 'write', 'awareness', 'decide']);

/** Why the guard refuses `update` on `doc` from `who` (null: it would be applied). */
function refusal(doc: Y.Doc, update: Uint8Array, who: Sender = RATER): string | null {
  const verdict = guardUpdate(doc, update, who);
  if (verdict.kind === 'refuse') return verdict.reason;
  if (verdict.kind === 'close') return `closed: ${verdict.reason}`;
  if (verdict.kind === 'wait') return `wait: ${verdict.reason}`;
  return null;
}
const AT = '2026-11-23T10:00:00Z';
const INDICATOR = 'dc.1.1';

/** The server's copy of a created assessment, and a rater's client synced with it. */
function serverAndRater(setup: (doc: Y.Doc) => void = (d) => createAssessment(d, rubric)) {
  const server = new Y.Doc();
  setup(server);
  const rater = new Y.Doc();
  Y.applyUpdate(rater, Y.encodeStateAsUpdate(server));
  return { server, rater };
}

/** A client that has everything `server` has (each edit of a test starts from the server). */
function clientOf(server: Y.Doc): Y.Doc {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return client;
}

/** What the rater sends for `edit`: the update of its transaction(s). */
function sent(rater: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(rater);
  edit(rater);
  return Y.encodeStateAsUpdate(rater, before);
}

describe('decision fields of an assessment', () => {
  it('lets a rater add evidence and co-write the rationale', () => {
    const { server, rater } = serverAndRater();
    const evidence = sent(rater, (d) =>
      lineOf(indicatorEvidence(d, rubric, INDICATOR)).insert(0, 'Board minutes, 2026-09-14'),
    );
    expect(refusal(server, evidence)).toBeNull();
    Y.applyUpdate(server, evidence);
    const rationale = sent(rater, (d) =>
      lineOf(consensusRationale(d, rubric, INDICATOR)).insert(0, 'Schedules agreed by all schools'),
    );
    expect(refusal(server, rationale)).toBeNull();
    const deletion = sent(rater, (d) =>
      lineOf(indicatorEvidence(d, rubric, INDICATOR)).delete(0, 6),
    );
    expect(refusal(server, deletion)).toBeNull();
  });

  it('refuses recording, clearing or replacing a consensus, and moving the discussion', () => {
    const { server, rater } = serverAndRater();
    const record = sent(rater, (d) =>
      recordConsensus(d, rubric, { indicatorId: INDICATOR, value: 3, by: 'rater-1', at: AT }),
    );
    expect(refusal(server, record)).toBe(
      `items/${INDICATOR}/decision: only a facilitator or an owner may change it (the group’s decision and where the discussion stands)`,
    );

    // The facilitator records one; the rater may neither clear nor overwrite it.
    const facilitator = new Y.Doc();
    Y.applyUpdate(facilitator, Y.encodeStateAsUpdate(server));
    Y.applyUpdate(
      server,
      sent(facilitator, (d) =>
        recordConsensus(d, rubric, { indicatorId: INDICATOR, value: 2, by: 'fac', at: AT }),
      ),
    );
    const synced = new Y.Doc();
    Y.applyUpdate(synced, Y.encodeStateAsUpdate(server));
    const clear = sent(synced, (d) => clearConsensus(d, rubric, INDICATOR));
    expect(refusal(server, clear)).toMatch(
      /^items\/dc\.1\.1\/(decision|status): only a facilitator/,
    );

    const status = sent(rater, (d) => setIndicatorStatus(d, rubric, 'dc.1.2', 'in-discussion'));
    expect(refusal(server, status)).toMatch(/^items\/dc\.1\.2\/status: only a facilitator/);
  });

  it('refuses deleting or replacing an indicator whose map holds the decision', () => {
    const { server, rater } = serverAndRater();
    const removed = sent(rater, (d) => d.getMap('items').delete(INDICATOR));
    expect(refusal(server, removed)).toBe(
      `items/${INDICATOR}: cannot be removed (it holds others’ work)`,
    );
    const replaced = sent(rater, (d) => d.getMap('items').set(INDICATOR, new Y.Map()));
    expect(refusal(server, replaced)).toBe(
      `items/${INDICATOR}: would replace the map there, erasing what is in it; edit it instead`,
    );
    // The facilitator may not either: nobody erases an indicator's texts and decision.
    expect(refusal(server, replaced, FACILITATOR)).toMatch(/would replace the map there/);
  });

  it('lets a rater create a missing indicator with evidence, but not with a decision in it', () => {
    // An indicator the document lacks (added by a newer template version): the first writer
    // creates its map.
    const { server, rater } = serverAndRater((d) => {
      createAssessment(d, rubric);
      d.getMap('items').delete(INDICATOR);
    });
    const evidence = sent(rater, (d) =>
      lineOf(indicatorEvidence(d, rubric, INDICATOR)).insert(0, 'new'),
    );
    expect(refusal(server, evidence)).toBeNull();
    const { server: again, rater: other } = serverAndRater((d) => {
      createAssessment(d, rubric);
      d.getMap('items').delete(INDICATOR);
    });
    const withDecision = sent(other, (d) =>
      recordConsensus(d, rubric, { indicatorId: INDICATOR, value: 4, by: 'r', at: AT }),
    );
    expect(refusal(again, withDecision)).toMatch(
      new RegExp(`^items/${INDICATOR}/decision: only a facilitator`),
    );
  });

  it('refuses a whole offline batch that hides one decision among evidence', () => {
    const { server, rater } = serverAndRater();
    const [first, second, third] = Object.keys(readAssessment(server, rubric)) as [
      string,
      string,
      string,
    ];
    const before = Y.encodeStateVector(rater);
    for (const id of [first, second, third]) {
      lineOf(indicatorEvidence(rater, rubric, id)).insert(0, `evidence for ${id}`);
    }
    recordConsensus(rater, rubric, { indicatorId: second, value: 4, by: 'r', at: AT });
    lineOf(indicatorEvidence(rater, rubric, third)).insert(0, 'more ');
    const batch = Y.encodeStateAsUpdate(rater, before);
    expect(refusal(server, batch)).toMatch(
      new RegExp(`^items/${second}/decision: only a facilitator`),
    );
  });

  it(
    'follows a long chain of keystrokes typed offline without recursion',
    { timeout: 60_000 },
    () => {
      const { server, rater } = serverAndRater();
      const before = Y.encodeStateVector(rater);
      const text = lineOf(indicatorEvidence(rater, rubric, INDICATOR));
      // One character per transaction, each after the last: 20,000 items each with the previous
      // as its origin (Yjs merges none of them: each has its own origin).
      for (let i = 0; i < 20_000; i++) text.insert(i % 2 === 0 ? text.length : 0, 'x');
      const batch = Y.encodeStateAsUpdate(rater, before);
      expect(refusal(server, batch)).toBeNull();
    },
  );

  it('holds an edit whose origin the server does not have (its place is unknown)', () => {
    const { server, rater } = serverAndRater();
    // Something the server never received, then an edit that depends on it.
    lineOf(indicatorEvidence(rater, rubric, INDICATOR)).insert(0, 'never sent ');
    const dependent = sent(rater, (d) =>
      lineOf(indicatorEvidence(d, rubric, INDICATOR)).insert(11, 'x'),
    );
    expect(refusal(server, dependent)).toMatch(/^wait: .*not known yet/);
  });

  it('allows an edit landing in content already deleted and collected', () => {
    const { server, rater } = serverAndRater();
    const facilitator = new Y.Doc();
    Y.applyUpdate(facilitator, Y.encodeStateAsUpdate(server));
    // The rater types into the evidence; meanwhile the facilitator deletes the whole indicator
    // (the server's copy garbage-collects its texts).
    Y.applyUpdate(
      server,
      sent(rater, (d) => lineOf(indicatorEvidence(d, rubric, INDICATOR)).insert(0, 'a')),
    );
    Y.applyUpdate(facilitator, Y.encodeStateAsUpdate(server, Y.encodeStateVector(facilitator)));
    Y.applyUpdate(
      server,
      sent(facilitator, (d) => d.getMap('items').delete(INDICATOR)),
    );
    const late = sent(rater, (d) => lineOf(indicatorEvidence(d, rubric, INDICATOR)).insert(1, 'b'));
    expect(refusal(server, late)).toBeNull();
  });

  it('lets a facilitator record, clear and reopen; passes what the document already has', () => {
    const { server, rater } = serverAndRater();
    const record = sent(rater, (d) =>
      recordConsensus(d, rubric, { indicatorId: INDICATOR, value: 3, by: 'fac', at: AT }),
    );
    expect(refusal(server, record, FACILITATOR)).toBeNull();
    Y.applyUpdate(server, record); // the facilitator's copy of the same bytes came first
    expect(refusal(server, record)).toBeNull();
    expect(readAssessment(server, rubric)[INDICATOR]?.consensus?.value).toBe(3);
    const clear = sent(clientOf(server), (d) => clearConsensus(d, rubric, INDICATOR));
    expect(refusal(server, clear, FACILITATOR)).toBeNull();
  });

  it('attributes a decision to the person recording it, not whoever the client names', () => {
    const { server, rater } = serverAndRater();
    const forged = sent(rater, (d) =>
      recordConsensus(d, rubric, { indicatorId: INDICATOR, value: 3, by: 'someone-else', at: AT }),
    );
    expect(refusal(server, forged, FACILITATOR)).toMatch(
      new RegExp(`^items/${INDICATOR}/decision: by: must be you \\(fac\\)`),
    );
  });
});

const CHECKLIST_RATER = sender('prerequisites', 'r');

describe('decision fields of the Prerequisites checklist', () => {
  it('refuses a rater recording a team rating, allows evidence', () => {
    const { server, rater } = serverAndRater((d) => createChecklist(d, checklist));
    const category = checklist.sections[0]!.indicators[0]!.id;
    const evidence = sent(rater, (d) =>
      lineOf(categoryEvidence(d, checklist, category)).insert(0, 'MOU'),
    );
    expect(refusal(server, evidence, CHECKLIST_RATER)).toBeNull();
    const level = checklist.sections[0]!.scale?.levels[0]?.value ?? 1;
    const rating = sent(rater, (d) =>
      setTeamRating(d, checklist, { indicatorId: category, value: level, by: 'r', at: AT }),
    );
    expect(refusal(server, rating, CHECKLIST_RATER)).toMatch(
      new RegExp(`^items/${category}/decision: only a facilitator`),
    );
  });
});

describe('text fields no longer than their bound', () => {
  const check = (doc: Y.Doc, update: Uint8Array, who: Sender = FACILITATOR) =>
    refusal(doc, update, who);
  const FIELD = `items/${INDICATOR}/evidence`;

  /** A server whose evidence for INDICATOR already holds `chars` characters (one paragraph). */
  function withEvidence(chars: number) {
    const { server } = serverAndRater();
    Y.applyUpdate(
      server,
      sent(clientOf(server), (d) =>
        lineOf(indicatorEvidence(d, rubric, INDICATOR)).insert(0, 'e'.repeat(chars)),
      ),
    );
    return { server };
  }

  it('refuses evidence pushed past the bound, naming the field and the most', () => {
    const { server } = withEvidence(MAX_RICH_TEXT - 10);
    const over = sent(clientOf(server), (d) =>
      lineOf(indicatorEvidence(d, rubric, INDICATOR)).insert(0, 'x'.repeat(11)),
    );
    expect(check(server, over)).toBe(
      `${FIELD} would be 20,001 characters; the most is ${MAX_RICH_TEXT.toLocaleString('en-US')}`,
    );
  });

  it('passes evidence that reaches the bound exactly', () => {
    const { server } = withEvidence(MAX_RICH_TEXT - 10);
    const fits = sent(clientOf(server), (d) =>
      lineOf(indicatorEvidence(d, rubric, INDICATOR)).insert(0, 'x'.repeat(10)),
    );
    expect(check(server, fits)).toBeNull();
    Y.applyUpdate(server, fits);
    expect(indicatorEvidence(server, rubric, INDICATOR).toString()).toContain('x'.repeat(10));
  });

  it('counts every paragraph of the field, and a whole offline paste at once', () => {
    const { server, rater } = serverAndRater();
    const before = Y.encodeStateVector(rater);
    const evidence = indicatorEvidence(rater, rubric, INDICATOR);
    for (let i = 0; i < 5; i++) {
      const line = new Y.XmlText();
      line.insert(0, 'p'.repeat(4_000));
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [line]);
      evidence.insert(evidence.length, [paragraph]);
    }
    const five = Y.encodeStateAsUpdate(rater, before);
    expect(check(server, five)).toBeNull(); // 5 x 4,000 = 20,000
    Y.applyUpdate(server, five);
    const sixth = sent(clientOf(server), (d) => {
      const paragraph = new Y.XmlElement('paragraph');
      const line = new Y.XmlText();
      line.insert(0, '!');
      paragraph.insert(0, [line]);
      indicatorEvidence(d, rubric, INDICATOR).insert(0, [paragraph]);
    });
    expect(check(server, sixth)).toMatch(/would be 20,001 characters/);
  });

  it('counts what the same update deletes: replacing a long text with another fits', () => {
    const { server } = withEvidence(15_000);
    const replace = sent(clientOf(server), (d) => {
      const line = lineOf(indicatorEvidence(d, rubric, INDICATOR));
      line.delete(0, line.length);
      line.insert(0, 'r'.repeat(10_000));
    });
    expect(check(server, replace)).toBeNull();
    // Deleting the whole paragraph (its text deleted with it) counts too.
    const paragraphs = sent(clientOf(server), (d) => {
      const fragment = indicatorEvidence(d, rubric, INDICATOR);
      fragment.delete(0, fragment.length);
      lineOf(fragment).insert(0, 's'.repeat(12_000));
    });
    expect(check(server, paragraphs)).toBeNull();
    // A replacement that is still too long is refused.
    const tooLong = sent(clientOf(server), (d) => {
      const line = lineOf(indicatorEvidence(d, rubric, INDICATOR));
      line.delete(0, 100);
      line.insert(0, 't'.repeat(5_200));
    });
    expect(check(server, tooLong)).toMatch(/would be 20,100 characters/);
  });

  it('lets a field already over its bound (written before it) be shortened, not lengthened', () => {
    const { server } = withEvidence(MAX_RICH_TEXT + 5_000);
    const deleteOnly = sent(clientOf(server), (d) =>
      lineOf(indicatorEvidence(d, rubric, INDICATOR)).delete(0, 10),
    );
    expect(check(server, deleteOnly)).toBeNull();
    const shorter = sent(clientOf(server), (d) => {
      const line = lineOf(indicatorEvidence(d, rubric, INDICATOR));
      line.delete(0, 10);
      line.insert(0, 'fix');
    });
    expect(check(server, shorter)).toBeNull();
    const longer = sent(clientOf(server), (d) =>
      lineOf(indicatorEvidence(d, rubric, INDICATOR)).insert(0, 'x'),
    );
    expect(check(server, longer)).toBe(`${FIELD} would be 25,001 characters; the most is 20,000`);
  });

  it('bounds the rationale, the plan’s vision and a goal’s title too', () => {
    const { server } = serverAndRater();
    const rationale = sent(clientOf(server), (d) =>
      lineOf(consensusRationale(d, rubric, INDICATOR)).insert(0, 'r'.repeat(MAX_RICH_TEXT + 1)),
    );
    expect(check(server, rationale)).toMatch(new RegExp(`^items/${INDICATOR}/rationale would be`));
    const plan = new Y.Doc();
    const planner = sender('plan', 'p');
    const vision = sent(clientOf(plan), (d) =>
      lineOf(d.getXmlFragment('visionRich')).insert(0, 'v'.repeat(MAX_RICH_TEXT + 1)),
    );
    expect(check(plan, vision, planner)).toMatch(/^visionRich would be 20,001/);
    const title = sent(clientOf(plan), (d) => {
      const goal = new Y.Map<unknown>();
      d.getMap('goals').set('g-1', goal);
      const text = new Y.Text();
      goal.set('title', text);
      text.insert(0, 'g'.repeat(MAX_LINE_TEXT + 1));
    });
    expect(check(plan, title, planner)).toMatch(/^goals\/g-1\/title would be/);
  });

  it('checks nothing for an update without text, and passes text the server already has', () => {
    const { server } = withEvidence(MAX_RICH_TEXT);
    const status = sent(clientOf(server), (d) =>
      setIndicatorStatus(d, rubric, INDICATOR, 'in-discussion'),
    );
    expect(check(server, status)).toBeNull();
    expect(check(server, Y.encodeStateAsUpdate(server))).toBeNull();
  });

  it('holds text whose place is not known', () => {
    const { server, rater } = serverAndRater();
    lineOf(indicatorEvidence(rater, rubric, INDICATOR)).insert(0, 'never sent ');
    const dependent = sent(rater, (d) =>
      lineOf(indicatorEvidence(d, rubric, INDICATOR)).insert(11, 'x'),
    );
    expect(check(server, dependent)).toMatch(/^wait: .*not known yet/);
  });

  it('counts a long offline chain of keystrokes up to the bound', { timeout: 60_000 }, () => {
    const { server, rater } = serverAndRater();
    const before = Y.encodeStateVector(rater);
    const text = lineOf(indicatorEvidence(rater, rubric, INDICATOR));
    for (let i = 0; i < MAX_RICH_TEXT; i++) text.insert(i % 2 === 0 ? text.length : 0, 'x');
    const batch = Y.encodeStateAsUpdate(rater, before);
    // What it costs is bench's business; here: it is placed, counted and let through whole.
    expect(check(server, batch)).toBeNull();
    Y.applyUpdate(server, batch);
    const one = sent(clientOf(server), (d) =>
      lineOf(indicatorEvidence(d, rubric, INDICATOR)).insert(0, 'y'),
    );
    expect(check(server, one)).toMatch(/would be 20,001/);
  });
});

describe('ratings are level values', () => {
  const check = (doc: Y.Doc, update: Uint8Array) =>
    refusal(doc, update, sender('ratings', 'rater-1'));

  it('passes a level or a cleared rating, refuses anything else', () => {
    const { server } = serverAndRater((d) => createRatings(d, rubric));
    const level = outline(rubric).entries.find((e) => e.indicator.id === INDICATOR)!.scale
      .levels[0]!.value;
    const good = sent(clientOf(server), (d) => setRating(d, rubric, INDICATOR, level));
    expect(check(server, good)).toBeNull();
    Y.applyUpdate(server, good);
    expect(
      check(
        server,
        sent(clientOf(server), (d) => setRating(d, rubric, INDICATOR, null)),
      ),
    ).toBeNull();
    for (const bad of [7.5, -1, 101, '3', { value: 3 }, Number.NaN]) {
      const update = sent(clientOf(server), (d) => d.getMap('ratings').set(INDICATOR, bad));
      expect(check(server, update)).toMatch(
        new RegExp(`^ratings/${INDICATOR}: a rating is a level value`),
      );
    }
    const nested = sent(clientOf(server), (d) =>
      d.getMap('ratings').set(INDICATOR, new Y.Text('3')),
    );
    expect(check(server, nested)).toMatch(/not a nested type/);
    // A note is bounded like any rich text.
    const note = sent(clientOf(server), (d) =>
      lineOf(ratingNote(d, rubric, INDICATOR)).insert(0, 'n'.repeat(MAX_RICH_TEXT + 1)),
    );
    expect(check(server, note)).toMatch(new RegExp(`^notes/${INDICATOR} would be 20,001`));
  });
});

describe('a key set more than once in one update', () => {
  const planner = sender('plan', 'p');
  function planWithMetric(): Y.Doc {
    const doc = new Y.Doc();
    doc.clientID = 1;
    const metric = new Y.Map<unknown>();
    doc.getMap('metrics').set('m', metric);
    metric.set('name', 'Metric');
    return doc;
  }
  const metricOf = (d: Y.Doc) => d.getMap('metrics').get('m') as Y.Map<unknown>;

  it('passes a field that may not be removed, set twice in one transaction or offline', () => {
    const server = planWithMetric();
    const once = sent(clientOf(server), (d) =>
      d.transact(() => {
        metricOf(d).set('name', 'x');
        metricOf(d).set('name', 'y');
      }),
    );
    expect(refusal(server, once, planner)).toBeNull();
    const offline = sent(clientOf(server), (d) => {
      metricOf(d).set('name', 'x');
      metricOf(d).set('name', 'y');
    });
    expect(refusal(server, offline, planner)).toBeNull();
    Y.applyUpdate(server, offline);
    expect(metricOf(server).get('name')).toBe('y');
  });

  it('refuses a value followed by a deleted item that wins the key (a removal in disguise)', () => {
    const server = planWithMetric();
    const first = clientOf(server);
    first.clientID = 50;
    const a = sent(first, (d) => metricOf(d).set('name', 'x'));
    const second = clientOf(first);
    second.clientID = 60;
    const b = sent(second, (d) =>
      d.transact(() => {
        metricOf(d).set('name', 'z');
        metricOf(d).delete('name');
      }),
    );
    const both = Y.mergeUpdates([a, b]);
    expect(refusal(server, both, planner)).toBe('metrics/m/name: cannot be removed');
  });
});

describe('plan edits people make on the page', () => {
  const planner = sender('plan', 'p');

  it('passes reordering goals and steps and editing metrics; refuses a position that is not a number', () => {
    const server = new Y.Doc();
    server.clientID = 1;
    createPlan(server, planTemplate);
    const area = planTemplate.areas[0]!.id;
    for (const id of ['g1', 'g2']) {
      addGoal(server, planTemplate, { id, area, title: id, createdAt: '2026-09-01T00:00:00Z' });
    }
    addActionStep(server, 'g1', { id: 's1', title: 'one' });
    addActionStep(server, 'g1', { id: 's2', title: 'two' });
    addMetric(server, planTemplate, { id: 'm', name: 'Attendance', baseline: { all: 90 } });
    const moves = sent(clientOf(server), (d) => {
      moveGoal(d, planTemplate, 'g2', { index: 0 });
      moveActionStep(d, planTemplate, 'g1', 's2', 0);
      updateMetric(d, 'm', { unit: '%', goalId: 'g1', source: null });
      setMetricValues(d, planTemplate, 'm', { baseline: { all: null }, target: { all: 95 } });
      recordActual(d, planTemplate, 'm', { date: '2027-01-31', value: 92 });
    });
    expect(refusal(server, moves, planner)).toBeNull();
    Y.applyUpdate(server, moves);
    const plan = readPlan(server, planTemplate);
    expect(plan.goals.map((g) => g.id)).toEqual(['g2', 'g1']);
    expect(plan.goals[1]!.steps.map((s) => s.id)).toEqual(['s2', 's1']);
    const removal = sent(clientOf(server), (d) => {
      removeActual(d, planTemplate, 'm', { subgroup: 'all', date: '2027-01-31', value: 92 });
      removeMetric(d, 'm');
    });
    expect(refusal(server, removal, planner)).toBeNull();
    const bad = sent(clientOf(server), (d) =>
      (d.getMap('goals').get('g1') as Y.Map<unknown>).set('position', 'first'),
    );
    expect(refusal(server, bad, planner)).toMatch(/^goals\/g1\/position: .*a number/);
  });
});
