/**
 * Presence a client may publish: only its own, under its own name. An awareness update is a list
 * of (client id, clock, state) entries, and y-protocols applies whatever it is given, so without
 * this a client could publish a second presence with another member's name, or take over another
 * member's client id with a higher clock and replace their presence in everyone's view (their
 * own client then adopts the forged state too).
 *
 * The rules, per entry:
 * - a client id belongs to the person whose connection first announced it, until that
 *   connection closes; another person's entries for it are dropped (the stock client also
 *   re-sends others' states it received, with their clocks: those are dropped the same way, or
 *   earlier as stale). The same person may announce it from a new connection (a reconnect);
 * - an id the room holds a state for from another instance (Redis fan-out) belongs to the
 *   person that state names (the other instance wrote it, by these rules);
 * - a state's `user` ({ id, name, color }) is written by the server from the connection's
 *   ticket, whatever the client put there; a state that is not an object is dropped (null, the
 *   removal, passes).
 *
 * Pure but for the ownership map the room owns and passes in.
 */
import { presenceUser } from '@concord/auth/presence';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** Who announced a client id: the person, and the connection (to move it on a reconnect). */
export interface PresenceOwner<C> {
  userId: string;
  conn: C;
}

export interface PresenceSender<C> {
  readonly userId: string;
  /** Display name from the ticket; absent on tickets that carry none. */
  readonly name: string | undefined;
  readonly conn: C;
}

/** Name shown for a person whose ticket carries none. */
export const UNNAMED = 'Member';

export interface GuardedAwareness<C> {
  /** The update to apply (re-encoded), or null when no entry is left. */
  update: Uint8Array | null;
  /** Entries dropped as someone else's. */
  refused: number[];
  /** Client ids newly bound to the sender (or moved to this connection of theirs). */
  bound: { clientId: number; from: C | null }[];
}

/**
 * The entries of `update` that `sender` may publish, with `user` written from the ticket.
 * `owners` is the room's map of client id → owner; `heldUser(id)` the user id named by a state
 * the room holds for `id` with no local owner (from another instance), if any.
 */
export function guardAwareness<C>(
  update: Uint8Array,
  sender: PresenceSender<C>,
  owners: ReadonlyMap<number, PresenceOwner<C>>,
  heldUser: (clientId: number) => string | null | undefined,
): GuardedAwareness<C> {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const kept: { clientId: number; clock: number; state: string }[] = [];
  const refused: number[] = [];
  const bound: GuardedAwareness<C>['bound'] = [];
  const user = presenceUser(sender.userId, sender.name ?? UNNAMED);
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    const owner = owners.get(clientId);
    if (owner) {
      if (owner.userId !== sender.userId) {
        refused.push(clientId);
        continue;
      }
      if (owner.conn !== sender.conn) bound.push({ clientId, from: owner.conn });
    } else {
      const held = heldUser(clientId);
      if (held !== undefined && held !== sender.userId) {
        refused.push(clientId);
        continue;
      }
      bound.push({ clientId, from: null });
    }
    let state: unknown;
    try {
      state = JSON.parse(json);
    } catch {
      refused.push(clientId);
      continue;
    }
    if (state === null) {
      kept.push({ clientId, clock, state: json });
      continue;
    }
    if (typeof state !== 'object' || Array.isArray(state)) {
      refused.push(clientId);
      continue;
    }
    kept.push({
      clientId,
      clock,
      state: JSON.stringify({ ...(state as Record<string, unknown>), user }),
    });
  }
  if (kept.length === 0) return { update: null, refused, bound: [] };
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, kept.length);
  for (const entry of kept) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.state);
  }
  const keptIds = new Set(kept.map((e) => e.clientId));
  return {
    update: encoding.toUint8Array(encoder),
    refused,
    bound: bound.filter((b) => keptIds.has(b.clientId)),
  };
}
