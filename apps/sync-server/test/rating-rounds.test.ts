/**
 * Rating rounds on the real server with hand-made and stock clients: a facilitator opens a round
 * with a round command, raters' progress (counts only) follows their ratings, a reveal writes a
 * frozen snapshot into the assessment that every participant receives through the sync they
 * already have, and the raters' revealed ratings cannot change afterwards. Nobody else may run a
 * round or write its state, and an anonymised round names raters by letter only.
 */
import { latestRound, readRounds, sectionItems, type RoundState } from '@concord/documents';
import { roundRaters } from '@concord/db/rounds';
import { outline } from '@concord/rubric-core';
import { maPlnDistrictConditions as rubric } from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  changeAccess,
  createDocument,
  frameKind,
  useSyncServer,
  waitFor,
  type StockClient,
} from './support.js';
import { command, roundCast } from './round-cast.js';

const fx = useSyncServer({
  databaseAccess: {},
  app: (db) => ({ rounds: { sql: db.handle.sql, options: { progressDelayMs: 10 } } }),
});

const sections = [...new Set(outline(rubric).entries.map((e) => e.section.id))];
const [s1, s2] = [sections[0]!, sections[1]!];
const items1 = sectionItems(rubric, [s1]).get(s1)!;
const items2 = sectionItems(rubric, [s2]).get(s2)!;
const levels = outline(rubric).entries[0]!.scale.levels.map((l) => l.value);

function round(client: StockClient): RoundState | null {
  return latestRound(client.doc);
}

function latestRoundsOf(client: StockClient): RoundState[] {
  return readRounds(client.doc);
}

function denials(client: StockClient): string[] {
  return client.received
    .filter((f) => frameKind(f).type === 2)
    .map((f) => new TextDecoder().decode(f.slice(3)));
}

const setup = () => roundCast(fx);

