import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ACTIONS_WITH_CONTROLS,
  ROLES,
  WORKSPACE_ACTION_NAMES,
  can,
  hasControl,
  documentCapabilities,
  renderRoleTables,
  roleChangeProblem,
} from './roles.js';

describe('workspace actions', () => {
  it('gives viewers nothing that changes the workspace', () => {
    const viewerMay = WORKSPACE_ACTION_NAMES.filter((a) => can('viewer', a));
    expect(viewerMay).toEqual([
      'workspace.view',
      'members.view',
      'comments.write',
      'history.view',
      'dashboard.view',
    ]);
  });

  it('lets only raters rate and only owners and facilitators reveal', () => {
    expect(ROLES.filter((r) => can(r, 'ratings.rate'))).toEqual(['rater']);
    expect(ROLES.filter((r) => can(r, 'ratings.reveal'))).toEqual(['owner', 'facilitator']);
  });

  it('lets only owners start another workspace in their district', () => {
    // A viewer who started one became its owner (the demo's leadership sign-in did).
    expect(ROLES.filter((r) => can(r, 'district.add-workspace'))).toEqual(['owner']);
  });

  it('names only real actions as having controls, in table order, none of the ones still to come', () => {
    expect(WORKSPACE_ACTION_NAMES.filter(hasControl)).toEqual([...ACTIONS_WITH_CONTROLS]);
    // No control exists yet for these; each comes back with the feature that adds it.
    for (const missing of [
      'workspace.edit',
      'workspace.export',
      'workspace.delete',
      'documents.create',
      'templates.import',
      'consensus.record',
      'plan.edit',
      'history.view',
      'history.restore',
      'dashboard.view',
    ] as const) {
      expect(hasControl(missing), missing).toBe(false);
    }
  });

  it('keeps making and unmaking owners to owners', () => {
    expect(roleChangeProblem('owner', 'rater', 'owner')).toBeNull();
    expect(roleChangeProblem('facilitator', 'rater', 'viewer')).toBeNull();
    expect(roleChangeProblem('facilitator', 'rater', 'owner')).toBe('owner-only');
    expect(roleChangeProblem('facilitator', 'owner', null)).toBe('owner-only');
    expect(roleChangeProblem('rater', 'viewer', 'rater')).toBe('not-allowed');
  });
});

describe('document capabilities', () => {
  const me = (role: (typeof ROLES)[number]) => ({ userId: 'u1', role });

  it('keeps a ratings document blind until reveal', () => {
    const others = { kind: 'ratings', ownerId: 'u2', revealed: false } as const;
    for (const role of ROLES) expect(documentCapabilities(me(role), others)).toEqual([]);
    const mine = { kind: 'ratings', ownerId: 'u1', revealed: false } as const;
    expect(documentCapabilities(me('rater'), mine)).toEqual(['read', 'write', 'awareness']);
  });

  it('freezes ratings after reveal and lets every member read them', () => {
    for (const ownerId of ['u1', 'u2']) {
      for (const role of ROLES) {
        expect(
          documentCapabilities(me(role), { kind: 'ratings', ownerId, revealed: true }),
        ).toEqual(['read']);
      }
    }
  });

  it('lets viewers watch but never write shared work documents', () => {
    for (const kind of ['prerequisites', 'assessment', 'plan'] as const) {
      const caps = documentCapabilities(me('viewer'), { kind, ownerId: null, revealed: false });
      expect(caps).not.toContain('write');
      expect(caps).toContain('read');
    }
  });
});

describe('docs/ROLES.md', () => {
  it('holds the tables rendered from this module', () => {
    const doc = readFileSync(new URL('../../../docs/ROLES.md', import.meta.url), 'utf8');
    const begin = '<!-- roles:begin (generated from packages/auth/src/roles.ts) -->\n';
    const end = '<!-- roles:end -->';
    const inside = doc.slice(doc.indexOf(begin) + begin.length, doc.indexOf(end));
    expect(doc).toContain(begin);
    // Prettier pads markdown tables; compare cell by cell.
    const cells = (md: string) =>
      md
        .trim()
        .split('\n')
        .map((line) =>
          line
            .split('|')
            .map((c) => c.trim().replace(/^-+$/, '---'))
            .join('|'),
        );
    expect(cells(inside)).toEqual(cells(renderRoleTables()));
  });
});
