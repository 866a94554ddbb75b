/**
 * Importing a user's template: parse and validate the JSON, then, when a template with the same
 * id is already known (a built-in or an earlier import), require a valid next version of it.
 */
import { parseTemplate, parseTemplateJson, type ParseResult } from './parse.js';
import type { Template } from './schema.js';
import { checkNewVersion } from './versioning.js';

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
  const issues = checkNewVersion(latest, template);
  return issues.length ? { ok: false, issues } : parsed;
}
