import { describe, expect, it } from 'vitest';
import { safeRedirectTarget, signInUrl } from './redirect-target.js';

describe('safeRedirectTarget', () => {
  it.each([
    ['/w/abc?tab=plan#goals', '/w/abc?tab=plan#goals'],
    ['/account', '/account'],
    ['/a/../account', '/account'],
  ])('keeps the same-site path %s', (input, expected) => {
    expect(safeRedirectTarget(input)).toBe(expected);
  });

  it.each([
    ['//evil.example/x'],
    ['https://evil.example/'],
    ['/\\evil.example'],
    ['\\\\evil.example'],
    ['javascript:alert(1)'],
    ['/\tevil'],
    [''],
    [null],
    [42],
    ['/sign-in?redirectTo=/x'],
    ['/auth/oidc/callback'],
    [`/${'a'.repeat(3000)}`],
  ])('falls back to / for %s', (input) => {
    expect(safeRedirectTarget(input)).toBe('/');
  });

  it('builds the sign-in link back to the page', () => {
    expect(signInUrl(new URL('http://x.test/w/1?a=b'))).toBe(
      '/sign-in?redirectTo=%2Fw%2F1%3Fa%3Db',
    );
    expect(signInUrl(new URL('http://x.test/'))).toBe('/sign-in');
  });
});
