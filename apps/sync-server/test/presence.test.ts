/**
 * R14 at the socket: presence is each person's own. A connection's awareness entries for a client
 * id another person announced are dropped (no replacing their presence in everyone's view, nor
 * in their own client), and the user fields everyone sees ({ id, name, color }) come from the
 * ticket, whatever the client published.
 */
import { presenceColor } from '@concord/auth/presence';
import * as encoding from 'lib0/encoding';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueTicket } from '@concord/sync-protocol/ticket';
import {
  ALL,
  rawClient,
  SECRET,
  stockClient,
  syncBarrier,
  useSyncServer,
  waitFor,
  type StockClient,
} from './support.js';

const fx = useSyncServer({ databaseAccess: {} });

const users = { victim: '', viewer: '' };

beforeAll(async () => {
  users.victim = await fx.db.newUser();
  users.viewer = await fx.db.newUser();
  await fx.db.handle.sql.query(
    {
      name: 'test_viewer_role_r14',
      text: `update memberships set role = 'viewer' where user_id = $1`,
    },
    [users.viewer],
  );
});

const ticket = (documentId: string, userId: string, name: string) =>
  issueTicket({ secret: SECRET, userId, documentId, capabilities: ALL, name });

/** An awareness message (type 1) holding the given entries. */
function awarenessFrame(
  entries: { clientId: number; clock: number; state: unknown }[],
): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(update, clientId);
    encoding.writeVarUint(update, clock);
    encoding.writeVarString(update, JSON.stringify(state));
  }
  const frame = encoding.createEncoder();
  encoding.writeVarUint(frame, 1);
  encoding.writeVarUint8Array(frame, encoding.toUint8Array(update));
  return encoding.toUint8Array(frame);
}

type State = { user?: { id?: string; name?: string; color?: string }; item?: unknown };
const stateOf = (client: StockClient, clientId: number) =>
  client.provider.awareness.getStates().get(clientId) as State | undefined;

describe('R14: presence', () => {
  it('writes the user fields from the ticket, and refuses entries for another person’s client id', async () => {
    const documentId = await fx.db.newDocument();
    const victim = stockClient(
      fx.server.url,
      documentId,
      ticket(documentId, users.victim, 'Ana Reyes'),
    );
    const observer = stockClient(
      fx.server.url,
      documentId,
      ticket(documentId, fx.db.userId, 'Olu Owner'),
    );
    fx.clients.push(victim, observer);
    await Promise.all([victim.synced(), observer.synced()]);
    // The victim's client publishes a name of its own choosing: others see the ticket's.
    victim.provider.awareness.setLocalState({
      user: { id: users.victim, name: 'Typed by the client', color: '#000000' },
      item: 'goal-1',
    });
    const victimId = victim.doc.clientID;
    await waitFor(() => stateOf(observer, victimId)?.item === 'goal-1', 'the victim’s presence');
    expect(stateOf(observer, victimId)!.user).toEqual({
      id: users.victim,
      name: 'Ana Reyes',
      color: presenceColor(users.victim),
    });

    const attacker = await rawClient(
      fx.server.url,
      documentId,
      ticket(documentId, users.viewer, 'Vic Viewer'),
    );
    await syncBarrier(attacker);
    const held = victim.provider.awareness.meta.get(victimId)!.clock;
    // 1. A second presence under the victim's name: published, but as the viewer.
    // 2. The victim's own client id with a higher clock: refused.
    attacker.send(
      awarenessFrame([
        {
          clientId: 4242,
          clock: 1,
          state: { user: { id: users.victim, name: 'Ana Reyes', color: '#111111' }, item: 'x' },
        },
        {
          clientId: victimId,
          clock: held + 10,
          state: { user: { id: users.viewer, name: 'Ana Reyes' }, item: 'forged' },
        },
      ]),
    );
    await syncBarrier(attacker);
    await waitFor(() => stateOf(observer, 4242) !== undefined, 'the second presence');
    expect(stateOf(observer, 4242)!.user).toEqual({
      id: users.viewer,
      name: 'Vic Viewer',
      color: presenceColor(users.viewer),
    });
    // Nobody saw the forged state: not the observer, not the victim's own client.
    await syncBarrier(attacker);
    expect(stateOf(observer, victimId)?.item).toBe('goal-1');
    expect(victim.provider.awareness.getLocalState()?.item).toBe('goal-1');
    expect(fx.server.app.sync.room(documentId)!.awareness.getStates().get(victimId)).toMatchObject({
      item: 'goal-1',
      user: { id: users.victim, name: 'Ana Reyes' },
    });
    // Removing it (a null state) is refused too.
    attacker.send(awarenessFrame([{ clientId: victimId, clock: held + 11, state: null }]));
    await syncBarrier(attacker);
    expect(fx.server.app.sync.room(documentId)!.awareness.getStates().has(victimId)).toBe(true);
    expect(
      fx.server.logs.some(
        (l) => l.msg === 'presence refused: another person’s client id, or not a state',
      ),
    ).toBe(true);
    attacker.close();
  });
});
