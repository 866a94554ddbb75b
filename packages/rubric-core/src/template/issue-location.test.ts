import { describe, expect, it } from 'vitest';
import { describeIssues, parseTemplate } from './parse.js';
import { checkNewVersion } from './versioning.js';
import { importTemplate } from './import.js';
import { mustParse, rubric, rubricInput } from '../test-fixtures.js';
import type { LeveledTemplate } from './schema.js';

const clone = () => structuredClone(rubricInput) as Record<string, any>;

function issuesOf(input: unknown) {
  const r = parseTemplate(input);
  if (r.ok) throw new Error('expected the template to be refused');
  return r.issues;
}

describe('template issues name the section, the indicator (id and index) and the field', () => {
  it('for a shape error deep in the sections', () => {
    const t = clone();
    t.sections[1].sections[0].indicators[0].text = 5;
    expect(issuesOf(t)[0]).toEqual({
      path: 'sections[1].sections[0].indicators[0].text',
      where:
        'section "s2" (sections[1]), section "s2.a" (sections[1].sections[0]), indicator "s2.a.1" (indicators[0]), field "text"',
      message: expect.stringMatching(/string/),
    });
    expect(describeIssues(issuesOf(t))).toMatch(/indicator "s2.a.1" \(indicators\[0\]\)/);
  });

  it('for a rule checked after the shape (duplicate id, descriptor level)', () => {
    const t = clone();
    t.sections[0].indicators[0].descriptors = [{ level: 7, text: ['x'] }];
    const [issue] = issuesOf(t);
    expect(issue?.where).toBe(
      'section "s1" (sections[0]), indicator "s1.1" (indicators[0]), field "descriptors[0].level"',
    );
  });

  it('for an indicator without a usable id', () => {
    const t = clone();
    t.sections[0].indicators[1].id = 'Bad Id';
    expect(issuesOf(t)[0]?.where).toBe(
      'section "s1" (sections[0]), indicator "Bad Id" (indicators[1]), field "id"',
    );
  });

  it('for a new version that reuses a retired id or drops one (was: path "sections" only)', () => {
    const v2 = mustParse({
      ...clone(),
      version: 2,
      sections: clone().sections.map((s: any, i: number) =>
        i === 0
          ? { ...s, indicators: [{ ...s.indicators[0], retired: true }, ...s.indicators.slice(1)] }
          : s,
      ),
    }) as LeveledTemplate;
    const v3 = mustParse({ ...clone(), version: 3 }) as LeveledTemplate;
    const [reuse] = checkNewVersion(v2, v3);
    expect(reuse).toMatchObject({
      path: 'sections[0].indicators[0].id',
      where: 'section "s1" (sections[0]), indicator "s1.1" (indicators[0]), field "id"',
    });
    const dropped = mustParse({
      ...clone(),
      version: 2,
      sections: clone().sections.map((s: any, i: number) =>
        i === 1 ? { ...s, indicators: [] } : s,
      ),
    }) as LeveledTemplate;
    const [missing] = checkNewVersion(rubric, dropped);
    expect(missing?.where).toBe(
      'indicator "s2.1", in version 1 at section "s2" (sections[1]), indicator "s2.1" (indicators[0])',
    );
    expect(missing?.message).toMatch(/"s2.1" \(in version 1 at section "s2" \(sections\[1\]\)/);
  });
});

describe('a clash with a built-in template id', () => {
  it('names the built-in and says what to do (new template at version 1)', () => {
    const r = importTemplate({ ...clone(), id: 'ma-pln-district-conditions' }, { existing: [] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]?.path).toBe('id');
    expect(r.issues[0]?.message).toMatch(
      /built-in template "MA Personalized Learning District Conditions Rubric"; .*give it an id of its own \(e.g. "ma-pln-district-conditions-custom"\)/,
    );
  });

  it('names the built-in ahead of the version issues when the built-in is stored', () => {
    const builtin = mustParse({ ...clone(), id: 'schoolworks-prerequisites' });
    const r = importTemplate(
      { ...clone(), id: 'schoolworks-prerequisites' },
      { existing: [builtin] },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).toEqual(['id', 'version']);
    expect(r.issues[0]?.message).toMatch(/Prerequisites to Launch"; .*set "version" above 1/);
  });
});
