import { launchReadiness } from '@concord/rubric-core';
import { schoolworksPrerequisites as checklist } from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  categoryEvidence,
  clearTeamRating,
  createChecklist,
  readChecklist,
  setCategoryStatus,
  setTeamRating,
} from './checklist.js';
import { DocumentInputError } from './errors.js';
import { readDecision } from './leveled.js';
import { readMeta } from './meta.js';
import { toAssessmentRatings } from './scoring-input.js';
import { exchange, reload, twoPeers, typeInto, withHostileEdit } from './test-fixtures.js';

const AT = '2026-09-14T15:00:00Z';

describe('checklist document', () => {
  it('lays out every category of the template, undecided', () => {
    const doc = new Y.Doc();
    createChecklist(doc, checklist);
    expect(readMeta(doc)).toEqual({
      schemaVersion: 2,
      kind: 'prerequisites',
      templateId: 'schoolworks-prerequisites',
      templateVersion: checklist.version,
    });
    const snapshot = readChecklist(doc, checklist);
    expect(Object.keys(snapshot)).toHaveLength(8);
    expect(snapshot['pre.funding']).toEqual({
      status: 'not-discussed',
      teamRating: null,
      rationale: '',
      evidence: '',
    });
  });

  it('refuses to lay out a document twice (that would replace its texts)', () => {
    const doc = new Y.Doc();
    createChecklist(doc, checklist);
    typeInto(categoryEvidence(doc, checklist, 'pre.funding'), 0, 'ESSER funds end 2027');
    expect(() => createChecklist(doc, checklist)).toThrow(/already a prerequisites document/);
    expect(readChecklist(doc, checklist)['pre.funding']!.evidence).toBe('ESSER funds end 2027');
  });

  it('round-trips team ratings, status and evidence through the encoded state', () => {
    const doc = new Y.Doc();
    createChecklist(doc, checklist);
    setTeamRating(doc, checklist, { indicatorId: 'pre.funding', value: 1, by: 'u1', at: AT });
    setCategoryStatus(doc, checklist, 'pre.policy', 'in-discussion');
    typeInto(categoryEvidence(doc, checklist, 'pre.funding'), 0, 'Budget not approved.');
    const snapshot = readChecklist(reload(doc), checklist);
    expect(snapshot['pre.funding']).toMatchObject({
      status: 'agreed',
      teamRating: { value: 1, by: 'u1', at: AT },
      evidence: 'Budget not approved.',
    });
    expect(snapshot['pre.policy']!.status).toBe('in-discussion');

    clearTeamRating(doc, checklist, 'pre.funding');
    expect(readChecklist(doc, checklist)['pre.funding']).toMatchObject({
      status: 'in-discussion',
      teamRating: null,
    });
  });

  it('feeds launch readiness: a Barrier team rating blocks launch', () => {
    const doc = new Y.Doc();
    createChecklist(doc, checklist);
    for (const id of Object.keys(readChecklist(doc, checklist))) {
      setTeamRating(doc, checklist, { indicatorId: id, value: 2, by: 'u1', at: AT });
    }
    const ready = launchReadiness(
      checklist,
      toAssessmentRatings(checklist, [], readChecklist(doc, checklist)),
    );
    expect(ready.status).toBe('ready');
    setTeamRating(doc, checklist, { indicatorId: 'pre.funding', value: 1, by: 'u1', at: AT });
    const blocked = launchReadiness(
      checklist,
      toAssessmentRatings(checklist, [], readChecklist(doc, checklist)),
    );
    expect(blocked.status).toBe('blocked');
    expect(blocked.blockers.map((b) => b.indicatorId)).toEqual(['pre.funding']);
  });

  it('refuses a level that is not on the scale or an unknown category, changing nothing', () => {
    const doc = new Y.Doc();
    createChecklist(doc, checklist);
    const before = Y.encodeStateVector(doc);
    expect(() =>
      setTeamRating(doc, checklist, { indicatorId: 'pre.funding', value: 4, by: 'u1', at: AT }),
    ).toThrow(DocumentInputError);
    expect(() =>
      setTeamRating(doc, checklist, { indicatorId: 'pre.nope', value: 1, by: 'u1', at: AT }),
    ).toThrow(/not an indicator of schoolworks-prerequisites/);
    expect(() =>
      setTeamRating(doc, checklist, {
        indicatorId: 'pre.funding',
        value: 1,
        by: 'u1',
        at: 'yesterday',
      }),
    ).toThrow(/at: must be an ISO 8601 timestamp/);
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('merges concurrent evidence character by character; one team rating wins on both sides', () => {
    const [a, b] = twoPeers((doc) => {
      createChecklist(doc, checklist);
      typeInto(categoryEvidence(doc, checklist, 'pre.funding'), 0, 'Grant.');
    });
    typeInto(categoryEvidence(a, checklist, 'pre.funding'), 0, 'State ');
    typeInto(categoryEvidence(b, checklist, 'pre.funding'), 6, ' Renewal due May.');
    setTeamRating(a, checklist, { indicatorId: 'pre.funding', value: 1, by: 'ua', at: AT });
    setTeamRating(b, checklist, { indicatorId: 'pre.funding', value: 3, by: 'ub', at: AT });
    exchange(a, b);
    const fromA = readChecklist(a, checklist)['pre.funding']!;
    expect(fromA.evidence).toBe('State Grant. Renewal due May.');
    expect([1, 3]).toContain(fromA.teamRating!.value);
    expect(readChecklist(b, checklist)).toEqual(readChecklist(a, checklist));
  });

  it("reads one item's stored decision as the readers do (for a view of one item)", () => {
    const doc = new Y.Doc();
    createChecklist(doc, checklist);
    setTeamRating(doc, checklist, { indicatorId: 'pre.funding', value: 1, by: 'u1', at: AT });
    const entry = { scale: checklist.scale };
    const item = doc.getMap<unknown>('items').get('pre.funding') as Y.Map<unknown>;
    expect(readDecision(item.get('decision'), entry)).toEqual({ value: 1, by: 'u1', at: AT });
    expect(readDecision(undefined, entry)).toBeNull();
    expect(readDecision({ value: 7, by: 'u1', at: AT }, entry)).toBeNull();
    expect(readDecision({ value: 1, by: ' ', at: AT }, entry)).toBeNull();
    expect(readDecision({ value: 1, by: 'u1', at: 'yesterday' }, entry)).toBeNull();
    expect(readDecision('Asset!', entry)).toBeNull();
  });

  it('reads junk from a hostile client as absent, without throwing', () => {
    const base = new Y.Doc();
    createChecklist(base, checklist);
    const doc = withHostileEdit(base, (h) => {
      const items = h.getMap<unknown>('items');
      items.set('pre.funding', 42);
      (items.get('pre.policy') as Y.Map<unknown>).set('decision', { value: 7, by: 'x', at: AT });
      (items.get('pre.policy') as Y.Map<unknown>).set('status', 'agreed');
      (items.get('pre.research') as Y.Map<unknown>).set('decision', 'Asset!');
      (items.get('pre.research') as Y.Map<unknown>).set('status', { evil: true });
      (items.get('pre.research') as Y.Map<unknown>).set('evidence', 12);
      items.set('pre.extra', new Y.Map());
    });
    const snapshot = readChecklist(doc, checklist);
    expect(Object.keys(snapshot)).toHaveLength(8);
    expect(snapshot['pre.funding']).toEqual({
      status: 'not-discussed',
      teamRating: null,
      rationale: '',
      evidence: '',
    });
    // "agreed" without a readable decision is still under discussion.
    expect(snapshot['pre.policy']).toMatchObject({ status: 'in-discussion', teamRating: null });
    expect(snapshot['pre.research']).toMatchObject({
      status: 'not-discussed',
      teamRating: null,
      evidence: '',
    });
  });
});
