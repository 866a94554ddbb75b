/**
 * Parsing a template from untrusted JSON: shape (schema.ts) plus the rules a schema cannot say
 * locally (unique ids across the whole tree, descriptors pointing at real levels, references to
 * declared sources). Returns errors as values, each naming the JSON path and what to do.
 */
import type { z } from 'zod';
import {
  GuidanceSchema,
  TemplateSchema,
  type Guidance,
  type Scale,
  type Section,
  type Template,
} from './schema.js';

export interface TemplateIssue {
  /** JSON path to the offending value, e.g. `sections[0].indicators[3].id`. */
  path: string;
  /**
   * The same place in words, naming sections and indicators by id as well as index, e.g.
   * `section "s1" (sections[0]), indicator "s1.4" (indicators[3]), field "id"`. Present for
   * issues inside `sections` (and wherever ids make the place clearer than indices).
   */
  where?: string;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: TemplateIssue[] };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

const idOf = (node: unknown): string | undefined => {
  if (typeof node !== 'object' || node === null) return undefined;
  const id = (node as { id?: unknown }).id;
  return typeof id === 'string' && id !== '' ? id : undefined;
};

/**
 * Describes a path inside `sections` by the ids found in `input` along it: each section and
 * indicator with its id and index, then the field. Undefined for paths outside `sections`.
 */
export function describeWhere(input: unknown, path: readonly PropertyKey[]): string | undefined {
  if (path[0] !== 'sections') return undefined;
  const parts: string[] = [];
  let node: unknown = input;
  let base = '';
  let field: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const next = path[i + 1];
    node =
      typeof node === 'object' && node !== null
        ? (node as Record<PropertyKey, unknown>)[key]
        : undefined;
    if (
      (key === 'sections' || key === 'indicators') &&
      typeof next === 'number' &&
      field.length === 0
    ) {
      const child: unknown = Array.isArray(node) ? node[next] : undefined;
      const kind = key === 'sections' ? 'section' : 'indicator';
      const where = key === 'sections' ? `${base}sections[${next}]` : `indicators[${next}]`;
      const id = idOf(child);
      parts.push(id ? `${kind} "${id}" (${where})` : `${kind} ${where} (no valid id)`);
      base = `${base}sections[${next}].`;
      node = child;
      i++;
      continue;
    }
    field = [...field, typeof key === 'number' ? `[${key}]` : String(key)];
  }
  if (field.length > 0) parts.push(`field "${field.join('.').replace(/\.\[/g, '[')}"`);
  return parts.join(', ');
}

function fromZod(error: z.ZodError, input: unknown): TemplateIssue[] {
  return error.issues.map((issue) => {
    const where = describeWhere(input, issue.path);
    return {
      path: formatPath(issue.path),
      ...(where ? { where } : {}),
      message: issue.message,
    };
  });
}

/** Adds `where` to issues inside `sections` that lack one, from their path. */
function withWhere(input: unknown, issues: TemplateIssue[]): TemplateIssue[] {
  return issues.map((issue) => {
    if (issue.where !== undefined || !issue.path.startsWith('sections')) return issue;
    const keys: PropertyKey[] = [];
    for (const m of issue.path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
      keys.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
    }
    const where = describeWhere(input, keys);
    return where ? { ...issue, where } : issue;
  });
}

/** One line per issue, for a CLI or a form error summary. */
export function describeIssues(issues: readonly TemplateIssue[]): string {
  return issues.map((i) => `${i.path}${i.where ? ` (${i.where})` : ''}: ${i.message}`).join('\n');
}

/** Records ids as they are met and reports a second use of one, naming where it was first used. */
function uniqueIds(issues: TemplateIssue[]): (id: string, path: string) => void {
  const seen = new Map<string, string>();
  return (id, path) => {
    const first = seen.get(id);
    if (first !== undefined) {
      issues.push({ path, message: `id "${id}" is already used at ${first}; ids must be unique` });
    } else {
      seen.set(id, path);
    }
  };
}

