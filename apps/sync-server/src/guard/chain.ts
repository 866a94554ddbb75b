/**
 * The update guard: one ordered chain of checks that every update a client sends passes once,
 * decoded once, before it touches the room's document. room.ts keeps the flow (apply, relay,
 * store, acknowledge) and asks this module for a verdict; each check is a link of its own module:
 *
 *   decode (decode.ts)        bytes that decode as a Yjs update, without the shapes that make
 *                             Yjs throw halfway through applying; closes the connection if not
 *   write capability          a read-only connection's update is refused (or, when it holds
 *                             nothing new, e.g. a reader's sync step 2, ignored)
 *   update size               larger than the store takes: the connection is closed
 *   schema (schema-check.ts)  the document's kind's shape (@concord/documents/shapes): known
 *                             roots and keys, value types, no type replaced, removals and decision
 *                             fields by role, authorship is the sender's
 *   text bounds               no text field longer than its bound (text-bounds.ts)
 *
 * Further rules (revealed ratings frozen, round state only for `decide`) become further links.
 * A refused update is refused whole: applying part of it would split one edit in two. Pure:
 * reads the document, never changes it.
 */
import type { SyncCapability } from '@concord/auth/roles';
import { limits as dbLimits } from '@concord/db';
import type { DocumentShape } from '@concord/documents/shapes';
import type * as Y from 'yjs';
import { CLOSE, type CloseCode } from '../protocol.js';
import { checkUpdate, isKnownTo, type CheckedUpdate } from './decode.js';
import { Placer } from './placement.js';
import { schemaViolation, UNKNOWN_PLACE, type Touch } from './schema-check.js';
import { textBoundsViolation } from './text-bounds.js';

/** Who sent the update, as the checks need it. */
export interface Sender {
  readonly userId: string;
  can(capability: SyncCapability): boolean;
  /** The shape of the document's kind; null only for documents of no kind (a test server
   * trusting tickets, with no database to say the kind). */
  readonly shape: DocumentShape | null;
}

export type Verdict =
  /** Passes every check: apply it. */
  | { readonly kind: 'apply'; readonly checked: CheckedUpdate }
  /** Holds nothing (no structs, no deletions). */
  | { readonly kind: 'empty' }
  /** From a read-only sender, and nothing in it is new: ignore it quietly. */
  | { readonly kind: 'known' }
  /** Builds on edits the document does not have yet (their origins are missing): hold it and
   * try again once they arrive (room.ts). */
  | { readonly kind: 'wait'; readonly reason: string }
  /** Not allowed: tell the sender why; the connection stays open. */
  | { readonly kind: 'refuse'; readonly reason: string; readonly check: string }
  /** Broken or too large: close the connection. */
  | { readonly kind: 'close'; readonly code: CloseCode; readonly reason: string };

/** What the links of the chain share about one update. */
export interface Incoming {
  readonly doc: Y.Doc;
  readonly update: Uint8Array;
  readonly checked: CheckedUpdate;
  readonly sender: Sender;
  /** New text items, by the text field they go into (filled by the schema check). */
  readonly touched: Map<Y.Item, Touch>;
}

/** A link: a verdict that ends the chain, or null to pass the update on. */
export type Check = (incoming: Incoming) => Verdict | null;

export const writeCapability: Check = ({ doc, checked, sender }) => {
  if (sender.can('write')) return null;
  // Nothing new (a reader's sync step 2 carries its whole delete set): nothing to refuse.
  if (isKnownTo(doc, checked)) return { kind: 'known' };
  return {
    kind: 'refuse',
    check: 'write',
    reason: 'read-only: this connection may not change the document',
  };
};

export const updateSize: Check = ({ update }) =>
  update.byteLength > dbLimits.MAX_UPDATE_BYTES
    ? {
        kind: 'close',
        code: CLOSE.MESSAGE_TOO_LARGE,
        reason: `update of ${update.byteLength} bytes; the limit is ${dbLimits.MAX_UPDATE_BYTES}`,
      }
    : null;

export const schema: Check = ({ doc, checked, sender, touched }) => {
  if (sender.shape === null) return null;
  const reason = schemaViolation(
    doc,
    checked.decoded,
    new Placer(doc, checked.decoded.structs),
    sender.shape,
    { userId: sender.userId, canDecide: sender.can('decide') },
    touched,
  );
  if (reason === null) return null;
  return reason === UNKNOWN_PLACE
    ? { kind: 'wait', reason }
    : { kind: 'refuse', check: 'schema', reason };
};

export const textBounds: Check = ({ doc, checked, touched }) => {
  const reason = textBoundsViolation(doc, checked.decoded.ds, touched);
  return reason === null ? null : { kind: 'refuse', check: 'bounds', reason };
};

/** The chain, in order. */
export const CHECKS: readonly Check[] = [writeCapability, updateSize, schema, textBounds];

/** The verdict on `update` from `sender` for `doc`. */
export function guardUpdate(
  doc: Y.Doc,
  update: Uint8Array,
  sender: Sender,
  checks: readonly Check[] = CHECKS,
): Verdict {
  const decoded = checkUpdate(update);
  if (!decoded.ok) {
    return { kind: 'close', code: CLOSE.MALFORMED_MESSAGE, reason: decoded.error.reason };
  }
  if (decoded.value.empty) return { kind: 'empty' };
  const incoming: Incoming = { doc, update, checked: decoded.value, sender, touched: new Map() };
  for (const check of checks) {
    const verdict = check(incoming);
    if (verdict !== null) return verdict;
  }
  return { kind: 'apply', checked: decoded.value };
}
