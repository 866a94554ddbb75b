/**
 * R13 at the socket: what hand-made clients tried against a production start, each refused
 * whole with a permission-denied message naming the field, and neither applied, relayed nor
 * stored. The assessment holds a recorded consensus, evidence and a rationale; a facilitator
 * watches with a client of their own, which must receive nothing of a refused update.
 */
import {
  createAssessment,
  indicatorEvidence,
  readAssessment,
  recordConsensus,
  replaceRichText,
} from '@concord/documents';
import { maPlnDistrictConditions as rubric } from '@concord/rubric-core/templates';
import { decodeSaved } from '../src/protocol.js';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  applySyncFrames,
  createDocument,
  frameKind,
  rawClient,
  storedDoc,
  syncBarrier,
  syncUpdateFrame,
  useSyncServer,
  waitFor,
  type RawClient,
} from './support.js';
import { denials } from './document-content.js';

const fx = useSyncServer({ databaseAccess: {} });

const INDICATOR = 'dc.1.1';
const AT = '2026-11-23T10:00:00Z';
/** The facilitator's client id when the consensus was recorded: attackers go above and below. */
const AUTHOR_CLIENT = 1_000;

const users = { facilitator: '', rater: '', viewer: '' };

beforeAll(async () => {
  const { handle } = fx.db;
  for (const role of ['facilitator', 'rater', 'viewer'] as const) {
    users[role] = await fx.db.newUser();
    if (role !== 'rater') {
      await handle.sql.query(
        { name: `test_role_${role}`, text: 'update memberships set role = $2 where user_id = $1' },
        [users[role], role],
      );
    }
  }
});

/** A fresh assessment as the store holds it: laid out, evidence written, consensus recorded. */
async function assessment(): Promise<string> {
  const { handle, workspaceId } = fx.db;
  const id = await createDocument(handle, { workspaceId, kind: 'assessment' });
  const doc = new Y.Doc();
  doc.clientID = AUTHOR_CLIENT;
  createAssessment(doc, rubric);
  replaceRichText(indicatorEvidence(doc, rubric, INDICATOR), 'Board minutes, 2026-09-14');
  recordConsensus(doc, rubric, {
    indicatorId: INDICATOR,
    value: 3,
    by: users.facilitator,
    at: AT,
    rationale: 'Every school has a schedule.',
  });
  await fx.db.store.append([{ documentId: id, update: Y.encodeStateAsUpdate(doc) }]);
  return id;
}

interface Attempt {
  denied: string[];
  client: RawClient;
}

/**
 * `userId` connects with a ticket claiming everything (the role decides), receives the
 * document, makes `edit` on its copy as client `clientID`, and sends what that changed.
 */
async function attempt(
  documentId: string,
  userId: string,
  edit: (doc: Y.Doc) => void,
  clientID: number,
): Promise<Attempt> {
  const client = await rawClient(fx.server.url, documentId, fx.server.ticket(documentId, userId));
  await syncBarrier(client);
  const doc = new Y.Doc();
  doc.clientID = clientID;
  applySyncFrames(doc, client.frames);
  const before = Y.encodeStateVector(doc);
  edit(doc);
  client.send(syncUpdateFrame(Y.encodeStateAsUpdate(doc, before), 2));
  await syncBarrier(client);
  return { denied: denials(client.frames), client };
}

/** A facilitator's client watching the document: what it receives after `mark`. */
async function watch(documentId: string) {
  const client = await rawClient(
    fx.server.url,
    documentId,
    fx.server.ticket(documentId, users.facilitator),
  );
  await syncBarrier(client);
  return {
    client,
    mark: () => client.frames.length,
    /** Relayed sync updates received since `from` (after a barrier). */
    async updatesSince(from: number) {
      await syncBarrier(client);
      return client.frames.slice(from).filter((f) => {
        const k = frameKind(f);
        return k.type === 0 && k.sub === 2; // relayed updates (a barrier answers with a step 2)
      });
    },
  };
}

/** The consensus as the room and the store hold it. */
async function consensus(documentId: string) {
  await waitFor(() => fx.server.app.sync.stats().pendingWrites === 0, 'writes stored');
  const room = fx.server.app.sync.room(documentId)!.doc;
  const stored = await storedDoc(fx.db.store, documentId);
  return [room, stored].map((doc) => {
    const item = readAssessment(doc, rubric)[INDICATOR]!;
    return { consensus: item.consensus, status: item.status, evidence: item.evidence };
  });
}

