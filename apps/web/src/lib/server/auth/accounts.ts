/**
 * People and their credentials in the database: find by email (case-insensitive), create with a
 * password, read and replace the password hash, rename. Emails are normalised (trimmed, lower
 * case) before they get here; the unique index on lower(email) is the final word on duplicates.
 */
import type { Db } from '../db.js';

export interface Account {
  id: string;
  email: string;
  name: string;
}

/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = '23505';

export class EmailTakenError extends Error {
  constructor() {
    super('an account with this email already exists');
    this.name = 'EmailTakenError';
  }
}

/** Trimmed, lower case: the one form emails are compared and stored in. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

type AccountRow = { id: string; email: string; display_name: string };
const toAccount = (r: AccountRow): Account => ({ id: r.id, email: r.email, name: r.display_name });

const BY_EMAIL = {
  name: 'web_user_by_email',
  text: `select u.id, u.email, u.display_name, p.password_hash
         from users u left join password_credentials p on p.user_id = u.id
         where lower(u.email) = lower($1)`,
};

const BY_ID = {
  name: 'web_user_by_id',
  text: `select u.id, u.email, u.display_name, p.password_hash
         from users u left join password_credentials p on p.user_id = u.id
         where u.id = $1::uuid`,
};

const INSERT_USER = {
  name: 'web_user_insert',
  text: `insert into users (email, display_name) values ($1, $2)
         returning id, email, display_name`,
};

const INSERT_PASSWORD = {
  name: 'web_password_insert',
  text: `insert into password_credentials (user_id, password_hash) values ($1::uuid, $2)`,
};

const UPSERT_PASSWORD = {
  name: 'web_password_upsert',
  text: `insert into password_credentials (user_id, password_hash) values ($1::uuid, $2)
         on conflict (user_id) do update set password_hash = excluded.password_hash,
                                             updated_at = now()`,
};

const RENAME = {
  name: 'web_user_rename',
  text: `update users set display_name = $2 where id = $1::uuid`,
};

export interface AccountWithPassword extends Account {
  /** null for people who only sign in through single sign-on. */
  passwordHash: string | null;
}

type RowWithHash = AccountRow & { password_hash: string | null };
const withHash = (r: RowWithHash): AccountWithPassword => ({
  ...toAccount(r),
  passwordHash: r.password_hash,
});

export async function findAccountByEmail(
  db: Db,
  email: string,
): Promise<AccountWithPassword | null> {
  const rows = await db.sql.query<RowWithHash>(BY_EMAIL, [normaliseEmail(email)]);
  return rows[0] ? withHash(rows[0]) : null;
}

export async function findAccountById(db: Db, id: string): Promise<AccountWithPassword | null> {
  const rows = await db.sql.query<RowWithHash>(BY_ID, [id]);
  return rows[0] ? withHash(rows[0]) : null;
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
  }
  return false;
}

/** Creates a person, with a password hash when given; throws EmailTakenError on a duplicate. */
export async function createAccount(
  db: Db,
  input: { email: string; name: string; passwordHash?: string },
): Promise<Account> {
  try {
    return await db.sql.transaction(async (tx) => {
      const rows = await tx.query<AccountRow>(INSERT_USER, [
        normaliseEmail(input.email),
        input.name,
      ]);
      const row = rows[0];
      if (!row) throw new Error('creating an account returned no row');
      if (input.passwordHash !== undefined) {
        await tx.query(INSERT_PASSWORD, [row.id, input.passwordHash]);
      }
      return toAccount(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EmailTakenError();
    throw error;
  }
}

export async function setPasswordHash(db: Db, userId: string, passwordHash: string) {
  await db.sql.query(UPSERT_PASSWORD, [userId, passwordHash]);
}

export async function renameAccount(db: Db, userId: string, name: string) {
  await db.sql.query(RENAME, [userId, name]);
}
