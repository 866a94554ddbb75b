import { DECISION_FIELDS } from '@concord/auth/roles';
import {
  categoryEvidence,
  clearConsensus,
  consensusRationale,
  createAssessment,
  createChecklist,
  createRatings,
  indicatorEvidence,
  MAX_LINE_TEXT,
  MAX_RICH_TEXT,
  readAssessment,
  ratingNote,
  recordConsensus,
  setIndicatorStatus,
  setRating,
  setTeamRating,
} from '@concord/documents';
import { outline } from '@concord/rubric-core';
import {
  maPlnDistrictConditions as rubric,
  schoolworksPrerequisites as checklist,
} from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boundsViolation, protectedChange } from './field-guard.js';

const FIELDS = DECISION_FIELDS.assessment!;
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

/**
 * The first line of a rich text field, where an editor types: the Y.XmlText of its first
 * paragraph, made (as Tiptap would, on the first keystroke) when the field is empty.
 */
function lineOf(fragment: Y.XmlFragment): Y.XmlText {
  const first = fragment.get(0);
  if (first instanceof Y.XmlElement && first.get(0) instanceof Y.XmlText) {
    return first.get(0) as Y.XmlText;
  }
  const line = new Y.XmlText();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [line]);
  fragment.insert(0, [paragraph]);
  return line;
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

describe('protectedChange: decision fields of an assessment', () => {
  it('lets a rater add evidence and co-write the rationale', () => {
    const { server, rater } = serverAndRater();
    const evidence = sent(rater, (d) =>
      lineOf(indicatorEvidence(d, rubric, INDICATOR)).insert(0, 'Board minutes, 2026-09-14'),
    );
    expect(protectedChange(server, evidence, FIELDS)).toBeNull();
    Y.applyUpdate(server, evidence);
    const rationale = sent(rater, (d) =>
      lineOf(consensusRationale(d, rubric, INDICATOR)).insert(0, 'Schedules agreed by all schools'),
    );
    expect(protectedChange(server, rationale, FIELDS)).toBeNull();
    const deletion = sent(rater, (d) =>
      lineOf(indicatorEvidence(d, rubric, INDICATOR)).delete(0, 6),
    );
    expect(protectedChange(server, deletion, FIELDS)).toBeNull();
  });

  it('refuses recording, clearing or replacing a consensus, and moving the discussion', () => {
    const { server, rater } = serverAndRater();
    const record = sent(rater, (d) =>
      recordConsensus(d, rubric, { indicatorId: INDICATOR, value: 3, by: 'rater-1', at: AT }),
    );
    expect(protectedChange(server, record, FIELDS)).toBe(`items/${INDICATOR}/decision`);

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
    expect(protectedChange(server, clear, FIELDS)).toMatch(/^items\/dc\.1\.1\/(decision|status)$/);

    const status = sent(rater, (d) => setIndicatorStatus(d, rubric, 'dc.1.2', 'in-discussion'));
    expect(protectedChange(server, status, FIELDS)).toBe('items/dc.1.2/status');
  });

  it('refuses deleting or replacing an indicator whose map holds the decision', () => {
    const { server, rater } = serverAndRater();
    const removed = sent(rater, (d) => d.getMap('items').delete(INDICATOR));
    expect(protectedChange(server, removed, FIELDS)).toBe(`items/${INDICATOR}`);
    const replaced = sent(rater, (d) => d.getMap('items').set(INDICATOR, new Y.Map()));
    expect(protectedChange(server, replaced, FIELDS)).toBe(`items/${INDICATOR}`);
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
    expect(protectedChange(server, evidence, FIELDS)).toBeNull();
    const { server: again, rater: other } = serverAndRater((d) => {
      createAssessment(d, rubric);
      d.getMap('items').delete(INDICATOR);
    });
    const withDecision = sent(other, (d) =>
      recordConsensus(d, rubric, { indicatorId: INDICATOR, value: 4, by: 'r', at: AT }),
    );
    expect(protectedChange(again, withDecision, FIELDS)).toBe(`items/${INDICATOR}/decision`);
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
    expect(protectedChange(server, batch, FIELDS)).toBe(`items/${second}/decision`);
  });

  it('follows a long chain of keystrokes typed offline without recursion', () => {
    const { server, rater } = serverAndRater();
    const before = Y.encodeStateVector(rater);
    const text = lineOf(indicatorEvidence(rater, rubric, INDICATOR));
    // One character per transaction, each after the last: 20,000 items each with the previous
    // as its origin (Yjs merges none of them: each has its own origin).
    for (let i = 0; i < 20_000; i++) text.insert(i % 2 === 0 ? text.length : 0, 'x');
    const batch = Y.encodeStateAsUpdate(rater, before);
    expect(protectedChange(server, batch, FIELDS)).toBeNull();
  });

  it('refuses an edit whose origin the server does not have (its place is unknown)', () => {
    const { server, rater } = serverAndRater();
    // Something the server never received, then an edit that depends on it.
    lineOf(indicatorEvidence(rater, rubric, INDICATOR)).insert(0, 'never sent ');
    const dependent = sent(rater, (d) =>
      lineOf(indicatorEvidence(d, rubric, INDICATOR)).insert(11, 'x'),
    );
    expect(protectedChange(server, dependent, FIELDS)).toMatch(/not known yet/);
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
    expect(protectedChange(server, late, FIELDS)).toBeNull();
  });

  it('checks nothing without fields, and passes what the document already has', () => {
    const { server, rater } = serverAndRater();
    const record = sent(rater, (d) =>
      recordConsensus(d, rubric, { indicatorId: INDICATOR, value: 3, by: 'r', at: AT }),
    );
    expect(protectedChange(server, record, [])).toBeNull();
    Y.applyUpdate(server, record); // a facilitator's copy of the same bytes came first
    expect(protectedChange(server, record, FIELDS)).toBeNull();
    expect(readAssessment(server, rubric)[INDICATOR]?.consensus?.value).toBe(3);
  });
});