const RECORDED = {
  consensus: { value: 3, by: '', at: AT },
  status: 'agreed',
  evidence: 'Board minutes, 2026-09-14',
};

/** Every case: refused with a reason matching `reason`, nothing relayed, nothing changed. */
async function expectRefused(
  edit: (doc: Y.Doc) => void,
  reason: RegExp,
  { by = users.rater, clientID = AUTHOR_CLIENT + 1 } = {},
) {
  const documentId = await assessment();
  const watcher = await watch(documentId);
  const from = watcher.mark();
  const { denied, client } = await attempt(documentId, by, edit, clientID);
  expect(denied).toHaveLength(1);
  expect(denied[0]).toMatch(reason);
  expect(client.closeInfo).toBeNull(); // the connection stays open
  expect(await watcher.updatesSince(from)).toHaveLength(0);
  const recorded = { ...RECORDED, consensus: { ...RECORDED.consensus, by: users.facilitator } };
  expect(await consensus(documentId)).toEqual([recorded, recorded]);
  client.close();
  watcher.client.close();
}

const items = (doc: Y.Doc) => doc.getMap<unknown>('items');
const item = (doc: Y.Doc) => items(doc).get(INDICATOR) as Y.Map<unknown>;

describe('R13: a recorded decision cannot be erased by any path Yjs allows', () => {
  it('a new map at items/<id> from a higher client id than the author’s (no delete set)', async () => {
    await expectRefused(
      (d) => items(d).set(INDICATOR, new Y.Map()),
      /^items\/dc\.1\.1: would replace the map there/,
      { clientID: AUTHOR_CLIENT + 1_000_000 },
    );
  });

  it('the same from a lower client id', async () => {
    await expectRefused(
      (d) => items(d).set(INDICATOR, new Y.Map()),
      /^items\/dc\.1\.1: would replace the map there/,
      { clientID: 7 },
    );
  });

  it('a plain value where the indicator’s map belongs, even by a facilitator', async () => {
    const forged = { decision: { value: 1, by: 'x', at: AT }, status: 'agreed' };
    await expectRefused((d) => items(d).set(INDICATOR, forged), /^items\/dc\.1\.1: must be a map/);
    await expectRefused((d) => items(d).set(INDICATOR, forged), /^items\/dc\.1\.1: must be a map/, {
      by: users.facilitator,
    });
  });

  it('a deleted item winning the key (set and deleted in one transaction)', async () => {
    await expectRefused(
      (d) =>
        d.transact(() => {
          items(d).set(INDICATOR, new Y.Map());
          items(d).delete(INDICATOR);
        }),
      /^items\/dc\.1\.1: cannot be removed/,
      { clientID: AUTHOR_CLIENT + 1_000_000 },
    );
  });

  it('the decision itself, replaced, shadowed or removed without decide', async () => {
    await expectRefused(
      (d) => item(d).set('decision', { value: 1, by: users.rater, at: AT }),
      /^items\/dc\.1\.1\/decision: only a facilitator or an owner/,
    );
    await expectRefused(
      (d) =>
        d.transact(() => {
          item(d).set('decision', { value: 1, by: users.rater, at: AT });
          item(d).delete('decision');
        }),
      /^items\/dc\.1\.1\/decision: only a facilitator or an owner/,
      { clientID: AUTHOR_CLIENT + 1_000_000 },
    );
    await expectRefused(
      (d) => item(d).delete('decision'),
      /^items\/dc\.1\.1\/decision: only a facilitator or an owner/,
    );
  });

  it('the evidence replaced by a new fragment, erasing what others wrote', async () => {
    await expectRefused(
      (d) => item(d).set('evidence', new Y.XmlFragment()),
      /^items\/dc\.1\.1\/evidence: would replace the rich text there/,
      { by: users.facilitator },
    );
  });

  it('lets the facilitator record a new consensus (as themselves), and nobody as someone else', async () => {
    const documentId = await assessment();
    const ok = await attempt(
      documentId,
      users.facilitator,
      (d) =>
        recordConsensus(d, rubric, {
          indicatorId: INDICATOR,
          value: 2,
          by: users.facilitator,
          at: AT,
        }),
      AUTHOR_CLIENT + 5,
    );
    expect(ok.denied).toEqual([]);
    const [room] = await consensus(documentId);
    expect(room!.consensus?.value).toBe(2);
    ok.client.close();
    await expectRefused(
      (d) =>
        recordConsensus(d, rubric, { indicatorId: INDICATOR, value: 2, by: users.rater, at: AT }),
      /^items\/dc\.1\.1\/decision: by: must be you/,
      { by: users.facilitator },
    );
  });
});

