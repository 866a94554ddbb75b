/**
 * Rubric text in the product is the seeds' text (shared/seeds/README.md). Every string a built-in
 * rubric or checklist presents as the rubric's own (its title, instructions, section titles and
 * descriptions, indicator titles, statements and criteria, level labels and descriptions,
 * descriptors, evidence prompts) must be found in a source document. Before, the evidence prompt
 * "Evidence supporting this rating" and the autonomy levels "Not in place" / "In place" were
 * Concord's inventions shown as if they were the rubric's.
 *
 * The comparison reads letters and digits only: the seeds are PDF and web-page extractions with
 * line breaks, broken words ("curricu- lum"), markup and bullets the templates have cleaned up;
 * the hygiene of the templates' punctuation and spacing is seed-checks' `expectCleanText`.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ChecklistTemplate, RubricTemplate, Section } from '../template/schema.js';
import { allStrings } from './seed-checks.js';
import {
  maPlnDistrictConditions,
  maPlnSchoolPlanning,
  schoolworksFundamentalPractices,
  schoolworksPrerequisites,
} from './index.js';

/** The source documents: CONCORD_SEEDS, or the copies in packages/rubric-core/seeds/ (the same
 * files as the project's shared/seeds, kept in the repository so every checkout can run this). */
const SEEDS = process.env.CONCORD_SEEDS
  ? pathToFileURL(`${process.env.CONCORD_SEEDS.replace(/\/$/, '')}/`)
  : new URL('../../seeds/', import.meta.url);

/** Letters and digits only, markup and entities dropped. */
function letters(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/gi, ' ')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

const seedText = new Map<string, string>();
function seed(file: string): string {
  let text = seedText.get(file);
  if (text === undefined) {
    text = letters(readFileSync(new URL(file, SEEDS), 'utf8'));
    seedText.set(file, text);
  }
  return text;
}

/** The longest start of `text` (letters only) found in `source`. */
function longestPrefixIn(text: string, source: string): number {
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (source.includes(text.slice(0, mid))) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Whether `text` is in `source` whole, or joined from two runs of it of 20 letters or more: a
 * title made of the document's name and the part's ("…Rubric: Prerequisites to Launch"), or a
 * cell the seed runs over a page break into a following table row, joined back (the templates'
 * source notes say where).
 */
function foundIn(text: string, source: string): boolean {
  let rest = letters(text);
  for (let piece = 0; piece < 2; piece++) {
    const n = longestPrefixIn(rest, source);
    if (n === rest.length) return true;
    if (n < 20) return false;
    rest = rest.slice(n);
  }
  return false;
}

/**
 * Words a template may show that make no claim to be rubric text: the answers of a yes/no
 * checklist whose source asks a yes/no question but prints no level words (District Conditions'
 * Required Areas of Autonomy and Flexibility: the areas "every member school" should have).
 */
const ANSWERS = new Set(['No', 'Yes']);

/** The strings of `value` under the keys that carry rubric text, with their paths. */
function rubricStrings(template: RubricTemplate | ChecklistTemplate) {
  const strings = [
    ...allStrings(template.title, 'title'),
    ...allStrings(template.instructions ?? [], 'instructions'),
    ...allStrings(
      template.scale.levels.map((l) => ({ label: l.label, description: l.description })),
      'scale.levels',
    ),
  ];
  const walk = (sections: readonly Section[], path: string) => {
    sections.forEach((s, i) => {
      const at = `${path}[${i}]`;
      strings.push(
        ...allStrings(s.title, `${at}.title`),
        ...allStrings(s.description ?? [], `${at}.description`),
        ...allStrings(
          (s.scale?.levels ?? []).map((l) => ({ label: l.label, description: l.description })),
          `${at}.scale.levels`,
        ),
      );
      s.indicators.forEach((ind, j) => {
        const { title, text, criteria, descriptors, evidencePrompt } = ind;
        strings.push(
          ...allStrings(
            { title, text, criteria, descriptors, evidencePrompt },
            `${at}.indicators[${j}]`,
          ),
        );
      });
      walk(s.sections, `${at}.sections`);
    });
  };
  walk(template.sections, 'sections');
  return strings;
}

describe('rubric text is the seeds’ text', () => {
  const cases: [RubricTemplate | ChecklistTemplate, string[]][] = [
    [schoolworksPrerequisites, ['002_cf3249446ed14a1a.txt']],
    // The district rubric prints only 1-4 as column headers; its level labels are the same
    // network's School Planning Tool's (seed 001), as the template's source notes say.
    [maPlnDistrictConditions, ['000_58b1f95e59a88255.txt', '001_6de84c41b2d3acc6.txt']],
    [maPlnSchoolPlanning, ['001_6de84c41b2d3acc6.txt']],
    [schoolworksFundamentalPractices, ['002_cf3249446ed14a1a.txt']],
  ];
  for (const [template, files] of cases) {
    it(`finds every string of ${template.id} in ${files.join(', ')}`, () => {
      const sources = files.map(seed);
      const strings = rubricStrings(template);
      expect(strings.length).toBeGreaterThan(20);
      const missing = strings
        .filter(({ text }) => !ANSWERS.has(text))
        .filter(({ text }) => !sources.some((source) => foundIn(text, source)))
        .map(({ path, text }) => `${path}: ${text}`);
      expect(missing).toEqual([]);
    });
  }
});
