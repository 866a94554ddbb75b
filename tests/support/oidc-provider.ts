/**
 * A real OpenID provider for the single sign-on tests: `oidc-provider` (the certified Node
 * implementation) on 127.0.0.1, with one confidential client for the web app and its built-in
 * development login and consent pages (the browser fills them in, as a person would).
 *
 * Test accounts are made up from the login typed on the provider's page, which must be an email:
 * - the email is the account's `email` claim and (lower-cased) its subject;
 * - a local part starting with "unverified" gives `email_verified: false`, anything else true;
 * - the name is "SSO " plus the local part.
 * Any password is accepted.
 */
import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';

export const TEST_CLIENT_ID = 'concord-web-test';
export const TEST_CLIENT_SECRET = 'concord-web-test-secret-0123456789abcdef';

export interface RunningOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

/** The claims the provider gives for a login typed on its page (see the module comment). */
export function testAccountClaims(login: string) {
  const email = login.trim().toLowerCase();
  const local = email.split('@')[0] ?? email;
  return {
    sub: email,
    email,
    email_verified: !local.startsWith('unverified'),
    name: `SSO ${local}`,
  };
}

export async function startOidcProvider(options: {
  port: number;
  redirectUri: string;
}): Promise<RunningOidcProvider> {
  const issuer = `http://127.0.0.1:${options.port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_CLIENT_ID,
        client_secret: TEST_CLIENT_SECRET,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['concord-oidc-test-cookie-key'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, sub) {
      return {
        accountId: sub,
        async claims() {
          return testAccountClaims(sub);
        },
      };
    },
  });
  // The dev login page names the account by what was typed; findAccount turns it into claims.
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    issuer,
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
