import { describe, expect, it } from 'vitest';
import { OidcConfigError, parseOidcConfig } from './oidc-config.js';

const full = {
  OIDC_ISSUER: 'https://accounts.google.com',
  OIDC_CLIENT_ID: 'id',
  OIDC_CLIENT_SECRET: 'secret',
};

describe('parseOidcConfig', () => {
  it('is off when nothing is set (empty counts as unset)', () => {
    expect(parseOidcConfig({})).toBeNull();
    expect(parseOidcConfig({ OIDC_ISSUER: '', OIDC_NAME: 'X' })).toBeNull();
  });

  it('reads a full configuration, with a default button name', () => {
    expect(parseOidcConfig(full)).toEqual({
      issuer: 'https://accounts.google.com',
      clientId: 'id',
      clientSecret: 'secret',
      name: 'single sign-on',
    });
    expect(parseOidcConfig({ ...full, OIDC_NAME: 'Google Workspace' })?.name).toBe(
      'Google Workspace',
    );
  });

  it('names the missing variables when only some are set', () => {
    expect(() => parseOidcConfig({ OIDC_ISSUER: full.OIDC_ISSUER })).toThrow(OidcConfigError);
    try {
      parseOidcConfig({ OIDC_ISSUER: full.OIDC_ISSUER });
    } catch (e) {
      const problems = (e as OidcConfigError).problems.join('\n');
      expect(problems).toMatch(/OIDC_CLIENT_ID is not set/);
      expect(problems).toMatch(/OIDC_CLIENT_SECRET is not set/);
    }
  });

  it('refuses plain http except on loopback, and junk issuers', () => {
    expect(() => parseOidcConfig({ ...full, OIDC_ISSUER: 'http://idp.example' })).toThrow(
      /OIDC_ISSUER must be the provider's issuer URL/,
    );
    expect(() => parseOidcConfig({ ...full, OIDC_ISSUER: 'not a url' })).toThrow(/OIDC_ISSUER/);
    expect(parseOidcConfig({ ...full, OIDC_ISSUER: 'http://127.0.0.1:4000' })?.issuer).toBe(
      'http://127.0.0.1:4000',
    );
  });
});
