import { describe, expect, it } from 'vitest';
import { checkNewVersion } from './versioning.js';
import { importTemplate } from './import.js';
import { mustParse, rubric, rubricInput } from '../test-fixtures.js';
import type { LeveledTemplate, Template } from './schema.js';

/** A version of the test rubric with section s1's indicators edited. */
function version(n: number, edit: (indicators: any[], t: any) => void): LeveledTemplate {
  const t = structuredClone(rubricInput) as any;
  t.version = n;
  edit(t.sections[0].indicators, t);
  return mustParse(t) as LeveledTemplate;
}

// v2 retires s1.1; v3 leaves it out altogether (allowed: a retired indicator need not be listed).
const v2 = version(2, (inds) => (inds[0].retired = true));
const v3 = version(3, (inds) => inds.splice(0, 1));
// v4 gives s1.1 to a different indicator.
const v4 = version(4, (inds) =>
  inds.splice(0, 1, { id: 's1.1', number: '9', text: 'Something else.' }),
);

describe('an indicator id keeps its meaning across the whole lineage', () => {
  it('refuses reusing an id retired two versions earlier (was: accepted, compared with v3 only)', () => {
    const lineage: Template[] = [rubric, v2, v3];
    expect(checkNewVersion(v2, v3, lineage)).toEqual([]);
    const issues = checkNewVersion(v3, v4, lineage);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      path: 'sections[0].indicators[0].id',
      where: 'section "s1" (sections[0]), indicator "s1.1" (indicators[0]), field "id"',
    });
    expect(issues[0]?.message).toMatch(
      /indicator id "s1.1" .* was retired in version 2 of "test-rubric"; .*Give this indicator a new id/,
    );
  });

  it('importTemplate compares with every stored version, not only the latest', () => {
    const r = importTemplate(
      (() => {
        const t = structuredClone(rubricInput) as any;
        t.version = 4;
        t.sections[0].indicators.splice(0, 1, { id: 's1.1', number: '9', text: 'Something else.' });
        return t;
      })(),
      { existing: [v3, rubric, v2] },
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toMatch(/"s1.1" .* was retired in version 2/);
  });

  it('refuses reusing an id replaced two versions earlier, naming the replacement', () => {
    const r2 = version(2, (inds, t) => {
      inds.splice(1, 1, { id: 's1.6', number: '6', text: 'Replaces s1.2.' });
      t.replaces = { 's1.2': 's1.6' };
    });
    const r3 = version(3, (inds) =>
      inds.splice(1, 1, { id: 's1.6', number: '6', text: 'Replaces s1.2.' }),
    );
    const r4 = version(
      4,
      (inds) =>
        inds.push({ id: 's1.2', number: '2', text: 'New meaning.' }) &&
        inds.splice(1, 1, { id: 's1.6', number: '6', text: 'Replaces s1.2.' }),
    );
    const lineage = [rubric, r2, r3];
    expect(checkNewVersion(r2, r3, lineage)).toEqual([]);
    const issues = checkNewVersion(r3, r4, lineage);
    expect(issues[0]?.message).toMatch(
      /"s1.2" .* was replaced by "s1.6" in version 2 of "test-rubric"/,
    );
  });
});