describe('rating rounds', () => {
  it('opens a round, follows progress by counts, reveals a frozen snapshot to everyone', async () => {
    const t = await setup();
    const anaOwn = t.client(t.anaRatings, t.ana, 11);
    const benOwn = t.client(t.benRatings, t.ben, 12);
    const benShared = t.client(t.assessment, t.ben, 13);
    const facShared = t.client(t.assessment, t.facilitator, 14);
    await Promise.all([anaOwn, benOwn, benShared, facShared].map((c) => c.synced()));

    // Ana rates two items of the first section before the round opens.
    anaOwn.doc.transact(() => {
      anaOwn.doc.getMap('ratings').set(items1[0]!, levels[0]!);
      anaOwn.doc.getMap('ratings').set(items1[1]!, levels[2]!);
    });

    const fac = await t.commander(t.facilitator);
    const opened = await command(fac, {
      op: 'open',
      sections: [s1, s2],
      anonymised: false,
      deadline: '2026-12-10',
    });
    expect(opened).toEqual({ id: expect.any(String), ok: true });

    // Everyone sees the round; Ana's earlier ratings count already.
    await waitFor(() => round(benShared)?.progress[t.ana]?.[s1] === 2, 'Ana’s progress');
    expect(round(benShared)).toMatchObject({
      number: 1,
      sections: [s1, s2],
      anonymised: false,
      deadline: '2026-12-10',
      closed: null,
      revealed: {},
    });
    expect(Object.keys(round(benShared)!.raters).sort()).toEqual([t.ana, t.ben].sort());

    // Ben rates after the round opened: his counts follow, never his values.
    benOwn.doc.transact(() => {
      benOwn.doc.getMap('ratings').set(items1[0]!, levels[3]!);
      benOwn.doc.getMap('ratings').set(items2[0]!, levels[1]!);
    });
    await waitFor(() => round(facShared)?.progress[t.ben]?.[s2] === 1, 'Ben’s progress');
    expect(round(facShared)!.progress[t.ben]).toEqual({ [s1]: 1, [s2]: 1 });
    // A nudge names a rater of the round; anyone else is refused.
    expect(await command(fac, { op: 'nudge', rater: t.ben })).toMatchObject({ ok: true });
    expect(await command(fac, { op: 'nudge', rater: 'someone' })).toMatchObject({
      ok: false,
      error: 'rater: someone is not a rater of round 1',
    });
    await waitFor(() => round(benShared)?.nudges[t.ben]?.by === t.facilitator, 'the nudge');
    // The discussion timer: started at the server's time, by decide only, on a real item.
    expect(await command(fac, { op: 'timer', item: items1[0], seconds: 300 })).toMatchObject({
      ok: true,
    });
    await waitFor(() => round(benShared)?.timer?.item === items1[0], 'the timer');
    expect(round(benShared)!.timer).toMatchObject({ seconds: 300, by: t.facilitator });
    expect(Number.isNaN(Date.parse(round(benShared)!.timer!.startedAt))).toBe(false);
    expect(await command(fac, { op: 'timer', item: 'nope', seconds: 300 })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^item: nope is not an item/),
    });
    expect(await command(fac, { op: 'timer', item: items1[0], seconds: 5 })).toMatchObject({
      ok: false,
      error: 'seconds: at least 10 seconds',
    });
    expect(await command(fac, { op: 'timer', item: null, seconds: 300 })).toMatchObject({
      ok: true,
    });
    await waitFor(() => round(benShared)?.timer === null, 'the stopped timer');
    // Before reveal the shared document holds counts only: no rater's level anywhere in it.
    const beforeReveal = JSON.stringify(benShared.doc.getMap('rounds').toJSON());
    expect(beforeReveal).not.toContain('"revealed":{"');
    expect(round(benShared)!.revealed).toEqual({});

    // Reveal the first section: the snapshot reaches both shared copies.
    expect(await command(fac, { op: 'reveal', sections: [s1] })).toMatchObject({ ok: true });
    await waitFor(() => s1 in (round(benShared)?.revealed ?? {}), 'the reveal in Ben’s page');
    const revealed = round(benShared)!.revealed[s1]!;
    expect(revealed.by).toBe(t.facilitator);
    expect(revealed.ratings[items1[0]!]).toEqual({ [t.ana]: levels[0], [t.ben]: levels[3] });
    expect(revealed.ratings[items1[1]!]).toEqual({ [t.ana]: levels[2], [t.ben]: null });
    expect(Object.keys(revealed.ratings)).toEqual(items1);
    expect(round(facShared)!.revealed[s1]).toEqual(revealed);
    expect(round(benShared)!.revealed[s2]).toBeUndefined();

    // Ana's revealed ratings are frozen: a change is refused, nothing stored; s2 still rates.
    await waitFor(() => anaOwn.doc.getMap('frozen').has(items1[0]!), 'the freeze in Ana’s copy');
    anaOwn.doc.getMap('ratings').set(items1[0]!, levels[3]!);
    await waitFor(
      () => denials(anaOwn).some((d) => d.includes('revealed to the team')),
      'the refusal of a revealed rating',
    );
    // Yjs applies a client's edits in order: after a refusal that copy's later edits wait for
    // the refused one, so the page prevents it (revealed ratings are disabled). A fresh copy rates
    // the unrevealed section.
    anaOwn.destroy();
    const anaAgain = t.client(t.anaRatings, t.ana, 15);
    await anaAgain.synced();
    expect(anaAgain.doc.getMap('ratings').get(items1[0]!)).toBe(levels[0]);
    anaAgain.doc.getMap('ratings').set(items2[0]!, levels[1]!);
    await waitFor(() => round(facShared)?.progress[t.ana]?.[s2] === 1, 'Ana’s s2 progress');
    expect(round(facShared)!.revealed[s1]!.ratings[items1[0]!]![t.ana]).toBe(levels[0]);

    // The audit log names the reveal.
    const audit = await fx.db.handle.sql.query<{ action: string; actor_id: string; data: unknown }>(
      {
        name: 'test_round_audit',
        text: `select action, actor_id::text as actor_id, data from audit_log where target = $1 order by id`,
      },
      [`document:${t.assessment}`],
    );
    expect(audit.map((a) => [a.action, a.actor_id, a.data])).toEqual([
      ['ratings.reveal', t.facilitator, { round: 'r1', sections: [s1] }],
    ]);

    // Reveal the rest, close; another round can open.
    expect(await command(fac, { op: 'reveal', sections: 'all' })).toMatchObject({ ok: true });
    expect(await command(fac, { op: 'reveal', sections: 'all' })).toMatchObject({
      ok: false,
      error: 'those sections are revealed already',
    });
    expect(await command(fac, { op: 'close' })).toMatchObject({ ok: true });
    await waitFor(() => round(benShared)?.closed !== null, 'the close');
    fac.close();
  });

  it('lets only decide run a round, and no client write round state or freeze marks', async () => {
    const t = await setup();
    const rater = await t.commander(t.ana);
    expect(
      await command(rater, { op: 'open', sections: [s1], anonymised: false, deadline: null }),
    ).toMatchObject({ ok: false, error: 'only a facilitator or an owner may run a round' });

    // A facilitator's client writing a forged reveal straight into the document is refused.
    const fac = t.client(t.assessment, t.facilitator, 21);
    await fac.synced();
    fac.doc.getMap('rounds').set('r1', new Y.Map());
    await waitFor(() => denials(fac).length > 0, 'the refusal');
    expect(denials(fac)[0]).toContain('rounds: kept by the server');
    // A rater unfreezing their own ratings: refused the same way.
    const own = t.client(t.anaRatings, t.ana, 22);
    await own.synced();
    own.doc.getMap('frozen').set(items1[0]!, 'r1');
    await waitFor(() => denials(own).length > 0, 'the refusal');
    expect(denials(own)[0]).toContain('frozen: kept by the server');
    rater.close();
  });

  it('answers bad commands with the field and the reason, changing nothing', async () => {
    const t = await setup();
    const fac = await t.commander(t.facilitator);
    expect(
      await command(fac, { op: 'open', sections: ['nope'], anonymised: false, deadline: null }),
    ).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^sections: nope is not a section/),
    });
    expect(
      await command(fac, { op: 'open', sections: [], anonymised: false, deadline: null }),
    ).toMatchObject({ ok: false, error: 'sections: choose at least one section' });
    expect(
      await command(fac, { op: 'open', sections: [s1], anonymised: false, deadline: 'friday' }),
    ).toMatchObject({ ok: false, error: expect.stringMatching(/^deadline: must be a date/) });
    expect(await command(fac, { op: 'reveal', sections: 'all' })).toMatchObject({
      ok: false,
      error: 'no round is open',
    });
    expect(await command(fac, { op: 'dance' })).toMatchObject({ ok: false });
    // Nothing was written.
    const watcher = t.client(t.assessment, t.facilitator, 31);
    await watcher.synced();
    expect(latestRound(watcher.doc)).toBeNull();
    fac.close();
  });

  it('names raters by letter in an anonymised round; only round_raters says who is who', async () => {
    const t = await setup();
    const fac = await t.commander(t.facilitator);
    const anaOwn = t.client(t.anaRatings, t.ana, 41);
    await anaOwn.synced();
    anaOwn.doc.getMap('ratings').set(items1[0]!, levels[1]!);
    expect(
      await command(fac, { op: 'open', sections: [s1], anonymised: true, deadline: null }),
    ).toMatchObject({ ok: true });
    const keys = await roundRaters(fx.db.handle.sql, t.assessment, 'r1');
    expect(keys.map((k) => k.raterKey).sort()).toEqual(['A', 'B']);
    const anaKey = keys.find((k) => k.userId === t.ana)!.raterKey;
    const shared = t.client(t.assessment, t.ben, 42);
    await waitFor(() => round(shared)?.progress[anaKey]?.[s1] === 1, 'Ana’s progress by letter');
    expect(round(shared)!.raters).toEqual({ A: 'Rater A', B: 'Rater B' });
    expect(await command(fac, { op: 'reveal', sections: 'all' })).toMatchObject({ ok: true });
    await waitFor(() => s1 in (round(shared)?.revealed ?? {}), 'the reveal');
    expect(round(shared)!.revealed[s1]!.ratings[items1[0]!]![anaKey]).toBe(levels[1]);
    // No user id in the shared document's round state.
    const json = JSON.stringify(shared.doc.getMap('rounds').toJSON());
    expect(json).not.toContain(t.ana);
    expect(json).not.toContain(t.ben);

    // A second round over the same section releases the freeze so raters can re-rate.
    expect(await command(fac, { op: 'close' })).toMatchObject({ ok: true });
    expect(
      await command(fac, { op: 'open', sections: [s1], anonymised: true, deadline: null }),
    ).toMatchObject({ ok: true });
    await waitFor(() => !anaOwn.doc.getMap('frozen').has(items1[0]!), 'the release');
    anaOwn.doc.getMap('ratings').set(items1[0]!, levels[2]!);
    await waitFor(() => round(shared)?.number === 2, 'round 2');
    expect(denials(anaOwn)).toEqual([]);
    fac.close();
  });

  it('runs a second round on chosen items: only they are released, counted and revealed; letters are kept', async () => {
    const t = await setup();
    const fac = await t.commander(t.facilitator);
    const anaOwn = t.client(t.anaRatings, t.ana, 61);
    const benOwn = t.client(t.benRatings, t.ben, 62);
    const shared = t.client(t.assessment, t.facilitator, 63);
    await Promise.all([anaOwn, benOwn, shared].map((c) => c.synced()));
    const [x, y] = [items1[0]!, items1[1]!];
    anaOwn.doc.transact(() => {
      anaOwn.doc.getMap('ratings').set(x, levels[0]!);
      anaOwn.doc.getMap('ratings').set(y, levels[1]!);
    });
    benOwn.doc.transact(() => {
      benOwn.doc.getMap('ratings').set(x, levels[3]!);
      benOwn.doc.getMap('ratings').set(y, levels[1]!);
    });
    expect(
      await command(fac, { op: 'open', sections: [s1], anonymised: true, deadline: null }),
    ).toMatchObject({ ok: true });
    await waitFor(() => round(shared)?.progress['A']?.[s1] === 2, 'round 1 progress');
    await waitFor(() => round(shared)?.progress['B']?.[s1] === 2, 'round 1 progress');
    expect(await command(fac, { op: 'reveal', sections: 'all' })).toMatchObject({ ok: true });
    expect(await command(fac, { op: 'close' })).toMatchObject({ ok: true });
    const first = await roundRaters(fx.db.handle.sql, t.assessment, 'r1');

    // An item outside the sections chosen is refused, naming the field.
    expect(
      await command(fac, {
        op: 'open',
        sections: [s1],
        items: [items2[0]!],
        anonymised: true,
        deadline: null,
      }),
    ).toMatchObject({ ok: false, error: expect.stringMatching(/^items: .* is not an item/) });
    // Round 2 on the item in disagreement only.
    expect(
      await command(fac, {
        op: 'open',
        sections: [s1],
        items: [x],
        anonymised: true,
        deadline: null,
      }),
    ).toMatchObject({ ok: true });
    await waitFor(() => round(shared)?.number === 2, 'round 2');
    expect(round(shared)!.items).toEqual([x]);
    // Each rater keeps their letter.
    const second = await roundRaters(fx.db.handle.sql, t.assessment, 'r2');
    for (const r of first) {
      expect(second.find((k) => k.userId === r.userId)?.raterKey).toBe(r.raterKey);
    }
    // Only the chosen item is released, and cleared to be rated again; the other stays fixed.
    await waitFor(() => !anaOwn.doc.getMap('frozen').has(x), 'the release');
    expect(anaOwn.doc.getMap('frozen').get(y)).toBe('r1');
    await waitFor(() => anaOwn.doc.getMap('ratings').get(x) === null, 'the clearing');
    expect(anaOwn.doc.getMap('ratings').get(y)).toBe(levels[1]);
    // Progress counts the chosen item only, and only once rated in this round.
    const anaKey = first.find((k) => k.userId === t.ana)!.raterKey;
    expect(round(shared)!.progress[anaKey]).toEqual({ [s1]: 0 });
    anaOwn.doc.getMap('ratings').set(x, levels[2]!);
    await waitFor(() => round(shared)?.progress[anaKey]?.[s1] === 1, 'round 2 progress');
    expect(await command(fac, { op: 'reveal', sections: 'all' })).toMatchObject({ ok: true });
    await waitFor(() => s1 in (round(shared)?.revealed ?? {}), 'the second reveal');
    const snapshot = round(shared)!.revealed[s1]!.ratings;
    expect(Object.keys(snapshot)).toEqual([x]);
    expect(snapshot[x]![anaKey]).toBe(levels[2]);
    // Ben did not rate it again: not rated in round 2 (his round 1 level stays in round 1).
    const benKey = first.find((k) => k.userId === t.ben)!.raterKey;
    expect(snapshot[x]![benKey]).toBeNull();
    // Round 1's snapshot is kept as it was.
    const r1 = latestRoundsOf(shared)[0]!;
    expect(r1.revealed[s1]!.ratings[x]![anaKey]).toBe(levels[0]);
    fac.close();
  });

  it('never gives a departed rater’s letter to a new one in a later anonymised round', async () => {
    const t = await setup();
    const fac = await t.commander(t.facilitator);
    expect(
      await command(fac, { op: 'open', sections: [s1], anonymised: true, deadline: null }),
    ).toMatchObject({ ok: true });
    expect(await command(fac, { op: 'close' })).toMatchObject({ ok: true });
    const first = await roundRaters(fx.db.handle.sql, t.assessment, 'r1');
    // Ben stops rating; Cara starts.
    await changeAccess(fx.db.handle, t.space.workspaceId, 'membership.role-change', {
      userId: t.ben,
      role: 'viewer',
    });
    const cara = await t.space.newUser();
    expect(
      await command(fac, { op: 'open', sections: [s1], anonymised: true, deadline: null }),
    ).toMatchObject({ ok: true });
    const second = await roundRaters(fx.db.handle.sql, t.assessment, 'r2');
    const letterOf = (list: typeof first, user: string) =>
      list.find((k) => k.userId === user)?.raterKey;
    expect(letterOf(second, t.ana)).toBe(letterOf(first, t.ana));
    expect(letterOf(second, t.ben)).toBeUndefined();
    expect(letterOf(second, cara)).toBeDefined();
    expect(first.map((k) => k.raterKey)).not.toContain(letterOf(second, cara));
    fac.close();
  });

  it('counts a rater who joins after the round opened', async () => {
    const t = await setup();
    const fac = await t.commander(t.facilitator);
    expect(
      await command(fac, { op: 'open', sections: [s1], anonymised: false, deadline: null }),
    ).toMatchObject({ ok: true });
    const cara = await t.space.newUser();
    const caraRatings = await createDocument(fx.db.handle, {
      workspaceId: t.space.workspaceId,
      kind: 'ratings',
      parentId: t.assessment,
      ownerId: cara,
    });
    const own = t.client(caraRatings, cara, 51);
    await own.synced();
    own.doc.getMap('ratings').set(items1[0]!, levels[0]!);
    const shared = t.client(t.assessment, t.facilitator, 52);
    await waitFor(() => round(shared)?.progress[cara]?.[s1] === 1, 'Cara’s progress');
    expect(round(shared)!.raters[cara]).toMatch(/^Sync \d+$/);
    fac.close();
  });
});
