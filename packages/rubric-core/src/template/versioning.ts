/**
 * Template versions. Stored ratings point at indicator ids, so a new version may add indicators
 * and retire old ones (kept with `retired: true`, or replaced through `replaces`), but an id
 * that was ever published is never given to a different indicator: a retired or replaced id
 * cannot come back as active. `idMapping` tells how ratings on the old version carry over.
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

/**
 * Checks that `next` is a valid successor of `prev`. Returns the issues found (empty when valid).
 */
export function checkNewVersion(prev: Template, next: Template): TemplateIssue[] {
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
  // Ids retired or replaced at any earlier version stay dead.
  const dead = new Set([...before].filter(([, i]) => i.retired).map(([id]) => id));
  for (const old of Object.keys(prev.replaces ?? {})) dead.add(old);

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
    if (!ind.retired && (dead.has(id) || replacedOld.has(id))) {
      const at = afterAt.get(id)!;
      issues.push({
        path: `${at.path}.id`,
        where: `${at.where}, field "id"`,
        message: `indicator id "${id}" (at ${at.where}, field "id") was retired or replaced and cannot be used again; choose a new id`,
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
