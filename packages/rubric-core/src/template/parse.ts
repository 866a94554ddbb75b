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

function fromZod(error: z.ZodError): TemplateIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/** One line per issue, for a CLI or a form error summary. */
export function describeIssues(issues: readonly TemplateIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('\n');
}

function checkSections(template: Template & { kind: 'rubric' | 'checklist' }): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const ids = new Map<string, string>();
  const refSources = new Set((template.referenceSources ?? []).map((r) => r.id));

  const claim = (id: string, path: string) => {
    const first = ids.get(id);
    if (first !== undefined) {
      issues.push({ path, message: `id "${id}" is already used at ${first}; ids must be unique` });
    } else {
      ids.set(id, path);
    }
  };

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
  const lists = {
    areas: template.areas,
    themes: template.themes,
    phases: template.phases,
    metricGroups: template.metricGroups,
    subgroups: template.subgroups,
    goalStatuses: template.goalStatuses,
  } as const;
  for (const [name, list] of Object.entries(lists)) {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      if (seen.has(item.id)) {
        issues.push({ path: `${name}[${i}].id`, message: `id "${item.id}" is already used` });
      }
      seen.add(item.id);
    });
  }
  return issues;
}

/** Validates untrusted JSON as a template. Never throws. */
export function parseTemplate(input: unknown): ParseResult<Template> {
  const parsed = TemplateSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: fromZod(parsed.error) };
  const template = parsed.data;
  const issues = template.kind === 'plan' ? checkPlan(template) : checkSections(template);
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

export function parseGuidance(input: unknown): ParseResult<Guidance> {
  const parsed = GuidanceSchema.safeParse(input);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, issues: fromZod(parsed.error) };
}
