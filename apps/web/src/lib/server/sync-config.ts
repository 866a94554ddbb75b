/**
 * Where browsers find the sync server and how the web app signs their tickets, from the
 * environment, validated once at start:
 *   SYNC_TICKET_SECRET  the HMAC key shared with the sync server (at least 32 bytes). Required in
 *                       a built app: a made-up secret would make every ticket fail to verify on
 *                       a sync server run apart. `vite dev` without it makes one up (and warns).
 *   PUBLIC_SYNC_URL     the sync server's WebSocket base as browsers reach it, ending in /sync
 *                       (ws:// or wss://). Default: the page's own host name, the sync port
 *                       (SYNC_PORT, else 1234), wss when the page is https.
 *   SYNC_PORT           the sync server's port, for that default (the one-process host sets it).
 */
import { DEFAULT_SYNC_PORT, SYNC_PATH } from '@concord/sync-protocol';
import { MIN_TICKET_SECRET_LENGTH, randomTicketSecret } from '@concord/sync-protocol/ticket';
import { z } from 'zod';

export interface SyncConfig {
  ticketSecret: string;
  /** True when the secret was made up for this process (development only). */
  ticketSecretGenerated: boolean;
  /** PUBLIC_SYNC_URL without a trailing slash, or null to derive it per request. */
  publicUrl: string | null;
  port: number;
}

export class SyncConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid sync configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SyncConfigError';
  }
}

const Settings = z.object({
  SYNC_TICKET_SECRET: z
    .string()
    .refine((s) => Buffer.byteLength(s, 'utf8') >= MIN_TICKET_SECRET_LENGTH, {
      message: `must be at least ${MIN_TICKET_SECRET_LENGTH} bytes (the same value as the sync server's; e.g. \`openssl rand -base64 32\`)`,
    })
    .optional(),
  PUBLIC_SYNC_URL: z
    .string()
    .trim()
    .refine(
      (s) => {
        try {
          const u = new URL(s);
          return (u.protocol === 'ws:' || u.protocol === 'wss:') && !u.search && !u.hash;
        } catch {
          return false;
        }
      },
      {
        message:
          "must be the sync server's WebSocket address as browsers reach it, e.g. wss://sync.example.org/sync",
      },
    )
    .transform((s) => s.replace(/\/+$/, ''))
    .optional(),
  SYNC_PORT: z.coerce
    .number()
    .int()
    .min(1, 'must be a port number from 1 to 65535')
    .max(65535, 'must be a port number from 1 to 65535')
    .optional(),
});

/**
 * The settings; throws SyncConfigError naming each bad variable. `requireSecret`: a missing
 * SYNC_TICKET_SECRET is an error (a built app) rather than a made-up secret (development).
 */
export function parseSyncConfig(
  env: Record<string, string | undefined>,
  options: { requireSecret: boolean },
): SyncConfig {
  const parsed = Settings.safeParse({
    SYNC_TICKET_SECRET: env.SYNC_TICKET_SECRET || undefined,
    PUBLIC_SYNC_URL: env.PUBLIC_SYNC_URL || undefined,
    SYNC_PORT: env.SYNC_PORT || undefined,
  });
  if (!parsed.success) {
    throw new SyncConfigError(
      parsed.error.issues.map((i) => `${String(i.path[0] ?? 'SYNC')} ${i.message}`),
    );
  }
  const d = parsed.data;
  if (d.SYNC_TICKET_SECRET === undefined && options.requireSecret) {
    throw new SyncConfigError([
      'SYNC_TICKET_SECRET is not set: set it to the same secret as the sync server (at least 32 bytes), or start Concord with `node apps/web/build/host/main.js`, which shares one',
    ]);
  }
  return {
    ticketSecret: d.SYNC_TICKET_SECRET ?? randomTicketSecret(),
    ticketSecretGenerated: d.SYNC_TICKET_SECRET === undefined,
    publicUrl: d.PUBLIC_SYNC_URL ?? null,
    port: d.SYNC_PORT ?? DEFAULT_SYNC_PORT,
  };
}

/** The sync server's WebSocket base for a page at `pageUrl` (see the module comment). */
export function publicSyncUrl(config: SyncConfig, pageUrl: URL): string {
  if (config.publicUrl !== null) return config.publicUrl;
  const protocol = pageUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${pageUrl.hostname}:${config.port}${SYNC_PATH}`;
}

let cached: SyncConfig | undefined;

/** This process's settings (read from process.env once). */
export function syncConfig(options: { requireSecret: boolean }): SyncConfig {
  if (cached === undefined) {
    cached = parseSyncConfig(process.env, options);
    if (cached.ticketSecretGenerated) {
      console.warn(
        'SYNC_TICKET_SECRET is not set: using a random secret for this process, so a sync server run apart will refuse its tickets (set the same value in both).',
      );
    }
  }
  return cached;
}
