/**
 * Sync tickets on the client: asks the web app's ticket route for a short-lived credential to
 * open one document on the sync server, keeps it, and asks again shortly before it expires, so
 * every (re)connection presents a ticket that is still valid. A refusal (signed out, no longer a
 * member, no read on the document) is an answer, not an error to retry: it carries the server's
 * reason for the page to show.
 *
 * A page may come with a ticket already (issued with its data, so the first connection does not
 * wait for the ticket route): it is used once, for the first connection, and only while clearly
 * fresh by this browser's clock; a page restored from the service worker's cache or the
 * back/forward cache carries one long expired. Every other connection fetches.
 */

/** What the ticket route answers (see $lib/server/sync-ticket's SyncTicketResponse). */
export interface SyncTicket {
  url: string;
  ticket: string;
  capabilities: string[];
  expiresAt: string;
}

export type TicketResult =
  | { ok: true; ticket: SyncTicket }
  /** The web app said no (401/403/404): reconnecting with the same session cannot help. */
  | { ok: false; kind: 'refused'; status: number; reason: string; message: string }
  /** No answer (offline, server down): try again later. */
  | { ok: false; kind: 'unreachable'; message: string };

/** Refresh this long before expiry, so a reconnect never presents a ticket about to lapse. */
export const TICKET_REFRESH_MARGIN_MS = 60_000;

/** A ticket given with the page is used only with at least this long left. */
export const INITIAL_TICKET_MARGIN_MS = 15_000;
/**
 * ...and with no more than this left: a ticket lives 60 s (the sync server's TICKET_TTL_SECONDS)
 * and this allows 10 s of difference between this clock and the server's. More left means the
 * clocks disagree (this one is behind), so its age cannot be told: fetch.
 */
export const INITIAL_TICKET_MAX_LEFT_MS = 70_000;

/** Whether a ticket given with the page may open the first connection now (see above). */
export function initialTicketFresh(ticket: SyncTicket, now: number): boolean {
  const left = Date.parse(ticket.expiresAt) - now;
  return (
    Number.isFinite(left) && left >= INITIAL_TICKET_MARGIN_MS && left <= INITIAL_TICKET_MAX_LEFT_MS
  );
}

export function ticketPath(workspaceId: string, documentId: string): string {
  return `/w/${encodeURIComponent(workspaceId)}/documents/${encodeURIComponent(documentId)}/ticket`;
}

function isTicket(value: unknown): value is SyncTicket {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.url === 'string' &&
    typeof v.ticket === 'string' &&
    typeof v.expiresAt === 'string' &&
    Array.isArray(v.capabilities) &&
    v.capabilities.every((c) => typeof c === 'string')
  );
}

export async function fetchTicket(
  workspaceId: string,
  documentId: string,
  fetchFn: typeof fetch = fetch,
): Promise<TicketResult> {
  let response: Response;
  try {
    response = await fetchFn(ticketPath(workspaceId, documentId), {
      headers: { accept: 'application/json' },
      cache: 'no-store',
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, kind: 'unreachable', message: 'The server cannot be reached.' };
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok && isTicket(body)) return { ok: true, ticket: body };
  if (response.status >= 400 && response.status < 500) {
    const b = (body ?? {}) as Record<string, unknown>;
    return {
      ok: false,
      kind: 'refused',
      status: response.status,
      reason: typeof b.reason === 'string' ? b.reason : 'refused',
      message:
        typeof b.message === 'string' ? b.message : `The server refused (${response.status}).`,
    };
  }
  return {
    ok: false,
    kind: 'unreachable',
    message: `The server answered ${response.status}; trying again.`,
  };
}

/**
 * One document's ticket, fetched when first needed and again when close to expiry; the first
 * connection may use the one given with the page instead (`initial`), if it is fresh.
 */
export class TicketSource {
  private current: SyncTicket | null = null;
  private inflight: Promise<TicketResult> | null = null;
  private initial: SyncTicket | null;

  constructor(
    private readonly workspaceId: string,
    private readonly documentId: string,
    private readonly fetchFn: typeof fetch = fetch,
    private readonly now: () => number = Date.now,
    initial: SyncTicket | null = null,
  ) {
    this.initial = initial !== null && isTicket(initial) ? initial : null;
  }

  /** A ticket valid for at least the refresh margin, or why there is none. */
  get(): Promise<TicketResult> {
    // The page's ticket serves the first ask only: a reconnection always gets a new one.
    const initial = this.initial;
    this.initial = null;
    if (initial !== null && initialTicketFresh(initial, this.now())) {
      return Promise.resolve({ ok: true, ticket: initial });
    }
    const t = this.current;
    if (t && Date.parse(t.expiresAt) - this.now() > TICKET_REFRESH_MARGIN_MS) {
      return Promise.resolve({ ok: true, ticket: t });
    }
    this.inflight ??= fetchTicket(this.workspaceId, this.documentId, this.fetchFn).then((r) => {
      this.inflight = null;
      this.current = r.ok ? r.ticket : null;
      return r;
    });
    return this.inflight;
  }

  /** Forget the ticket (the server turned it down): the next connection fetches a new one. */
  invalidate(): void {
    this.current = null;
    this.initial = null;
  }
}
