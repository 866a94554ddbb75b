import {
  knowledgeworksPlanTemplate as planTemplate,
  maPlnDistrictConditions as rubric,
  schoolworksPrerequisites as checklist,
} from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAssessment, indicatorEvidence, readAssessment } from './assessment.js';
import { readChecklist } from './checklist.js';
import { readMeta } from './meta.js';
import { MIGRATION_ORIGIN, migrateDocument } from './migrate.js';
import { goalText, readPlan, visionText } from './plan.js';
import { ratingNote, readRatingNotes } from './ratings.js';
import { reload } from './test-fixtures.js';

const TEXTS = {
  multiLine: 'Board minutes, Sept. 14\nCabinet agenda\n\nafter a blank line',
  unicode: 'Évaluation 評価 👩🏽‍🏫',
  trailing: 'ends with a newline\n',
};

/**
 * Documents as schema v1 wrote them (Y.Text in every text field), built by hand: the v1 writers
 * are gone, and this is the shape the stored data has.
 */
function v1Document(
  kind: string,
  fill: (doc: Y.Doc) => void,
  meta: Record<string, unknown> = {},
): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    const m = doc.getMap('meta');
    for (const [k, v] of Object.entries({ schemaVersion: 1, kind, ...meta })) m.set(k, v);
    fill(doc);
  });
  return reload(doc); // a loaded copy: its roots are not cast yet, as in the store
}

function v1Item(evidence: string, rationale: string): Y.Map<unknown> {
  const item = new Y.Map<unknown>();
  item.set('evidence', new Y.Text(evidence));
  item.set('rationale', new Y.Text(rationale));
  return item;
}

function v1Assessment(): Y.Doc {
  return v1Document(
    'assessment',
    (doc) => {
      const items = doc.getMap('items');
      items.set('dc.1.1', v1Item(TEXTS.multiLine, TEXTS.unicode));
      items.set('dc.1.2', v1Item('', TEXTS.trailing));
      const decided = v1Item('x', '');
      decided.set('decision', { value: 3, by: 'fac', at: '2026-09-14T15:00:00Z' });
      decided.set('status', 'agreed');
      items.set('dc.2.1', decided);
    },
    { templateId: rubric.id, templateVersion: rubric.version },
  );
}

function v1Plan(): Y.Doc {
  return v1Document(
    'plan',
    (doc) => {
      doc.getText('vision').insert(0, TEXTS.multiLine);
      const goal = new Y.Map<unknown>();
      goal.set('area', planTemplate.areas[0]!.id);
      goal.set('title', new Y.Text('Coaching'));
      goal.set('statement', new Y.Text(TEXTS.unicode));
      goal.set('createdAt', '2026-09-14T15:00:00Z');
      doc.getMap('goals').set('g1', goal);
      doc.getMap('metrics');
    },
    { templateId: planTemplate.id, templateVersion: planTemplate.version },
  );
}

function v1Ratings(): Y.Doc {
  return v1Document(
    'ratings',
    (doc) => {
      doc.getMap('notes').set('dc.1.1', new Y.Text(TEXTS.multiLine));
      doc.getMap('notes').set('dc.1.2', new Y.Text(''));
    },
    { templateId: rubric.id, templateVersion: rubric.version },
  );
}

