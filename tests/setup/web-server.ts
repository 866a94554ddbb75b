/**
 * Vitest globalSetup: one production web server for the whole run. Its URL reaches the tests
 * through `inject('webUrl')`; teardown stops it by its pid.
 */
import type { TestProject } from 'vitest/node';
import { startWebServer } from './server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    webUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startWebServer();
  project.provide('webUrl', server.url);
  return async () => {
    await server.stop();
  };
}
