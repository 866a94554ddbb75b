import { maPlnDistrictConditions as rubric } from '@concord/rubric-core/templates';
import { schoolworksPrerequisites } from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  clearConsensus,
  consensusRationale,
  createAssessment,
  indicatorEvidence,
  readAssessment,
  recordConsensus,
  setIndicatorStatus,
} from './assessment.js';
import { DocumentInputError } from './errors.js';
import { exchange, reload, twoPeers, typeInto, withHostileEdit } from './test-fixtures.js';

const AT = '2026-10-01T18:30:00Z';

describe('assessment document', () => {
  it('lays out every active indicator, including the autonomy checklist section', () => {
    const doc = new Y.Doc();
    createAssessment(doc, rubric);
    const snapshot = readAssessment(doc, rubric);
    expect(Object.keys(snapshot)).toHaveLength(28 + 6);
    expect(snapshot['dc.1.1']).toEqual({
      status: 'not-discussed',
      consensus: null,
      rationale: '',
      evidence: '',
    });
  });

  it('refuses a checklist template', () => {
    expect(() => createAssessment(new Y.Doc(), schoolworksPrerequisites as never)).toThrow(
      /is not a rubric/,
    );
  });

  it('records consensus with its rationale in one transaction and round-trips it', () => {
    const doc = new Y.Doc();
    createAssessment(doc, rubric);
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    recordConsensus(doc, rubric, {
      indicatorId: 'dc.1.2',
      value: 3,
      by: 'fac',
      at: AT,
      rationale: 'Cabinet meets monthly on PL.',
    });
    expect(transactions).toBe(1);
    typeInto(indicatorEvidence(doc, rubric, 'dc.1.2'), 0, 'Minutes, Sept.');
    setIndicatorStatus(doc, rubric, 'dc.2.1', 'in-discussion');
    const snapshot = readAssessment(reload(doc), rubric);
    expect(snapshot['dc.1.2']).toEqual({
      status: 'agreed',
      consensus: { value: 3, by: 'fac', at: AT },
      rationale: 'Cabinet meets monthly on PL.',
      evidence: 'Minutes, Sept.',
    });
    expect(snapshot['dc.2.1']!.status).toBe('in-discussion');
    clearConsensus(doc, rubric, 'dc.1.2');
    expect(readAssessment(doc, rubric)['dc.1.2']).toMatchObject({
      status: 'in-discussion',
      consensus: null,
      rationale: 'Cabinet meets monthly on PL.',
    });
  });

  it('checks the level against the indicator’s own scale (autonomy is 0/1)', () => {
    const doc = new Y.Doc();
    createAssessment(doc, rubric);
    const at = { by: 'fac', at: AT };
    recordConsensus(doc, rubric, { indicatorId: 'dc.autonomy.1', value: 1, ...at });
    expect(() =>
      recordConsensus(doc, rubric, { indicatorId: 'dc.autonomy.2', value: 3, ...at }),
    ).toThrow(DocumentInputError);
    expect(() => recordConsensus(doc, rubric, { indicatorId: 'dc.1.1', value: 0, ...at })).toThrow(
      /choose one of the scale's levels \(1 Area of Concern/,
    );
    expect(() => setIndicatorStatus(doc, rubric, 'dc.1.1', 'done' as never)).toThrow(
      /status: must be one of not-discussed, in-discussion, agreed/,
    );
  });

  it('merges concurrent rationale typing character by character', () => {
    const [a, b] = twoPeers((doc) => {
      createAssessment(doc, rubric);
      typeInto(consensusRationale(doc, rubric, 'dc.3.1'), 0, 'Gap data shared.');
    });
    typeInto(consensusRationale(a, rubric, 'dc.3.1'), 0, 'Yes: ');
    typeInto(consensusRationale(b, rubric, 'dc.3.1'), 16, ' Not yet by subgroup.');
    exchange(a, b);
    expect(readAssessment(a, rubric)['dc.3.1']!.rationale).toBe(
      'Yes: Gap data shared. Not yet by subgroup.',
    );
    expect(readAssessment(b, rubric)).toEqual(readAssessment(a, rubric));
  });

  it('reads a hostile client’s junk as absent', () => {
    const base = new Y.Doc();
    createAssessment(base, rubric);
    const doc = withHostileEdit(base, (h) => {
      const item = h.getMap<Y.Map<unknown>>('items').get('dc.1.1')!;
      item.set('decision', { value: 3, by: '', at: AT });
      item.set('rationale', new Y.Map());
      h.getMap<unknown>('items').set('dc.1.2', new Y.Text('not a map'));
      h.getMap('meta').set('kind', 'nonsense');
    });
    const snapshot = readAssessment(doc, rubric);
    expect(snapshot['dc.1.1']).toMatchObject({ consensus: null, rationale: '' });
    expect(snapshot['dc.1.2']).toEqual({
      status: 'not-discussed',
      consensus: null,
      rationale: '',
      evidence: '',
    });
    // A writer repairs the item rather than failing on it.
    recordConsensus(doc, rubric, { indicatorId: 'dc.1.2', value: 2, by: 'fac', at: AT });
    expect(readAssessment(doc, rubric)['dc.1.2']!.consensus?.value).toBe(2);
  });
});