describe('migrateDocument v1 → v2', () => {
  it('turns leveled evidence and rationale into fragments with exactly the same text', () => {
    const doc = v1Assessment();
    const before = readAssessment(doc, rubric);
    expect(before['dc.1.1']!.evidence).toBe(TEXTS.multiLine); // readers still read v1
    let origin: unknown;
    let transactions = 0;
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      origin = tr.origin;
      transactions++;
    });
    expect(migrateDocument(doc)).toEqual({ from: 1, to: 2, changed: true });
    expect([transactions, origin]).toEqual([1, MIGRATION_ORIGIN]);
    const after = reload(doc);
    const item = after.getMap('items').get('dc.1.1') as Y.Map<unknown>;
    expect(item.get('evidence')).toBeInstanceOf(Y.XmlFragment);
    expect(item.get('rationale')).toBeInstanceOf(Y.XmlFragment);
    expect(readAssessment(after, rubric)).toEqual(before);
    expect(readMeta(after)?.schemaVersion).toBe(2);
    // The decision is not text: it is not touched.
    expect(readAssessment(after, rubric)['dc.2.1']!.consensus?.value).toBe(3);
    // An editor binding to the field gets the migrated fragment, not a new empty one.
    const bound = indicatorEvidence(after, rubric, 'dc.1.1');
    expect(bound.toArray()).toHaveLength(4);
    expect(bound.toArray().map((b) => (b as Y.XmlElement).nodeName)).toEqual(
      Array(4).fill('paragraph'),
    );
  });

  it('moves the plan vision to its v2 root and turns goal statements into fragments', () => {
    const doc = v1Plan();
    expect(readPlan(doc, planTemplate).vision).toBe(TEXTS.multiLine);
    migrateDocument(doc);
    const after = reload(doc);
    const plan = readPlan(after, planTemplate);
    expect(plan.vision).toBe(TEXTS.multiLine);
    expect(after.getText('vision').toString()).toBe(''); // one place holds the vision
    expect(visionText(after).toArray()).toHaveLength(4);
    expect(plan.goals[0]!.statement).toBe(TEXTS.unicode);
    expect(goalText(after, 'g1', 'statement')).toBeInstanceOf(Y.XmlFragment);
    // A one-line title stays Y.Text.
    expect(goalText(after, 'g1', 'title')).toBeInstanceOf(Y.Text);
    expect(plan.goals[0]!.title).toBe('Coaching');
  });

  it('turns ratings notes into fragments, keeping an empty note empty', () => {
    const doc = v1Ratings();
    migrateDocument(doc);
    const after = reload(doc);
    expect(readRatingNotes(after, rubric)).toEqual({ 'dc.1.1': TEXTS.multiLine });
    const empty = after.getMap('notes').get('dc.1.2');
    expect(empty).toBeInstanceOf(Y.XmlFragment);
    expect((empty as Y.XmlFragment).length).toBe(0);
  });

  it('is idempotent: a second run writes nothing', () => {
    for (const doc of [v1Assessment(), v1Plan(), v1Ratings()]) {
      migrateDocument(doc);
      const state = Y.encodeStateVector(doc);
      expect(migrateDocument(doc)).toEqual({ from: 2, to: 2, changed: false });
      expect(Y.encodeStateVector(doc)).toEqual(state);
    }
  });

  it('leaves a v2 document, a newer one and one that is not ours untouched', () => {
    const v2 = new Y.Doc();
    createAssessment(v2, rubric);
    const newer = v1Document('assessment', () => {}, { schemaVersion: 3 });
    const stranger = new Y.Doc();
    stranger.getText('t').insert(0, 'not a Concord document');
    for (const [doc, from] of [
      [v2, 2],
      [newer, 3],
      [stranger, 0],
    ] as const) {
      const state = Y.encodeStateVector(doc);
      expect(migrateDocument(doc)).toEqual({ from, to: from, changed: false });
      expect(Y.encodeStateVector(doc)).toEqual(state);
    }
  });

  it('migrates a known kind without a version as v1', () => {
    const doc = v1Document(
      'prerequisites',
      (d) => d.getMap('items').set('pre.funding', v1Item('Grant.', '')),
      { templateId: checklist.id, templateVersion: checklist.version },
    );
    (doc.getMap('meta') as Y.Map<unknown>).delete('schemaVersion');
    expect(migrateDocument(doc)).toEqual({ from: 1, to: 2, changed: true });
    expect(readChecklist(doc, checklist)['pre.funding']!.evidence).toBe('Grant.');
  });

  it('does not throw on junk, and leaves junk it does not understand in place', () => {
    const doc = v1Document('assessment', (d) => {
      const items = d.getMap('items');
      items.set('dc.1.1', 'not a map');
      const item = new Y.Map<unknown>();
      item.set('evidence', 42);
      item.set('rationale', new Y.Array());
      items.set('dc.1.2', item);
      items.set('dc.2.1', v1Item('kept', ''));
    });
    expect(() => migrateDocument(doc)).not.toThrow();
    const items = doc.getMap('items');
    expect((items.get('dc.1.2') as Y.Map<unknown>).get('evidence')).toBe(42);
    expect(readAssessment(doc, rubric)['dc.2.1']!.evidence).toBe('kept');

    const hostileRoots = v1Document('plan', (d) => {
      d.getArray('items').push(['junk']);
      d.getMap('vision').set('x', 1);
      d.getText('goals').insert(0, 'junk');
    });
    expect(() => migrateDocument(hostileRoots)).not.toThrow();
    expect(readMeta(hostileRoots)?.schemaVersion).toBe(2);
  });

  it('an accessor on a field not migrated yet converts it with its text', () => {
    const doc = v1Ratings();
    const note = ratingNote(doc, rubric, 'dc.1.1');
    expect(note).toBeInstanceOf(Y.XmlFragment);
    expect(readRatingNotes(doc, rubric)['dc.1.1']).toBe(TEXTS.multiLine);
    const plan = v1Plan();
    visionText(plan);
    expect(readPlan(reload(plan), planTemplate).vision).toBe(TEXTS.multiLine);
  });
});
