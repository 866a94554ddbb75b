import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS, START_ENTRY } from './node-flags.js';

describe('NODE_FLAGS', () => {
  it('are what `pnpm start` runs the server with', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      scripts: { start: string };
    };
    expect(pkg.scripts.start).toBe(['node', ...NODE_FLAGS, START_ENTRY].join(' '));
  });

  it('are flags node accepts', async () => {
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync(process.execPath, [...NODE_FLAGS, '-e', 'process.exit(0)']);
    expect(run.stderr.toString()).toBe('');
    expect(run.status).toBe(0);
  });
});
