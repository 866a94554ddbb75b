import { describe, expect, it } from 'vitest';
import { describeIssues, parseTemplate, parseTemplateJson } from './parse.js';
import { rubricInput } from '../test-fixtures.js';

const clone = () => structuredClone(rubricInput) as Record<string, any>;

function issuesOf(input: unknown) {
  const r = parseTemplate(input);
  if (r.ok) throw new Error('expected the template to be refused');
  return r.issues;
}

describe('parseTemplate', () => {
  it('accepts a valid template and applies defaults', () => {
    const r = parseTemplate(rubricInput);
    expect(r.ok).toBe(true);
    if (!r.ok || r.value.kind === 'plan') return;
    expect(r.value.scale.measurement).toBe('ordinal');
    expect(r.value.sections[0]?.scored).toBe(true);
  });

  it('names the path of a missing field', () => {
    const t = clone();
    delete t.sections[0].indicators[1].text;
    expect(issuesOf(t)).toEqual([
      {
        path: 'sections[0].indicators[1].text',
        where: 'section "s1" (sections[0]), indicator "s1.2" (indicators[1]), field "text"',
        message: expect.stringMatching(/string/),
      },
    ]);
  });

  it('refuses unknown fields, so typos do not vanish silently', () => {
    const t = clone();
    t.sections[0].indicators[0].descripton = 'typo';
    expect(issuesOf(t)[0]).toMatchObject({ path: 'sections[0].indicators[0]' });
    expect(issuesOf(t)[0]?.message).toMatch(/descripton/);
  });

  it('refuses a bad id with a hint', () => {
    const t = clone();
    t.sections[0].indicators[0].id = 'Has Spaces';
    expect(issuesOf(t)[0]).toEqual({
      path: 'sections[0].indicators[0].id',
      where: 'section "s1" (sections[0]), indicator "Has Spaces" (indicators[0]), field "id"',
      message: expect.stringContaining('lowercase'),
    });
  });

  it('refuses duplicate ids anywhere in the tree', () => {
    const t = clone();
    t.sections[1].sections[0].indicators[0].id = 's1.2';
    expect(issuesOf(t)).toEqual([
      {
        path: 'sections[1].sections[0].indicators[0].id',
        where:
          'section "s2" (sections[1]), section "s2.a" (sections[1].sections[0]), indicator "s1.2" (indicators[0]), field "id"',
        message: 'id "s1.2" is already used at sections[0].indicators[1].id; ids must be unique',
      },
    ]);
  });

  it('refuses levels out of order, duplicate labels and too few levels', () => {
    const t = clone();
    t.scale.levels[2].value = 1;
    t.scale.levels[3].label = 'Area of Concern';
    const paths = issuesOf(t).map((i) => i.path);
    expect(paths).toContain('scale.levels[2].value');
    expect(paths).toContain('scale.levels[3].label');
    const t2 = clone();
    t2.scale = { levels: [{ value: 1, label: 'Only' }] };
    expect(issuesOf(t2)[0]?.message).toBe('a scale needs at least 2 levels');
  });

  it('refuses a readyAt that is not a level', () => {
    const t = clone();
    t.scale.readyAt = 9;
    expect(issuesOf(t)[0]?.path).toBe('scale.readyAt');
  });

  it('checks descriptors against the applicable scale', () => {
    const t = clone();
    t.sections[2].indicators[0].descriptors = [{ level: 3, text: ['x'] }];
    expect(issuesOf(t)).toEqual([
      {
        path: 'sections[2].indicators[0].descriptors[0].level',
        where:
          'section "auto" (sections[2]), indicator "auto.1" (indicators[0]), field "descriptors[0].level"',
        message: "level 3 is not on this section's scale (0, 1)",
      },
    ]);
  });

  it('checks references against declared sources', () => {
    const t = clone();
    t.sections[0].indicators[0].references = [{ source: 'ccsso', code: 'II.3.a' }];
    expect(issuesOf(t)[0]?.message).toMatch(/unknown reference source "ccsso"/);
    t.referenceSources = [{ id: 'ccsso', title: 'CCSSO' }];
    expect(parseTemplate(t).ok).toBe(true);
  });

  it('allows blocksLaunch only on checklists, and requires it there', () => {
    const t = clone();
    t.scale.levels[0].blocksLaunch = true;
    expect(issuesOf(t)[0]?.path).toBe('scale.levels[0].blocksLaunch');
    const c = clone();
    c.kind = 'checklist';
    expect(issuesOf(c)[0]).toMatchObject({ path: 'scale.levels' });
  });

  it('refuses an unknown kind and non-objects', () => {
    expect(issuesOf({ ...clone(), kind: 'survey' })[0]?.path).toBe('kind');
    expect(issuesOf(42)[0]?.path).toBe('(root)');
  });

  it('reports invalid JSON as an issue', () => {
    const r = parseTemplateJson('{"id": ');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(describeIssues(r.issues)).toMatch(/^\(root\): not valid JSON/);
  });
});
