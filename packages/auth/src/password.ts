/**
 * Passwords: argon2id hashes (OWASP's minimum parameters: 19 MiB, 2 passes, 1 lane) and the
 * rules a new password must meet (NIST SP 800-63B: length, not a known common password, not
 * the person's own email). The hash string carries its parameters, so raising them later still
 * verifies old hashes.
 */
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

/** Shortest accepted password (NIST: at least 8 when checked against a blocklist). */
export const PASSWORD_MIN_LENGTH = 8;
/** Longest accepted password: long enough for passphrases, short enough that hashing a
 * hostile submission stays cheap. */
export const PASSWORD_MAX_LENGTH = 256;

const ARGON2_OPTIONS = {
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  // ~49,000 passwords seen most often in breaches (zxcvbn-ts's list), loaded on first use.
  common ??= new Set(
    (dictionary['passwords-common'] as unknown as string[]).map((p) => p.toLowerCase()),
  );
  return common;
}

export type PasswordProblem = 'too-short' | 'too-long' | 'common' | 'contains-email';

export const PASSWORD_PROBLEM_TEXT: Record<PasswordProblem, string> = {
  'too-short': `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
  'too-long': `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
  common:
    'This password is on a list of common passwords that attackers try first. Choose another.',
  'contains-email': 'Do not use your email address in your password.',
};

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email?: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'too-short';
  if (length > PASSWORD_MAX_LENGTH) return 'too-long';
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return 'common';
  const local = email?.split('@')[0]?.toLowerCase();
  if (local !== undefined && local.length >= 4 && lower.includes(local)) return 'contains-email';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFKC'), ARGON2_OPTIONS);
}

/** False for a wrong password or a malformed hash; never throws on either. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password.normalize('NFKC'));
  } catch {
    return false;
  }
}
