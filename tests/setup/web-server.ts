/**
 * Vitest globalSetup: one production host for the whole run (`npm start`'s one process: the sync
 * server and the web app), on its own scratch PostgreSQL database with no demo seed, with single
 * sign-on pointed at a real OpenID provider (oidc-provider) on loopback. URLs reach the tests
 * through `inject(...)`; teardown stops the host by its pid, then the provider, then drops the
 * database.
 */
import { randomBytes } from 'node:crypto';
import { createScratchDatabase } from '@concord/db/testing';
import type { TestProject } from 'vitest/node';
import { startOidcProvider } from '../support/oidc-provider.js';
import { freePort, startWebServer } from './server.js';

/** The button label the web app shows: "Sign in with Concord Test SSO". */
export const TEST_OIDC_NAME = 'Concord Test SSO';

declare module 'vitest' {
  export interface ProvidedContext {
    webUrl: string;
    /** The sync server's WebSocket base, `ws://127.0.0.1:<port>/sync` (tickets name the same). */
    syncUrl: string;
    /** The web server's database, for tests that check what was stored. */
    databaseUrl: string;
    oidcIssuer: string;
    oidcName: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const database = await createScratchDatabase('concord_e2e');
  const stops: (() => Promise<void>)[] = [() => database.drop()];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const webPort = await freePort();
    const oidc = await startOidcProvider({
      port: await freePort(),
      redirectUri: `http://127.0.0.1:${webPort}/auth/oidc/callback`,
    });
    stops.push(() => oidc.stop());
    const server = await startWebServer({
      port: webPort,
      env: {
        DATABASE_URL: database.url,
        DEMO_SEED: 'off',
        SYNC_TICKET_SECRET: randomBytes(32).toString('base64url'),
        OIDC_ISSUER: oidc.issuer,
        OIDC_CLIENT_ID: oidc.clientId,
        OIDC_CLIENT_SECRET: oidc.clientSecret,
        OIDC_NAME: TEST_OIDC_NAME,
      },
    });
    stops.push(() => server.stop());
    project.provide('webUrl', server.url);
    project.provide('syncUrl', server.syncUrl);
    project.provide('databaseUrl', database.url);
    project.provide('oidcIssuer', oidc.issuer);
    project.provide('oidcName', TEST_OIDC_NAME);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
