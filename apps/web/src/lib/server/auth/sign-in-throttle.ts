/**
 * The sign-in throttle: one FailureThrottle per account (by normalised email, whether or not the
 * account exists, so the answer reveals nothing) and one per client address. An attempt must pass
 * both; a failure counts against both; a success clears the account's count only (a shared school
 * address keeps its count until it is forgotten).
 */
import {
  ACCOUNT_BASE_DELAY_MS,
  ACCOUNT_FREE_FAILURES,
  ACCOUNT_MAX_DELAY_MS,
  ADDRESS_BASE_DELAY_MS,
  ADDRESS_FREE_FAILURES,
  ADDRESS_MAX_DELAY_MS,
  THROTTLE_FORGET_AFTER_MS,
  THROTTLE_MAX_KEYS,
} from './limits.js';
import { FailureThrottle, waitText } from './throttle.js';

export interface SignInAttempt {
  /** Normalised email. */
  account: string;
  address: string;
}

export type SignInGate = { allowed: true } | { allowed: false; retryAt: Date; message: string };

export class SignInThrottle {
  readonly accounts = new FailureThrottle({
    freeFailures: ACCOUNT_FREE_FAILURES,
    baseDelayMs: ACCOUNT_BASE_DELAY_MS,
    maxDelayMs: ACCOUNT_MAX_DELAY_MS,
    forgetAfterMs: THROTTLE_FORGET_AFTER_MS,
    maxKeys: THROTTLE_MAX_KEYS,
  });
  readonly addresses = new FailureThrottle({
    freeFailures: ADDRESS_FREE_FAILURES,
    baseDelayMs: ADDRESS_BASE_DELAY_MS,
    maxDelayMs: ADDRESS_MAX_DELAY_MS,
    forgetAfterMs: THROTTLE_FORGET_AFTER_MS,
    maxKeys: THROTTLE_MAX_KEYS,
  });

  check(attempt: SignInAttempt, now: number = Date.now()): SignInGate {
    const account = this.accounts.check(attempt.account, now);
    const address = this.addresses.check(attempt.address, now);
    if (account.allowed && address.allowed) return { allowed: true };
    const retryAt = new Date(
      Math.max(
        account.allowed ? 0 : account.retryAt.getTime(),
        address.allowed ? 0 : address.retryAt.getTime(),
      ),
    );
    const who = account.allowed ? 'from your network' : 'for this account';
    return {
      allowed: false,
      retryAt,
      message: `Too many failed sign-in attempts ${who}. Wait ${waitText(retryAt, now)}, then try again.`,
    };
  }

  failed(attempt: SignInAttempt, now: number = Date.now()): void {
    this.accounts.fail(attempt.account, now);
    this.addresses.fail(attempt.address, now);
  }

  succeeded(attempt: SignInAttempt): void {
    this.accounts.reset(attempt.account);
  }
}

/** The process-wide sign-in throttle. */
export const signInThrottle = new SignInThrottle();
