/**
 * Single sign-on settings from the environment, validated once at start:
 *   OIDC_ISSUER         the provider's issuer URL (https; http only on loopback, for tests)
 *   OIDC_CLIENT_ID      this app's client id at the provider
 *   OIDC_CLIENT_SECRET  its client secret
 *   OIDC_NAME           the button label: "Sign in with <OIDC_NAME>" (default "single sign-on")
 * All of the first three or none: none turns single sign-on off; some is an error naming the
 * missing ones, so a half-made configuration stops the server instead of failing at sign-in.
 */
import { z } from 'zod';

/** The `provider` value in external_accounts for this provider. */
export const OIDC_PROVIDER_SLUG = 'oidc';
export const OIDC_DEFAULT_NAME = 'single sign-on';

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name: string;
}

export class OidcConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid single sign-on configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'OidcConfigError';
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const Issuer = z
  .string()
  .trim()
  .refine(
    (s) => {
      try {
        const u = new URL(s);
        if (u.search || u.hash || u.username) return false;
        return u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname));
      } catch {
        return false;
      }
    },
    {
      message:
        "must be the provider's issuer URL, e.g. https://accounts.google.com (https; plain http only on 127.0.0.1 or localhost)",
    },
  );

const Settings = z.object({
  OIDC_ISSUER: Issuer,
  OIDC_CLIENT_ID: z.string().trim().min(1, 'is empty').max(500, 'is too long'),
  OIDC_CLIENT_SECRET: z.string().min(1, 'is empty').max(2000, 'is too long'),
  OIDC_NAME: z.string().trim().max(60, 'must be at most 60 characters').optional(),
});

const REQUIRED = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;

/** The settings, or null when single sign-on is off; throws OidcConfigError when half-made. */
export function parseOidcConfig(env: Record<string, string | undefined>): OidcConfig | null {
  const set = REQUIRED.filter((k) => env[k] !== undefined && env[k] !== '');
  if (set.length === 0) return null;
  if (set.length < REQUIRED.length) {
    const missing = REQUIRED.filter((k) => !set.includes(k));
    throw new OidcConfigError(
      missing.map(
        (k) =>
          `${k} is not set, but ${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'}: set all of ${REQUIRED.join(', ')} to turn single sign-on on, or none to turn it off`,
      ),
    );
  }
  const parsed = Settings.safeParse({
    OIDC_ISSUER: env.OIDC_ISSUER,
    OIDC_CLIENT_ID: env.OIDC_CLIENT_ID,
    OIDC_CLIENT_SECRET: env.OIDC_CLIENT_SECRET,
    OIDC_NAME: env.OIDC_NAME || undefined,
  });
  if (!parsed.success) {
    throw new OidcConfigError(
      parsed.error.issues.map((i) => `${String(i.path[0] ?? 'OIDC')} ${i.message}`),
    );
  }
  const d = parsed.data;
  return {
    // Kept as configured: the ID token's `iss` is compared with the discovered issuer, which
    // must match this one (a trailing slash aside).
    issuer: d.OIDC_ISSUER,
    clientId: d.OIDC_CLIENT_ID,
    clientSecret: d.OIDC_CLIENT_SECRET,
    name: d.OIDC_NAME || OIDC_DEFAULT_NAME,
  };
}

let cached: { config: OidcConfig | null } | undefined;

/** This process's settings (read from process.env once). */
export function oidcConfig(): OidcConfig | null {
  cached ??= { config: parseOidcConfig(process.env) };
  return cached.config;
}
