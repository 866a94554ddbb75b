/**
 * Sync-server configuration, read from the environment once at start and validated, so a bad
 * value stops the process with a message naming the variable instead of failing later.
 * The database settings (DATABASE_URL, PGLITE_DATA_DIR, DATABASE_POOL_MAX) are @concord/db's own
 * and validated by it; their problems are reported together with ours.
 */
import { configFromEnv, DbConfigError, limits as dbLimits, type DbConfig } from '@concord/db';
import { z } from 'zod';
import { DEFAULT_SYNC_PORT } from '@concord/sync-protocol';
import { MIN_TICKET_SECRET_LENGTH, randomTicketSecret } from '@concord/sync-protocol/ticket';
import { DEFAULT_LIMITS, DEFAULT_REDIS_CHANNEL_PREFIX, type Limits } from './limits.js';

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`);

/** Each limit's variable, with the range it may be set to. */
const LIMIT_VARIABLES = {
  maxMessageBytes: ['SYNC_MAX_MESSAGE_BYTES', wholeNumber(1024, dbLimits.MAX_UPDATE_BYTES + 1024)],
  maxAwarenessBytes: ['SYNC_MAX_AWARENESS_BYTES', wholeNumber(256, 16 * 1024 * 1024)],
  maxDocumentBytes: ['SYNC_MAX_DOCUMENT_BYTES', wholeNumber(1024, 2 * 1024 * 1024 * 1024)],
  maxConnectionsPerUser: ['SYNC_MAX_CONNECTIONS_PER_USER', wholeNumber(1, 100_000)],
  messagesPerSecond: ['SYNC_MESSAGES_PER_SECOND', wholeNumber(1, 1_000_000)],
  messageBurst: ['SYNC_MESSAGE_BURST', wholeNumber(1, 1_000_000)],
  maxSendBufferBytes: [
    'SYNC_MAX_SEND_BUFFER_BYTES',
    wholeNumber(64 * 1024, 4 * 1024 * 1024 * 1024),
  ],
  maxPendingWrites: ['SYNC_MAX_PENDING_WRITES', wholeNumber(100, 10_000_000)],
  maxPendingWriteBytes: [
    'SYNC_MAX_PENDING_WRITE_BYTES',
    wholeNumber(1024 * 1024, 16 * 1024 * 1024 * 1024),
  ],
} as const satisfies Partial<Record<keyof Limits, readonly [string, z.ZodType]>>;

const ConfigSchema = z
  .object({
    NODE_ENV: z.string().optional(),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: wholeNumber(0, 65535).default(DEFAULT_SYNC_PORT),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    SYNC_TICKET_SECRET: z
      .string()
      .refine((s) => Buffer.byteLength(s, 'utf8') >= MIN_TICKET_SECRET_LENGTH, {
        error: `must be at least ${MIN_TICKET_SECRET_LENGTH} bytes (e.g. openssl rand -base64 32)`,
      })
      .optional(),
    REDIS_URL: z
      .string()
      .refine((s) => /^rediss?:\/\//.test(s) && URL.canParse(s), {
        error: 'must be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379)',
      })
      .optional(),
    REDIS_CHANNEL_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_.-]{1,64}$/, {
        error: 'must be 1-64 letters, digits or : _ . - (e.g. concord:)',
      })
      .default(DEFAULT_REDIS_CHANNEL_PREFIX),
    ...Object.fromEntries(
      Object.values(LIMIT_VARIABLES).map(([name, schema]) => [name, schema.optional()]),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.SYNC_TICKET_SECRET === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['SYNC_TICKET_SECRET'],
        message: 'is required in production (the web app signs sync tickets with it)',
      });
    }
  });

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  host: string;
  port: number;
  logLevel: LogLevel;
  /** HMAC key for sync tickets, shared with the web app. */
  ticketSecret: string;
  /** True when SYNC_TICKET_SECRET was not set and a random one was made for this process
   * (development and tests only: tickets from the web app will not verify). */
  ticketSecretGenerated: boolean;
  limits: Limits;
  db: DbConfig;
  /** Redis for fan-out between instances (REDIS_URL), or null: this instance is alone. */
  redisUrl: string | null;
  /** Prefix of the per-document channels (REDIS_CHANNEL_PREFIX). */
  redisChannelPrefix: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty variables count as unset, as in @concord/db.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = ConfigSchema.safeParse(present);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const name = String(i.path[0]);
      // Secrets stay out of the message (a Redis URL may carry a password).
      const secret = name === 'SYNC_TICKET_SECRET' || name === 'REDIS_URL';
      const got = secret ? '' : ` (got "${env[name] ?? ''}")`;
      problems.push(`${name}: ${i.message}${got}`);
    }
  }
  let db: DbConfig | undefined;
  try {
    db = configFromEnv(env);
  } catch (e) {
    if (!(e instanceof DbConfigError)) throw e;
    problems.push(...e.problems);
  }
  if (!parsed.success || db === undefined) throw new ConfigError(problems);

  const data = parsed.data as z.output<typeof ConfigSchema> & Record<string, number | undefined>;
  const limits: Limits = { ...DEFAULT_LIMITS };
  for (const [key, [name]] of Object.entries(LIMIT_VARIABLES)) {
    const value = data[name];
    if (value !== undefined) limits[key as keyof typeof LIMIT_VARIABLES] = value;
  }
  return {
    host: data.HOST,
    port: data.PORT,
    logLevel: data.LOG_LEVEL,
    ticketSecret: data.SYNC_TICKET_SECRET ?? randomTicketSecret(),
    ticketSecretGenerated: data.SYNC_TICKET_SECRET === undefined,
    limits,
    db,
    redisUrl: data.REDIS_URL ?? null,
    redisChannelPrefix: data.REDIS_CHANNEL_PREFIX,
  };
}
