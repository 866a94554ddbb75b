/**
 * Signing in with email and password, behind the sign-in throttle. The answer for a wrong
 * password and for an unknown email is the same message after the same work (a hash is verified
 * either way), so the form does not tell an attacker which emails have accounts.
 */
import { hashPassword, verifyPassword } from '@concord/auth';
import type { Db } from '../db.js';
import { findAccountByEmail, normaliseEmail, type Account } from './accounts.js';
import { signInThrottle, type SignInThrottle } from './sign-in-throttle.js';

export const WRONG_CREDENTIALS_TEXT =
  'That email and password do not match an account. Check both and try again.';

export type PasswordSignIn =
  | { ok: true; account: Account }
  | { ok: false; status: 400 | 429; message: string; retryAt?: Date };

let dummyHash: Promise<string> | undefined;

export async function signInWithPassword(
  db: Db,
  input: { email: string; password: string; address: string },
  throttle: SignInThrottle = signInThrottle,
): Promise<PasswordSignIn> {
  const attempt = { account: normaliseEmail(input.email), address: input.address };
  const gate = throttle.check(attempt);
  if (!gate.allowed) {
    return { ok: false, status: 429, message: gate.message, retryAt: gate.retryAt };
  }
  const account = await findAccountByEmail(db, attempt.account);
  dummyHash ??= hashPassword('concord timing equaliser');
  const hash = account?.passwordHash ?? (await dummyHash);
  const valid = await verifyPassword(hash, input.password);
  if (!valid || account === null || account.passwordHash === null) {
    throttle.failed(attempt);
    const next = throttle.check(attempt);
    return next.allowed
      ? { ok: false, status: 400, message: WRONG_CREDENTIALS_TEXT }
      : {
          ok: false,
          status: 429,
          message: `${WRONG_CREDENTIALS_TEXT} ${next.message}`,
          retryAt: next.retryAt,
        };
  }
  throttle.succeeded(attempt);
  const { passwordHash: _omit, ...plain } = account;
  return { ok: true, account: plain };
}
