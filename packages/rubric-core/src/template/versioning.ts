/**
 * Template versions. Stored ratings point at indicator ids, so a new version may add indicators
 * and retire old ones (kept with `retired: true`, or replaced through `replaces`), but an id
 * that was ever published is never given to a different indicator: a retired or replaced id
 * cannot come back as active, in any later version (checked against the whole lineage). `idMapping` tells how ratings on the old version carry over.
 */
import type { Indicator, LeveledTemplate, Section, Template } from './schema.js';
import type { TemplateIssue } from './parse.js';

/** An indicator with where it sits: its JSON path and a description naming section and indicator. */
interface Located {
  indicator: Indicator;
  /** e.g. `sections[0].indicators[2]` */
  path: string;
  /** e.g. `section "s1" (sections[0]), indicator "s1.4" (indicators[2])` */
  where: string;
}

function located(template: LeveledTemplate): Map<string, Located> {
  const out = new Map<string, Located>();
  const walk = (sections: readonly Section[], base: string) => {
    sections.forEach((s, si) => {
      const sPath = `${base}[${si}]`;
      s.indicators.forEach((indicator, ii) => {
        out.set(indicator.id, {
          indicator,
          path: `${sPath}.indicators[${ii}]`,
          where: `section "${s.id}" (${sPath}), indicator "${indicator.id}" (indicators[${ii}])`,
        });
      });
      walk(s.sections, `${sPath}.sections`);
    });
  };
  walk(template.sections, 'sections');
  return out;
}

function indicators(template: LeveledTemplate): Map<string, Indicator> {
  return new Map([...located(template)].map(([id, l]) => [id, l.indicator]));
}

/** How an id left the lineage: the first version that retired or replaced it. */
interface Retirement {
  version: number;
  /** The replacement, when it was mapped in `replaces`. */
  by?: string;
}

/**
 * Every indicator id retired (`retired: true`) or replaced (a key of `replaces`) in any version of
 * the lineage, with the first version that did so. Reading the whole lineage, not only the latest
 * version, matters because a later version may leave a retired indicator out altogether.
 */
function retirements(lineage: readonly Template[]): Map<string, Retirement> {
  const out = new Map<string, Retirement>();
  const ordered = [...lineage].sort((a, b) => a.version - b.version);
  for (const t of ordered) {
    if (t.kind === 'plan') continue;
    for (const [old, by] of Object.entries(t.replaces ?? {})) {
      if (!out.has(old)) out.set(old, { version: t.version, by });
    }
    for (const [id, ind] of indicators(t)) {
      if (ind.retired && !out.has(id)) out.set(id, { version: t.version });
    }
  }
  return out;
}

/**
 * Checks that `next` is a valid successor of `prev`. Returns the issues found (empty when valid).
 * `lineage` is every stored version of the template (`prev` among them; `importTemplate` passes
 * them all): an id retired or replaced in any of them keeps that meaning forever and is never
 * given to another indicator, even when later versions no longer list it.
 */
export function checkNewVersion(
  prev: Template,
  next: Template,
  lineage: readonly Template[] = [prev],
): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  if (next.id !== prev.id) {
    issues.push({ path: 'id', message: `a new version must keep the id "${prev.id}"` });
  }
  if (next.kind !== prev.kind) {
    issues.push({ path: 'kind', message: `a new version must keep the kind "${prev.kind}"` });
  }
  if (next.version <= prev.version) {
    issues.push({
      path: 'version',
      message: `must be greater than the current version ${prev.version}`,
    });
  }
  if (issues.length > 0 || next.kind === 'plan' || prev.kind === 'plan') return issues;

  const beforeAt = located(prev as LeveledTemplate);
  const afterAt = located(next as LeveledTemplate);
  const before = new Map([...beforeAt].map(([id, l]) => [id, l.indicator]));
  const after = new Map([...afterAt].map(([id, l]) => [id, l.indicator]));
  const replaces = next.replaces ?? {};
  const replacedOld = new Set(Object.keys(replaces));
  // Ids retired or replaced at any earlier version of the lineage stay dead.
  const dead = retirements(lineage.some((t) => t === prev) ? lineage : [...lineage, prev]);

  for (const [id, ind] of before) {
    if (ind.retired || replacedOld.has(id)) continue;
    if (!after.has(id)) {
      const was = beforeAt.get(id)!;
      issues.push({
        path: 'sections',
        where: `indicator "${id}", in version ${prev.version} at ${was.where}`,
        message: `indicator "${id}" (in version ${prev.version} at ${was.where}, field "id") is missing from version ${next.version}; keep it there with "retired": true, or map it to its replacement in "replaces"`,
      });
    }
  }
  for (const [id, ind] of after) {
    if (ind.retired) continue;
    const at = afterAt.get(id)!;
    const gone = dead.get(id);
    if (gone) {
      const how =
        gone.by !== undefined
          ? `replaced by "${gone.by}" in version ${gone.version}`
          : `retired in version ${gone.version}`;
      issues.push({
        path: `${at.path}.id`,
        where: `${at.where}, field "id"`,
        message: `indicator id "${id}" (at ${at.where}, field "id") was ${how} of "${prev.id}"; an id keeps its meaning for good, so ratings on the old indicator never attach to this one. Give this indicator a new id`,
      });
    } else if (replacedOld.has(id)) {
      issues.push({
        path: `${at.path}.id`,
        where: `${at.where}, field "id"`,
        message: `indicator id "${id}" (at ${at.where}, field "id") is replaced in "replaces" of this version and cannot also stay active; give this indicator a new id or drop it from "replaces"`,
      });
    }
  }
  for (const [old, neu] of Object.entries(replaces)) {
    if (!before.has(old) && !(prev.replaces && old in prev.replaces)) {
      issues.push({
        path: `replaces.${old}`,
        message: `"${old}" is not an indicator of version ${prev.version}`,
      });
    }
    const target = after.get(neu);
    if (!target || target.retired) {
      issues.push({
        path: `replaces.${old}`,
        message: `"${neu}" is not an active indicator of this version`,
      });
    } else if (before.has(neu)) {
      issues.push({
        path: `replaces.${old}`,
        message: `"${neu}" already existed in version ${prev.version}; a replacement needs a new id`,
      });
    }
  }
  return issues;
}

/**
 * How ratings on `prev` carry over to `next`: kept ids map to themselves, replaced ids to their
 * replacement, retired ids to null.
 */
export function idMapping(
  prev: LeveledTemplate,
  next: LeveledTemplate,
): Map<string, string | null> {
  const after = indicators(next);
  const replaces = next.replaces ?? {};
  const map = new Map<string, string | null>();
  for (const [id, ind] of indicators(prev)) {
    if (ind.retired) continue;
    const target = replaces[id];
    if (target !== undefined) map.set(id, target);
    else map.set(id, after.has(id) && !after.get(id)!.retired ? id : null);
  }
  return map;
}
