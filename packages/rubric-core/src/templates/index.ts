/**
 * The built-in templates, transcribed from the source documents in shared/seeds. Each JSON file
 * is validated on load with the same parser a user's import goes through, so a bad edit to a
 * built-in fails loudly at start-up and in the tests, never silently in front of a user.
 */
import { describeIssues, parseGuidance, parseTemplate } from '../template/parse.js';
import type {
  ChecklistTemplate,
  Guidance,
  PlanTemplate,
  RubricTemplate,
  Template,
} from '../template/schema.js';
import districtConditions from './ma-pln-district-conditions.json' with { type: 'json' };
import schoolPlanning from './ma-pln-school-planning.json' with { type: 'json' };
import prerequisites from './schoolworks-prerequisites.json' with { type: 'json' };
import fundamentalPractices from './schoolworks-fundamental-practices.json' with { type: 'json' };
import knowledgeworksPlan from './knowledgeworks-plan.json' with { type: 'json' };
import cceGuidance from './cce-guidance.json' with { type: 'json' };

function load<K extends Template['kind']>(kind: K, data: unknown): Extract<Template, { kind: K }> {
  const result = parseTemplate(data);
  if (!result.ok) {
    throw new Error(`a built-in template is invalid:\n${describeIssues(result.issues)}`);
  }
  if (result.value.kind !== kind) {
    throw new Error(`built-in template ${result.value.id} should be a ${kind}`);
  }
  return result.value as Extract<Template, { kind: K }>;
}

export const maPlnDistrictConditions: RubricTemplate = load('rubric', districtConditions);
export const maPlnSchoolPlanning: RubricTemplate = load('rubric', schoolPlanning);
export const schoolworksPrerequisites: ChecklistTemplate = load('checklist', prerequisites);
export const schoolworksFundamentalPractices: RubricTemplate = load('rubric', fundamentalPractices);
export const knowledgeworksPlanTemplate: PlanTemplate = load('plan', knowledgeworksPlan);

/** Every built-in template, in the order a facilitator meets them when setting up a workspace. */
export const builtinTemplates: readonly Template[] = [
  schoolworksPrerequisites,
  maPlnDistrictConditions,
  maPlnSchoolPlanning,
  schoolworksFundamentalPractices,
  knowledgeworksPlanTemplate,
];

export function getBuiltinTemplate(id: string): Template | undefined {
  return builtinTemplates.find((t) => t.id === id);
}

function loadGuidance(data: unknown): Guidance {
  const result = parseGuidance(data);
  if (!result.ok)
    throw new Error(`built-in guidance is invalid:\n${describeIssues(result.issues)}`);
  return result.value;
}

/** Glossary, guidance and the facilitator's pitfalls check, from the CCE paper (seed 003). */
export const guidance: Guidance = loadGuidance(cceGuidance);