describe('protectedChange: the Prerequisites checklist', () => {
  it('refuses a rater recording a team rating, allows evidence', () => {
    const fields = DECISION_FIELDS.prerequisites!;
    const { server, rater } = serverAndRater((d) => createChecklist(d, checklist));
    const category = checklist.sections[0]!.indicators[0]!.id;
    const evidence = sent(rater, (d) =>
      lineOf(categoryEvidence(d, checklist, category)).insert(0, 'MOU'),
    );
    expect(protectedChange(server, evidence, fields)).toBeNull();
    const level = checklist.sections[0]!.scale?.levels[0]?.value ?? 1;
    const rating = sent(rater, (d) =>
      setTeamRating(d, checklist, { indicatorId: category, value: level, by: 'r', at: AT }),
    );
    expect(protectedChange(server, rating, fields)).toBe(`items/${category}/decision`);
  });
});

describe('boundsViolation: text fields no longer than their bound', () => {
  const check = (doc: Y.Doc, update: Uint8Array) => boundsViolation(doc, Y.decodeUpdate(update));
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
    const vision = sent(clientOf(server), (d) =>
      lineOf(d.getXmlFragment('visionRich')).insert(0, 'v'.repeat(MAX_RICH_TEXT + 1)),
    );
    expect(check(server, vision)).toMatch(/^visionRich would be 20,001/);
    const title = sent(clientOf(server), (d) => {
      const goal = new Y.Map<unknown>();
      d.getMap('goals').set('g-1', goal);
      const text = new Y.Text();
      goal.set('title', text);
      text.insert(0, 'g'.repeat(MAX_LINE_TEXT + 1));
    });
    expect(check(server, title)).toMatch(/^goals\/g-1\/title would be/);
  });

  it('checks nothing for an update without text, and passes text the server already has', () => {
    const { server } = withEvidence(MAX_RICH_TEXT);
    const status = sent(clientOf(server), (d) =>
      setIndicatorStatus(d, rubric, INDICATOR, 'in-discussion'),
    );
    expect(check(server, status)).toBeNull();
    expect(check(server, Y.encodeStateAsUpdate(server))).toBeNull();
  });

  it('refuses text whose place is not known', () => {
    const { server, rater } = serverAndRater();
    lineOf(indicatorEvidence(rater, rubric, INDICATOR)).insert(0, 'never sent ');
    const dependent = sent(rater, (d) =>
      lineOf(indicatorEvidence(d, rubric, INDICATOR)).insert(11, 'x'),
    );
    expect(check(server, dependent)).toMatch(/not known yet/);
  });

  it('stays cheap on a long offline chain of keystrokes up to the bound', () => {
    const { server, rater } = serverAndRater();
    const before = Y.encodeStateVector(rater);
    const text = lineOf(indicatorEvidence(rater, rubric, INDICATOR));
    for (let i = 0; i < MAX_RICH_TEXT; i++) text.insert(i % 2 === 0 ? text.length : 0, 'x');
    const batch = Y.encodeStateAsUpdate(rater, before);
    const started = performance.now();
    expect(check(server, batch)).toBeNull();
    expect(performance.now() - started).toBeLessThan(500);
    Y.applyUpdate(server, batch);
    const one = sent(clientOf(server), (d) =>
      lineOf(indicatorEvidence(d, rubric, INDICATOR)).insert(0, 'y'),
    );
    expect(check(server, one)).toMatch(/would be 20,001/);
  });
});

describe('boundsViolation: ratings are level values', () => {
  const check = (doc: Y.Doc, update: Uint8Array) => boundsViolation(doc, Y.decodeUpdate(update));

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
