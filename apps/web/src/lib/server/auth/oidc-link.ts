/**
 * Which Concord account a single sign-on identity is. In order:
 * 1. the account already linked to this provider subject;
 * 2. the account with the same email, but only when the provider says the email is verified
 *    (then the link is recorded, so later sign-ins take step 1);
 * 3. a new account, linked at once.
 * An unverified email that belongs to an existing account never signs anyone into it: that would
 * let whoever controls a provider account claim any address.
 */
import type { Db } from '../db.js';
import {
  EmailTakenError,
  createAccount,
  findAccountByEmail,
  findAccountById,
  type Account,
} from './accounts.js';
import { NAME_MAX_LENGTH } from './limits.js';
import { OidcError, type OidcIdentity } from './oidc.js';

const BY_SUBJECT = {
  name: 'web_external_by_subject',
  text: `select user_id from external_accounts where provider = $1 and provider_user_id = $2`,
};

const LINK = {
  name: 'web_external_link',
  text: `insert into external_accounts (user_id, provider, provider_user_id, email)
         values ($1::uuid, $2, $3, $4)
         on conflict (provider, provider_user_id) do nothing`,
};

export type LinkOutcome = 'existing-link' | 'linked-by-email' | 'created';

export async function accountForIdentity(
  db: Db,
  provider: string,
  identity: OidcIdentity,
): Promise<{ account: Account; outcome: LinkOutcome }> {
  const linked = await db.sql.query<{ user_id: string }>(BY_SUBJECT, [provider, identity.subject]);
  const linkedId = linked[0]?.user_id;
  if (linkedId !== undefined) {
    const account = await findAccountById(db, linkedId);
    if (account) return { account, outcome: 'existing-link' };
  }
  if (identity.email === null) {
    throw new OidcError('no-email', 'the provider did not share an email address');
  }
  const existing = await findAccountByEmail(db, identity.email);
  if (existing !== null) {
    if (!identity.emailVerified) {
      throw new OidcError(
        'unverified-email-taken',
        'the email belongs to an existing account and the provider has not verified it',
      );
    }
    await db.sql.query(LINK, [existing.id, provider, identity.subject, identity.email]);
    return { account: existing, outcome: 'linked-by-email' };
  }
  const name = (identity.name ?? identity.email.split('@')[0] ?? identity.email).slice(
    0,
    NAME_MAX_LENGTH,
  );
  let account: Account;
  try {
    account = await createAccount(db, { email: identity.email, name });
  } catch (error) {
    // Someone signed up with this email between the lookup and now: treat as step 2 next time.
    if (error instanceof EmailTakenError) {
      throw new OidcError('unverified-email-taken', 'the email was taken meanwhile', {
        cause: error,
      });
    }
    throw error;
  }
  await db.sql.query(LINK, [account.id, provider, identity.subject, identity.email]);
  return { account, outcome: 'created' };
}

/** What the sign-in page says for each failure code (`?sso=<code>`). */
export const OIDC_FAILURE_TEXT: Record<string, string> = {
  'provider-unavailable':
    'The single sign-on provider could not be reached. Try again in a minute, or sign in with your password.',
  cancelled: 'Single sign-on was cancelled. Sign in again when you are ready.',
  'state-mismatch':
    'That single sign-on attempt expired or was started in another tab. Start again from this page.',
  'token-invalid':
    'The single sign-on provider’s answer could not be verified. Start again from this page.',
  'no-email':
    'The single sign-on provider did not share your email address, which Concord needs. Ask your administrator to allow the email scope.',
  'unverified-email-taken':
    'An account with this email already exists, and the single sign-on provider has not verified that the email is yours, so it was not linked. Sign in with your password instead.',
};