function checkSections(template: Template & { kind: 'rubric' | 'checklist' }): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const refSources = new Set((template.referenceSources ?? []).map((r) => r.id));
  const claim = uniqueIds(issues);

  const walk = (sections: readonly Section[], base: string, inherited: Scale) => {
    sections.forEach((section, si) => {
      const sPath = `${base}[${si}]`;
      claim(section.id, `${sPath}.id`);
      const scale = section.scale ?? inherited;
      const values = new Set(scale.levels.map((l) => l.value));
      if (section.indicators.length === 0 && section.sections.length === 0) {
        issues.push({
          path: `${sPath}.indicators`,
          message: 'a section needs at least one indicator or sub-section',
        });
      }
      section.indicators.forEach((ind, ii) => {
        const iPath = `${sPath}.indicators[${ii}]`;
        claim(ind.id, `${iPath}.id`);
        const seen = new Set<number>();
        ind.descriptors?.forEach((d, di) => {
          if (!values.has(d.level)) {
            issues.push({
              path: `${iPath}.descriptors[${di}].level`,
              message: `level ${d.level} is not on this section's scale (${[...values].join(', ')})`,
            });
          }
          if (seen.has(d.level)) {
            issues.push({
              path: `${iPath}.descriptors[${di}].level`,
              message: `a descriptor for level ${d.level} is already given`,
            });
          }
          seen.add(d.level);
        });
        ind.references?.forEach((r, ri) => {
          if (!refSources.has(r.source)) {
            issues.push({
              path: `${iPath}.references[${ri}].source`,
              message: `unknown reference source "${r.source}"; declare it in referenceSources`,
            });
          }
        });
      });
      walk(section.sections, `${sPath}.sections`, scale);
    });
  };
  walk(template.sections, 'sections', template.scale);

  if (template.kind === 'rubric') {
    template.outcomeMeasures?.forEach((group, gi) => {
      claim(group.id, `outcomeMeasures[${gi}].id`);
      group.measures.forEach((m, mi) => claim(m.id, `outcomeMeasures[${gi}].measures[${mi}].id`));
    });
    template.scale.levels.forEach((level, li) => {
      if (level.blocksLaunch) {
        issues.push({
          path: `scale.levels[${li}].blocksLaunch`,
          message: 'only a checklist template can have a level that blocks launch',
        });
      }
    });
  }
  if (template.kind === 'checklist' && !template.scale.levels.some((l) => l.blocksLaunch)) {
    issues.push({
      path: 'scale.levels',
      message: 'a checklist needs at least one level with blocksLaunch: true',
    });
  }
  return issues;
}

function checkPlan(template: Template & { kind: 'plan' }): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  // Goals and metrics refer to these by id, each list in its own namespace.
  const lists = {
    areas: template.areas,
    themes: template.themes,
    phases: template.phases,
    subgroups: template.subgroups,
    goalStatuses: template.goalStatuses,
    assuranceAreas: template.assuranceAreas ?? [],
  } as const;
  for (const [name, list] of Object.entries(lists)) {
    const claim = uniqueIds(issues);
    list.forEach((item, i) => claim(item.id, `${name}[${i}].id`));
  }

  // A metric is seeded from a group or one of its indicators, so those ids share one namespace.
  const claimMetric = uniqueIds(issues);

  // Goals are phased by year: the phases are a timeline, so years ascend with none repeated.
  template.phases.forEach((phase, i) => {
    const prev = template.phases[i - 1];
    if (prev && phase.year <= prev.year) {
      issues.push({
        path: `phases[${i}].year`,
        message: `phases must be in ascending order of year, each year once (${phase.year} after ${prev.year})`,
      });
    }
  });
  const years = new Set(template.phases.map((p) => p.year));

  template.metricGroups.forEach((group, gi) => {
    claimMetric(group.id, `metricGroups[${gi}].id`);
    group.indicators.forEach((ind, ii) =>
      claimMetric(ind.id, `metricGroups[${gi}].indicators[${ii}].id`),
    );
    group.years?.forEach((year, yi) => {
      const path = `metricGroups[${gi}].years[${yi}]`;
      if (!years.has(year)) {
        issues.push({
          path,
          message: `year ${year} is not the year of any phase (${[...years].join(', ')})`,
        });
      }
      const prev = group.years?.[yi - 1];
      if (prev !== undefined && year <= prev) {
        issues.push({
          path,
          message: `years must be in ascending order, each year once (${year} after ${prev})`,
        });
      }
    });
  });
  return issues;
}

/** Validates untrusted JSON as a template. Never throws. */
export function parseTemplate(input: unknown): ParseResult<Template> {
  const parsed = TemplateSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: fromZod(parsed.error, input) };
  const template = parsed.data;
  const issues = withWhere(
    input,
    template.kind === 'plan' ? checkPlan(template) : checkSections(template),
  );
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: template };
}

/** Parses a JSON string, reporting a syntax error as an issue rather than throwing. */
export function parseTemplateJson(json: string): ParseResult<Template> {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    return {
      ok: false,
      issues: [{ path: '(root)', message: `not valid JSON: ${(e as Error).message}` }],
    };
  }
  return parseTemplate(data);
}

/** Validates untrusted JSON as guidance (glossary, guidance text, facilitator checks). Never throws. */
export function parseGuidance(input: unknown): ParseResult<Guidance> {
  const parsed = GuidanceSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: fromZod(parsed.error, input) };
  const guidance = parsed.data;
  const issues: TemplateIssue[] = [];
  // Ticks on check entries and links into the glossary are stored by id: one namespace for all.
  const claim = uniqueIds(issues);
  guidance.groups.forEach((group, gi) => {
    claim(group.id, `groups[${gi}].id`);
    group.entries.forEach((entry, ei) => {
      const path = `groups[${gi}].entries[${ei}]`;
      claim(entry.id, `${path}.id`);
      // "Strive to" / "Be wary of" only mean something on an entry a facilitator ticks off.
      if (group.use !== 'check') {
        for (const key of ['striveTo', 'bewareOf'] as const) {
          if (entry[key] !== undefined) {
            issues.push({
              path: `${path}.${key}`,
              message: `${key} is only allowed in a group with use "check" (this group is "${group.use}")`,
            });
          }
        }
      }
    });
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: guidance };
}
