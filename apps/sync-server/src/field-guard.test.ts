import { DECISION_FIELDS } from '@concord/auth/roles';
import {
  categoryEvidence,
  clearConsensus,
  consensusRationale,
  createAssessment,
  createChecklist,
  indicatorEvidence,
  readAssessment,
  recordConsensus,
  setIndicatorStatus,
  setTeamRating,
} from '@concord/documents';
import {
  maPlnDistrictConditions as rubric,
  schoolworksPrerequisites as checklist,
} from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { protectedChange } from './field-guard.js';

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
