/**
 * Reading and checking single values. A document may hold anything a hostile or buggy client
 * wrote, so every reader goes through these: each returns the value when it has the expected
 * shape and undefined otherwise, and never throws. The `check…` functions are the writers' side:
 * a message naming the field, or null when the value is acceptable. `newId` makes the ids of
 * things created inside a document.
 */
import * as Y from 'yjs';
import { fragmentText, isFragment, plainOfText } from './rich-text.js';
import { MAX_STRING } from './schema.js';

/** Ids of things inside a document (goals, steps, threads) and of template items: slugs, as the
 * database's query tables require. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP_PATTERN =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= MAX_STRING ? value : undefined;
}

export function asId(value: unknown): string | undefined {
  return typeof value === 'string' && ID_PATTERN.test(value) ? value : undefined;
}

/** A level value as rubric-core allows them: an integer 0-100. */
export function asLevel(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100
    ? value
    : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A calendar date, YYYY-MM-DD, that exists. */
export function asDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || !DATE_PATTERN.test(value)) return undefined;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value)
    ? value
    : undefined;
}

/** An ISO 8601 timestamp with a time zone. */
export function asTimestamp(value: unknown): string | undefined {
  return typeof value === 'string' &&
    TIMESTAMP_PATTERN.test(value) &&
    !Number.isNaN(Date.parse(value))
    ? value
    : undefined;
}

export function asOneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : undefined;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function asMap(value: unknown): Y.Map<unknown> | undefined {
  return value instanceof Y.Map ? value : undefined;
}

export function asText(value: unknown): Y.Text | undefined {
  return value instanceof Y.Text ? value : undefined;
}

/** A rich text field (schema v2): a Y.XmlFragment, not an element inside one. */
export function asFragment(value: unknown): Y.XmlFragment | undefined {
  return isFragment(value) ? value : undefined;
}

export function asArray(value: unknown): Y.Array<unknown> | undefined {
  return value instanceof Y.Array ? value : undefined;
}

/** The distinct ids of a Y.Array of strings, in first-seen order (junk and duplicates dropped). */
export function idSet(value: unknown): string[] {
  const array = asArray(value);
  if (!array) return [];
  const out = new Set<string>();
  for (const v of array.toArray()) {
    const s = asString(v);
    if (s !== undefined && s.trim() !== '') out.add(s);
  }
  return [...out];
}

/**
 * The plain text of a text field, whichever schema wrote it: a Y.Text (v1 fields, and short
 * fields such as titles) as it is; a Y.XmlFragment (v2 rich text) with its blocks joined by
 * '\n' and marks dropped. '' for anything else; never throws.
 */
export function textOf(value: unknown): string {
  try {
    if (value instanceof Y.Text) return plainOfText(value);
    if (isFragment(value)) return fragmentText(value);
  } catch {
    // A type whose content is not what its class expects (a hostile update): no text.
  }
  return '';
}

/**
 * A root type, or undefined when the document already holds that name as another type (a
 * hostile client cannot make a reader throw).
 */
export function rootMap(doc: Y.Doc, name: string): Y.Map<unknown> | undefined {
  try {
    return doc.getMap(name);
  } catch {
    return undefined;
  }
}

export function rootText(doc: Y.Doc, name: string): Y.Text | undefined {
  try {
    return doc.getText(name);
  } catch {
    return undefined;
  }
}

export function rootFragment(doc: Y.Doc, name: string): Y.XmlFragment | undefined {
  try {
    return doc.getXmlFragment(name);
  } catch {
    return undefined;
  }
}

// ---- writers' checks: a message naming the field, or null ----

export function checkId(value: unknown, field: string): string | null {
  return asId(value) === undefined
    ? `${field}: must be an id of letters, digits, '.', '_', ':' or '-' (got ${show(value)})`
    : null;
}

export function checkDate(value: unknown, field: string): string | null {
  return asDate(value) === undefined
    ? `${field}: must be a date like 2026-09-01 (got ${show(value)})`
    : null;
}

export function checkTimestamp(value: unknown, field: string): string | null {
  return asTimestamp(value) === undefined
    ? `${field}: must be an ISO 8601 timestamp with a time zone, like 2026-09-01T14:00:00Z (got ${show(value)})`
    : null;
}

export function checkString(value: unknown, field: string, { blank = true } = {}): string | null {
  if (typeof value !== 'string') return `${field}: must be text (got ${show(value)})`;
  if (value.length > MAX_STRING) return `${field}: must be at most ${MAX_STRING} characters`;
  if (!blank && value.trim() === '') return `${field}: must not be empty`;
  return null;
}

export function checkOneOf(
  value: unknown,
  allowed: readonly string[],
  field: string,
): string | null {
  return asOneOf(value, allowed) === undefined
    ? `${field}: must be one of ${allowed.join(', ')} (got ${show(value)})`
    : null;
}

export function show(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || value === undefined || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** A fresh id for a goal, step, metric, thread or message: `<prefix>-<uuid>`. */
export function newId(prefix: string): string {
  return `${prefix}-${globalThis.crypto.randomUUID()}`;
}
