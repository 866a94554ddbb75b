/**
 * Accounts: people, how they prove who they are (password or an external provider), and their
 * sessions. Emails are unique regardless of case; session ids are hashes, so a leaked table
 * cannot be replayed as cookies.
 */
import { sql } from 'drizzle-orm';
import { check, index, inet, pgTable, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, timestamptz } from './columns.js';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored as typed; uniqueness is on lower(email) so "Ana@x.org" and "ana@x.org" collide. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`),
    check('users_email_shape', sql`${t.email} ~ '^[^@[:space:]]+@[^@[:space:]]+$'`),
    check('users_display_name_not_blank', sql`length(btrim(${t.displayName})) > 0`),
  ],
);

export const passwordCredentials = pgTable(
  'password_credentials',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** PHC string from argon2 (`$argon2id$v=19$...`); the plain password is never stored. */
    passwordHash: text('password_hash').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [check('password_credentials_argon2', sql`${t.passwordHash} like '$argon2%'`)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 (hex) of the session token; the token itself lives only in the cookie. */
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamptz('expires_at').notNull(),
    lastSeenAt: timestamptz('last_seen_at').notNull().defaultNow(),
    userAgent: text('user_agent'),
    ip: inet('ip'),
  },
  (t) => [
    check('sessions_id_sha256_hex', sql`${t.id} ~ '^[0-9a-f]{64}$'`),
    check('sessions_expiry_after_creation', sql`${t.expiresAt} > ${t.createdAt}`),
    index('sessions_user_idx').on(t.userId),
    index('sessions_expires_idx').on(t.expiresAt),
  ],
);

export const externalAccounts = pgTable(
  'external_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Lower-case provider slug, e.g. "google", "microsoft", "clever". */
    provider: text('provider').notNull(),
    providerUserId: text('provider_user_id').notNull(),
    email: text('email'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('external_accounts_provider_user_key').on(t.provider, t.providerUserId),
    check('external_accounts_provider_slug', sql`${t.provider} ~ '^[a-z0-9][a-z0-9_-]*$'`),
    index('external_accounts_user_idx').on(t.userId),
  ],
);
