import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './password.js';

describe('passwordProblem', () => {
  it('refuses short, common and email-based passwords', () => {
    expect(passwordProblem('short1')).toBe('too-short');
    expect(passwordProblem('x'.repeat(257))).toBe('too-long');
    expect(passwordProblem('password123')).toBe('common');
    expect(passwordProblem('Password123')).toBe('common');
    expect(passwordProblem('maria.lopez-2026!', 'maria.lopez@revere.k12.ma.us')).toBe(
      'contains-email',
    );
  });

  it('accepts a reasonable passphrase', () => {
    expect(passwordProblem('harbor lantern quiet', 'maria@example.org')).toBeNull();
  });
});

describe('hashPassword', () => {
  it('makes an argon2id hash that verifies only the same password', async () => {
    const h = await hashPassword('harbor lantern quiet');
    expect(h.startsWith('$argon2id$')).toBe(true);
    expect(h).not.toContain('harbor');
    expect(await verifyPassword(h, 'harbor lantern quiet')).toBe(true);
    expect(await verifyPassword(h, 'harbor lantern quiet!')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });
});
