/**
 * Importing a user's template: parse and validate the JSON, then, when a template with the same
 * id is already known (a built-in or an earlier import), require a valid next version of it.
 */
import { parseTemplate, parseTemplateJson, type ParseResult, type TemplateIssue } from './parse.js';
import type { Template } from './schema.js';
import { checkNewVersion } from './versioning.js';
import { BUILTIN_TEMPLATE_TITLES } from './builtin-ids.js';

export interface ImportContext {
  /** Every version already stored, of any template. */
  existing: readonly Template[];
}

export function importTemplate(
  input: string | unknown,
  context: ImportContext,
): ParseResult<Template> {
  const parsed = typeof input === 'string' ? parseTemplateJson(input) : parseTemplate(input);
  if (!parsed.ok) return parsed;
  const template = parsed.value;
  const versions = context.existing.filter((t) => t.id === template.id);
  const builtin = Object.hasOwn(BUILTIN_TEMPLATE_TITLES, template.id)
    ? BUILTIN_TEMPLATE_TITLES[template.id]
    : undefined;
  const latestBuiltin =
    builtin !== undefined && versions.length
      ? versions.reduce((a, b) => (b.version > a.version ? b : a)).version
      : 1;
  const clash: TemplateIssue | null =
    builtin === undefined
      ? null
      : {
          path: 'id',
          message: `id "${template.id}" is the id of the built-in template "${builtin}"; to import your own template, give it an id of its own (e.g. "${template.id}-custom"); to publish a revision of the built-in instead, keep its id and kind, set "version" above ${latestBuiltin} and keep every indicator id of the built-in (retired or mapped in "replaces")`,
        };
  if (versions.length === 0 && clash) return { ok: false, issues: [clash] };
  if (versions.length === 0) {
    if (template.version !== 1 || template.replaces) {
      return {
        ok: false,
        issues: [
          {
            path: template.replaces ? 'replaces' : 'version',
            message: `there is no earlier version of "${template.id}"; a new template starts at version 1 without "replaces"`,
          },
        ],
      };
    }
    return parsed;
  }
  const latest = versions.reduce((a, b) => (b.version > a.version ? b : a));
  const issues = checkNewVersion(latest, template, versions);
  if (issues.length && clash) issues.unshift(clash);
  return issues.length ? { ok: false, issues } : parsed;
}