describe('R13: every string in a document is bounded; nothing unknown is stored', () => {
  const long = 'x'.repeat(25_000);

  it('25,000 characters under a key the schema does not have', async () => {
    await expectRefused((d) => {
      const text = new Y.Text();
      item(d).set('evidence2', text);
      text.insert(0, long);
    }, /^items\/dc\.1\.1\/evidence2: no such field \(the fields are status, decision, rationale, evidence\)/);
  });

  it('an embed inside the bounded evidence', async () => {
    await expectRefused((d) => {
      const paragraph = (item(d).get('evidence') as Y.XmlFragment).get(0) as Y.XmlElement;
      (paragraph.get(0) as Y.XmlText).insertEmbed(0, { blob: long });
    }, /^items\/dc\.1\.1\/evidence: text holds characters and marks only/);
  });

  it('a new root', async () => {
    await expectRefused(
      (d) => d.getText('scratch').insert(0, long),
      /^scratch: a assessment document has no such part \(it has meta, items, rounds\)/,
    );
  });

  it('a format attribute (link.href) of 25,000 characters', async () => {
    await expectRefused((d) => {
      const paragraph = (item(d).get('evidence') as Y.XmlFragment).get(0) as Y.XmlElement;
      (paragraph.get(0) as Y.XmlText).format(0, 5, { link: { href: long } });
    }, /^items\/dc\.1\.1\/evidence: the mark link's href: is 25,000 characters; the most is 2,048/);
  });

  it('meta, written when the document is created, by anyone', async () => {
    await expectRefused(
      (d) => d.getMap('meta').set('kind', 'plan'),
      /^meta: written when the document is created/,
      { by: users.facilitator },
    );
  });

  it('lets marks, links and lists the editor writes through', async () => {
    const documentId = await assessment();
    const ok = await attempt(
      documentId,
      users.rater,
      (d) => {
        const evidence = item(d).get('evidence') as Y.XmlFragment;
        const text = (evidence.get(0) as Y.XmlElement).get(0) as Y.XmlText;
        text.format(0, 5, {
          bold: {},
          link: { href: 'https://example.org/minutes', target: '_blank' },
        });
        const list = new Y.XmlElement('bulletList');
        const li = new Y.XmlElement('listItem');
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText('second source')]);
        li.insert(0, [p]);
        list.insert(0, [li]);
        evidence.insert(1, [list]);
      },
      AUTHOR_CLIENT + 9,
    );
    expect(ok.denied).toEqual([]);
    const [room] = await consensus(documentId);
    expect(room!.evidence).toBe('Board minutes, 2026-09-14\nsecond source');
    ok.client.close();
  });
});

describe('an edit that arrives before the edits it builds on', () => {
  it('is held, not refused, and applied and acknowledged once they arrive', async () => {
    const documentId = await assessment();
    // What the stock client does on reconnecting: what was typed offline goes in its answer to
    // our sync step 1, but what is typed as the socket opens goes at once, ahead of it.
    const client = await rawClient(
      fx.server.url,
      documentId,
      fx.server.ticket(documentId, users.rater),
      '&ack=1',
    );
    await syncBarrier(client);
    const doc = new Y.Doc();
    doc.clientID = AUTHOR_CLIENT + 77;
    applySyncFrames(doc, client.frames);
    const start = Y.encodeStateVector(doc);
    const paragraph = (d: Y.Doc) =>
      (item(d).get('evidence') as Y.XmlFragment).get(0) as Y.XmlElement;
    (paragraph(doc).get(0) as Y.XmlText).insert(0, 'typed offline; ');
    const offline = Y.encodeStateAsUpdate(doc, start);
    const afterOffline = Y.encodeStateVector(doc);
    (paragraph(doc).get(0) as Y.XmlText).insert(15, 'then online; ');
    const online = Y.encodeStateAsUpdate(doc, afterOffline);

    client.send(syncUpdateFrame(online, 2)); // builds on what the server does not have yet
    client.send(syncUpdateFrame(offline, 1)); // the sync step 2 with the offline edit
    await syncBarrier(client);
    expect(denials(client.frames)).toEqual([]);
    const [room] = await consensus(documentId);
    expect(room!.evidence).toBe('typed offline; then online; Board minutes, 2026-09-14');
    // Both messages acknowledged, in order, once stored.
    await waitFor(
      () => client.frames.map(decodeSaved).some((a) => a !== null && a.count >= 2),
      'both acknowledged',
    );
    client.close();
  });
});
