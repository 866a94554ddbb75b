import { describe, expect, it } from 'vitest';
import { checkNewVersion, idMapping } from './versioning.js';
import { importTemplate } from './import.js';
import { mustParse, rubric, rubricInput } from '../test-fixtures.js';
import type { LeveledTemplate } from './schema.js';

function nextVersion(edit: (t: any) => void) {
  const t = structuredClone(rubricInput) as any;
  t.version = 2;
  edit(t);
  return mustParse(t) as LeveledTemplate;
}

describe('template versions', () => {
  it('allows adding and retiring indicators, and maps ids', () => {
    const v2 = nextVersion((t) => {
      t.sections[0].indicators[0].retired = true;
      t.sections[0].indicators.push({ id: 's1.5', number: '5', text: 'New indicator.' });
      t.sections[0].indicators.push({ id: 's1.6', number: '6', text: 'Replaces s1.2.' });
      t.sections[0].indicators.splice(1, 1);
      t.replaces = { 's1.2': 's1.6' };
    });
    expect(checkNewVersion(rubric, v2)).toEqual([]);
    const map = idMapping(rubric, v2);
    expect(map.get('s1.1')).toBeNull();
    expect(map.get('s1.2')).toBe('s1.6');
    expect(map.get('s1.4')).toBe('s1.4');
  });

  it('refuses dropping an indicator silently', () => {
    const v2 = nextVersion((t) => t.sections[0].indicators.splice(0, 1));
    expect(checkNewVersion(rubric, v2)[0]?.message).toMatch(/"s1.1" \(.*\) is missing/);
  });

  it('never lets a retired or replaced id come back', () => {
    const v2 = nextVersion((t) => (t.sections[0].indicators[0].retired = true));
    const v3 = mustParse({ ...structuredClone(rubricInput), version: 3 }) as LeveledTemplate;
    expect(checkNewVersion(v2, v3)[0]?.message).toMatch(
      /"s1.1" \(.*\) was retired in version 2 of "test-rubric"/,
    );
  });

  it('requires a higher version and the same id and kind', () => {
    const same = mustParse(structuredClone(rubricInput));
    expect(checkNewVersion(rubric, same).map((i) => i.path)).toEqual(['version']);
    const other = mustParse({ ...structuredClone(rubricInput), id: 'other', version: 2 });
    expect(checkNewVersion(rubric, other).map((i) => i.path)).toEqual(['id']);
  });

  it('refuses a replacement that reuses an existing id', () => {
    const v2 = nextVersion((t) => {
      t.sections[0].indicators.splice(0, 1);
      t.replaces = { 's1.1': 's1.2' };
    });
    expect(checkNewVersion(rubric, v2)[0]?.message).toMatch(/already existed/);
  });
});

describe('importTemplate', () => {
  it('imports a new template at version 1 from JSON text', () => {
    const r = importTemplate(JSON.stringify({ ...rubricInput, id: 'my-rubric' }), {
      existing: [rubric],
    });
    expect(r.ok && r.value.id).toBe('my-rubric');
  });

  it('refuses a first import that claims to be version 2', () => {
    const r = importTemplate({ ...rubricInput, id: 'my-rubric', version: 2 }, { existing: [] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.path).toBe('version');
  });

  it('checks a new version against the latest stored one', () => {
    const r = importTemplate(structuredClone(rubricInput), { existing: [rubric] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toMatch(/greater than the current version 1/);
  });

  it('passes parse errors through with paths', () => {
    const r = importTemplate('{', { existing: [] });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.issues[0]).toMatchObject({
        path: '(root)',
        message: expect.stringMatching(/not valid JSON/),
      });
  });
});
