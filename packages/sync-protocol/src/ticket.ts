/**
 * Sync tickets: how a connection proves who it is and what it may do. The web app, which knows
 * the user's session and role, issues a short-lived ticket for one document; the client passes
 * it as `?ticket=` when it opens the WebSocket; the sync server checks it before the upgrade.
 * No database lookup per connection, and the sync server needs no session store.
 *
 * Format: base64url(JSON payload) "." base64url(HMAC-SHA256(secret, first part)), payload
 *   { userId, documentId, capabilities: ('read' | 'write' | 'awareness' | 'decide')[], exp,
 *     name? }
 * with `name` the person's display name, which the server writes into their presence (a client
 * cannot publish presence under another name).
 * with exp in seconds since the Unix epoch. Both sides share SYNC_TICKET_SECRET.
 *
 * A ticket only ever narrows what a connection may do: the sync server intersects its
 * capabilities with what the member's role allows on the document now (its access.ts), so a
 * ticket claiming more gets no more.
 *
 * The web app issues tickets and the sync server verifies them, so the format lives here, under
 * its own entry (`@concord/sync-protocol/ticket`): it needs node:crypto, which browser code
 * importing the message numbers must not pull in.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { MAX_PRESENCE_NAME } from '@concord/auth/presence';
import { SYNC_CAPABILITIES, type SyncCapability } from '@concord/auth/roles';
import { z } from 'zod';
import { err, ok, type Result } from './result.js';

export type { Result } from './result.js';

/** The sync capabilities, from the one capability table (@concord/auth/roles). */
export const CAPABILITIES = SYNC_CAPABILITIES;
/**
 * - read: receive the document and others' awareness (required to connect at all);
 * - write: send updates (without it, updates are refused with a permission-denied message);
 * - awareness: publish one's own presence (without it, awareness updates are dropped).
 */
export type Capability = SyncCapability;

/** Default and longest ticket lifetime. A ticket is only checked when a connection opens, so
 * it needs to live just long enough to be used; a reconnect asks the web app for a new one. */
export const TICKET_TTL_SECONDS = 60;
export const MAX_TICKET_TTL_SECONDS = 60 * 60;

/** Shortest accepted secret (bytes of UTF-8), so a typo cannot leave tickets easy to forge. */
export const MIN_TICKET_SECRET_LENGTH = 32;

const Uuid = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/)
  .transform((s) => s.toLowerCase());

export const TicketSchema = z.strictObject({
  userId: Uuid,
  documentId: Uuid,
  capabilities: z.array(z.enum(CAPABILITIES)).max(CAPABILITIES.length),
  exp: z.number().int().positive(),
  name: z.string().max(MAX_PRESENCE_NAME).optional(),
});

export type Ticket = z.output<typeof TicketSchema>;

export interface IssueTicketInput {
  secret: string;
  userId: string;
  documentId: string;
  capabilities: readonly Capability[];
  /** The person's display name, for their presence (cut to MAX_PRESENCE_NAME). */
  name?: string;
  /** Lifetime in seconds (default TICKET_TTL_SECONDS, at most MAX_TICKET_TTL_SECONDS). */
  ttlSeconds?: number;
  /** Milliseconds since the epoch (default Date.now()); for tests. */
  now?: number;
}

/** Issues a ticket; throws on a programming error (bad ids, bad ttl, short secret). */
export function issueTicket(input: IssueTicketInput): string {
  checkSecret(input.secret);
  const ttl = input.ttlSeconds ?? TICKET_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TICKET_TTL_SECONDS) {
    throw new Error(`ttlSeconds must be a whole number from 1 to ${MAX_TICKET_TTL_SECONDS}`);
  }
  const payload = TicketSchema.parse({
    userId: input.userId,
    documentId: input.documentId,
    capabilities: [...new Set(input.capabilities)],
    exp: Math.floor((input.now ?? Date.now()) / 1000) + ttl,
    ...(input.name !== undefined && { name: input.name.slice(0, MAX_PRESENCE_NAME) }),
  });
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${sign(input.secret, body)}`;
}

export type TicketProblem =
  'missing' | 'malformed' | 'bad-signature' | 'expired' | 'wrong-document' | 'no-read-capability';

export const TICKET_PROBLEM_TEXT: Record<TicketProblem, string> = {
  missing: 'no ticket (pass ?ticket=... issued by the web app)',
  malformed: 'the ticket is not a ticket',
  'bad-signature': 'the ticket signature does not match (tampered, or another secret)',
  expired: 'the ticket has expired (ask the web app for a new one)',
  'wrong-document': 'the ticket is for another document',
  'no-read-capability': "the ticket does not grant 'read'",
};

/** Checks a ticket for `documentId` at `now` (ms). The signature is checked before the payload
 * is parsed, so nothing an attacker wrote is interpreted unless we signed it. */
export function verifyTicket(
  secret: string,
  token: string | undefined,
  documentId: string,
  now: number = Date.now(),
): Result<Ticket, TicketProblem> {
  if (!token) return err('missing');
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return err('malformed');
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = Buffer.from(sign(secret, body), 'base64url');
  if (given.byteLength !== expected.byteLength || !timingSafeEqual(given, expected)) {
    return err('bad-signature');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return err('malformed');
  }
  const parsed = TicketSchema.safeParse(payload);
  if (!parsed.success) return err('malformed');
  const ticket = parsed.data;
  if (ticket.exp * 1000 <= now) return err('expired');
  if (ticket.documentId !== documentId.toLowerCase()) return err('wrong-document');
  if (!ticket.capabilities.includes('read')) return err('no-read-capability');
  return ok(ticket);
}

/** A random secret for development and tests, when SYNC_TICKET_SECRET is not set. */
export function randomTicketSecret(): string {
  return randomBytes(32).toString('base64url');
}

function sign(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

function checkSecret(secret: string): void {
  if (Buffer.byteLength(secret, 'utf8') < MIN_TICKET_SECRET_LENGTH) {
    throw new Error(`the ticket secret must be at least ${MIN_TICKET_SECRET_LENGTH} bytes`);
  }
}
