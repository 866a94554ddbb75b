import { describe, expect, it } from 'vitest';
import { builtinTemplates, getBuiltinTemplate, guidance } from './index.js';
import { outline } from '../template/outline.js';

describe('built-in templates', () => {
  it('has every seed template, once, in setup order', () => {
    expect(builtinTemplates.map((t) => [t.id, t.kind])).toEqual([
      ['schoolworks-prerequisites', 'checklist'],
      ['ma-pln-district-conditions', 'rubric'],
      ['ma-pln-school-planning', 'rubric'],
      ['schoolworks-fundamental-practices', 'rubric'],
      ['knowledgeworks-plan', 'plan'],
    ]);
  });

  it('finds a template by id', () => {
    expect(getBuiltinTemplate('ma-pln-school-planning')?.title).toMatch(/School Planning Tool/);
    expect(getBuiltinTemplate('nope')).toBeUndefined();
  });

  it('gives the seed counts of rated indicators', () => {
    const rated = (id: string) => {
      const t = getBuiltinTemplate(id);
      if (!t || t.kind === 'plan') throw new Error(id);
      return outline(t).entries.filter((e) => e.scored).length;
    };
    expect(rated('ma-pln-district-conditions')).toBe(28);
    expect(rated('ma-pln-school-planning')).toBe(35 + 48);
    expect(rated('schoolworks-prerequisites')).toBe(8);
    expect(rated('schoolworks-fundamental-practices')).toBe(16);
  });

  it('loads the guidance with the pitfalls as a facilitator check', () => {
    expect(guidance.groups.find((g) => g.use === 'check')?.entries.length).toBeGreaterThan(0);
  });
});

describe('built-in ids known to import', () => {
  it('BUILTIN_TEMPLATE_TITLES lists every built-in with its title', async () => {
    const { BUILTIN_TEMPLATE_TITLES } = await import('../template/builtin-ids.js');
    expect(BUILTIN_TEMPLATE_TITLES).toEqual(
      Object.fromEntries(builtinTemplates.map((t) => [t.id, t.title])),
    );
  });
});
