/**
 * The built-in templates, transcribed from the source documents in shared/seeds. Each JSON file
 * is validated on load with the same parser a user's import goes through.
 */
import { parseGuidance, parseTemplate, describeIssues } from '../template/parse.js';
import type { Guidance, Template } from '../template/schema.js';

function load(name: string, data: unknown): Template {
  const result = parseTemplate(data);
  if (!result.ok) throw new Error(`built-in template ${name} is invalid:\n${describeIssues(result.issues)}`);
  return result.value;
}

// Filled in as the seed transcriptions land.
export const builtinTemplates: readonly Template[] = [];

export function getBuiltinTemplate(id: string): Template | undefined {
  return builtinTemplates.find((t) => t.id === id);
}

export const guidance: Guidance | undefined = undefined;
void parseGuidance;
void load;
