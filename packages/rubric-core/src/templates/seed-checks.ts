/**
 * Shared checks for the tests of the built-in seed templates (not shipped: excluded from the
 * build). Each seed test parses its JSON, looks things up by id or title, and holds every string
 * in the JSON to the same text hygiene: what was left of the PDF or web page it was transcribed
 * from (markup, line breaks, doubled spaces, hyphenation breaks, bullets) must be gone. Failures
 * name the JSON path of the offending string.
 */
import { expect } from 'vitest';
import {
  describeIssues,
  parseTemplate,
  type ParseResult,
  type TemplateIssue,
} from '../template/parse.js';
import type { Indicator, Section, Template } from '../template/schema.js';

type Parse = (input: unknown) => ParseResult<unknown>;

/** The issues `parse` (by default `parseTemplate`) finds in `input`; none when it parses. */
export function issuesOf(input: unknown, parse: Parse = parseTemplate): TemplateIssue[] {
  const result = parse(input);
  return result.ok ? [] : result.issues;
}

/** Asserts that `data` parses with `parse` (by default `parseTemplate`), showing any issues. */
export function expectParses(data: unknown, parse: Parse = parseTemplate): void {
  const result = parse(data);
  expect(result.ok ? [] : result.issues).toEqual([]);
  expect(result.ok).toBe(true);
}

/** Parses a seed that must be valid, or throws naming every issue. */
export function mustParse<T>(data: unknown, parse: (input: unknown) => ParseResult<T>): T {
  const result = parse(data);
  if (!result.ok) throw new Error(describeIssues(result.issues));
  return result.value;
}

/** Parses a seed that must be a valid template of `kind`, or throws naming every issue. */
export function mustParseTemplate<K extends Template['kind']>(
  data: unknown,
  kind: K,
): Extract<Template, { kind: K }> {
  const template = mustParse(data, parseTemplate);
  if (template.kind !== kind) throw new Error(`expected a ${kind}, got ${template.kind}`);
  return template as Extract<Template, { kind: K }>;
}

/** The one item that `match` picks, or an error naming `what` was not found. */
export function findOne<T>(items: readonly T[], match: (item: T) => boolean, what: string): T {
  const found = items.find(match);
  if (found === undefined) throw new Error(`no ${what}`);
  return found;
}

/** The item with this id, e.g. a section, an indicator or a guidance group. */
export function byId<T extends { id: string }>(items: readonly T[], id: string, what = 'item'): T {
  return findOne(items, (x) => x.id === id, `${what} ${id}`);
}

/** Every indicator in these sections and in the sections nested in them, in document order. */
export function indicatorsOf(sections: readonly Section[]): Indicator[] {
  return sections.flatMap((s) => [...s.indicators, ...indicatorsOf(s.sections)]);
}

export interface StringAt {
  /** JSON path of the string, e.g. `sections[0].indicators[3].text`. */
  path: string;
  text: string;
}

/** Every string anywhere in a JSON value, with its path (below `path`, if given). */
export function allStrings(value: unknown, path = ''): StringAt[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => allStrings(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => allStrings(v, path ? `${path}.${k}` : k));
  }
  return [];
}

export interface MatchOptions {
  /** Report every offending string in one run (`expect.soft`) rather than stop at the first. */
  soft?: boolean;
  /** Path to prefix the strings' paths with, when `value` is part of a larger document. */
  path?: string;
}

/** Asserts that no string in `value` matches `pattern`, naming the path of any that does. */
export function expectNoneMatch(value: unknown, pattern: RegExp, options: MatchOptions = {}): void {
  const check = options.soft ? expect.soft : expect;
  for (const { path, text } of allStrings(value, options.path)) {
    check(text, path).not.toMatch(pattern);
  }
}

/** HTML tags and character entities, named or numeric. */
const MARKUP = /<[a-z/]|&#?\w+;/i;
/** A word broken at a line-end hyphen and never joined back: "decision- making". */
const HYPHEN_BREAK = /[a-z]-\s[a-z]/;
/** A bullet character anywhere, or a dash used as a bullet. */
const BULLET = /•|^- /;

export interface TextChecks extends MatchOptions {
  /** Also refuse HTML tags and entities. */
  markup?: boolean;
  /** Also refuse words broken at a line-end hyphen (not for seeds that print "pre- and post-"). */
  hyphenBreaks?: boolean;
  /** Also refuse bullet characters, and dashes used as bullets. */
  bullets?: boolean;
  /** Further patterns no string may match, for what one seed's source was prone to. */
  forbid?: readonly RegExp[];
}

/**
 * Text hygiene for every string in a seed: no line breaks or tabs, no doubled spaces, no leading
 * or trailing white space, plus the optional `checks`. Each failure names the string's path.
 */
export function expectCleanText(value: unknown, checks: TextChecks = {}): void {
  const check = checks.soft ? expect.soft : expect;
  const forbidden = [
    /[\n\r\t]/,
    / {2}/,
    ...(checks.markup ? [MARKUP] : []),
    ...(checks.hyphenBreaks ? [HYPHEN_BREAK] : []),
    ...(checks.bullets ? [BULLET] : []),
    ...(checks.forbid ?? []),
  ];
  for (const { path, text } of allStrings(value, checks.path)) {
    check(text, path).toBe(text.trim());
    for (const pattern of forbidden) check(text, path).not.toMatch(pattern);
  }
}
