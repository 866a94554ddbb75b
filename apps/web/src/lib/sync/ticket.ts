/**
 * Sync tickets on the client: asks the web app's ticket route for a short-lived credential to
 * open one document on the sync server, keeps it, and asks again shortly before it expires, so
 * every (re)connection presents a ticket that is still valid. A refusal (signed out, no longer a
 * member, no read on the document) is an answer, not an error to retry: it carries the server's
 * reason for the page to show.
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

/** One document's ticket, fetched when first needed and again when close to expiry. */
export class TicketSource {
  private current: SyncTicket | null = null;
  private inflight: Promise<TicketResult> | null = null;

  constructor(
    private readonly workspaceId: string,
    private readonly documentId: string,
    private readonly fetchFn: typeof fetch = fetch,
    private readonly now: () => number = Date.now,
  ) {}

  /** A ticket valid for at least the refresh margin, or why there is none. */
  get(): Promise<TicketResult> {
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
  }
}
