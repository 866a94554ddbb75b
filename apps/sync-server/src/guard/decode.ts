/**
 * Checks a client's Yjs update before it touches a room's document. Y.applyUpdate has no
 * rollback: an update that decodes but is inconsistent can throw halfway through integrating,
 * leaving the document changed (and the change emitted) without the rest. Fuzzing yjs 13.6 with
 * mutated real updates showed every such failure comes from one of the shapes refused here, so
 * after this check applying is all-or-nothing in practice; room.ts still treats a throw as
 * possible and resets the room rather than keep a document it cannot trust.
 *
 * Refused:
 * - bytes that do not decode as a Yjs v1 update (bad varints, unknown content, truncation);
 * - a struct of length 0 (no Yjs client writes one; integrating it corrupts the struct store);
 * - an item whose origin, right origin or parent is an id of its own client at or after its own
 *   clock (Yjs assumes a client's references point back in its own history and does not check);
 * - a delete-set range of length 0 (re-encoding the transaction then throws after applying).
 */
import * as Y from 'yjs';
import type { ProtocolError } from '../protocol.js';
import { err, ok, type Result } from '../result.js';

type Decoded = ReturnType<typeof Y.decodeUpdate>;

export interface CheckedUpdate {
  /** No structs and no deletions: nothing to apply, store or relay (a client with nothing new
   * answers sync step 1 with such an update). */
  empty: boolean;
  decoded: Decoded;
}

export function checkUpdate(update: Uint8Array): Result<CheckedUpdate, ProtocolError> {
  let decoded: Decoded;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return err({ reason: 'update does not decode' });
  }
  for (const struct of decoded.structs) {
    if (!(struct.length > 0)) return err({ reason: 'update holds an empty struct' });
    if (struct instanceof Y.Item) {
      const { id } = struct;
      const parent = struct.parent instanceof Y.ID ? struct.parent : null;
      for (const ref of [struct.origin, struct.rightOrigin, parent]) {
        if (ref && ref.client === id.client && ref.clock >= id.clock) {
          return err({ reason: 'update item refers forward in its own history' });
        }
      }
    }
  }
  for (const ranges of decoded.ds.clients.values()) {
    for (const range of ranges) {
      if (!(range.len > 0)) return err({ reason: 'update deletes an empty range' });
    }
  }
  return ok({ empty: decoded.structs.length === 0 && decoded.ds.clients.size === 0, decoded });
}

/**
 * Whether `doc` already holds everything in a checked update (every struct, every deletion), so
 * applying it would change nothing. Used for read-only connections: a stock client answers sync
 * step 1 with its whole delete set, which is no attempt to write and must not be refused.
 */
export function isKnownTo(doc: Y.Doc, checked: CheckedUpdate): boolean {
  const { structs, ds } = checked.decoded;
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue;
    if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) return false;
  }
  if (ds.clients.size === 0) return true;
  // Sorted and merged per client, so a deleted range is covered by one entry or not at all.
  const deleted = Y.createDeleteSetFromStructStore(doc.store);
  for (const [client, ranges] of ds.clients) {
    const have = deleted.clients.get(client) ?? [];
    for (const range of ranges) {
      const end = range.clock + range.len;
      if (!have.some((d) => d.clock <= range.clock && end <= d.clock + d.len)) return false;
    }
  }
  return true;
}
