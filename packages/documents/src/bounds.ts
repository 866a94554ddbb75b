/**
 * Bounds of what a document's text fields may hold: one definition, imported by the web editor
 * (which refuses more while typing and shows the count) and by the sync server's field guard
 * (which refuses an update that would make a field longer). Import-light on purpose (the server
 * imports it through `@concord/documents/bounds`, without the rest of the package).
 *
 * A field's length is the number of characters of its text (UTF-16 code units, as JavaScript
 * counts them), block boundaries not counted: what Tiptap's CharacterCount counts for a
 * rich-text field, so the server never refuses what the editor allowed.
 */

/** Longest rich-text field (evidence, rationale, rating notes, vision, goal statements). */
export const MAX_RICH_TEXT = 20_000;

/** Longest one-line text field (goal and step titles, Y.Text): the same as a plain string. */
export const MAX_LINE_TEXT = 20_000;

/** Longest comment or reply (a plain string, written once; addThread and reply refuse more). */
export const MAX_COMMENT = 5_000;

/**
 * A text field's place in a document (root, then map keys; `*` matches any key) and the most
 * characters it may hold. Every text field of the schema (schema.ts) is listed.
 */
export interface TextBound {
  readonly field: readonly string[];
  readonly max: number;
}

export const TEXT_BOUNDS: readonly TextBound[] = [
  // prerequisites / assessment
  { field: ['items', '*', 'evidence'], max: MAX_RICH_TEXT },
  { field: ['items', '*', 'rationale'], max: MAX_RICH_TEXT },
  // ratings
  { field: ['notes', '*'], max: MAX_RICH_TEXT },
  // plan (`vision` is v1's root, read by the migration)
  { field: ['visionRich'], max: MAX_RICH_TEXT },
  { field: ['vision'], max: MAX_RICH_TEXT },
  { field: ['goals', '*', 'statement'], max: MAX_RICH_TEXT },
  { field: ['goals', '*', 'title'], max: MAX_LINE_TEXT },
  { field: ['goals', '*', 'steps', '*', 'title'], max: MAX_LINE_TEXT },
];

/** Where a rater's level values sit in a ratings document: `ratings/<indicatorId>`. */
export const RATING_FIELD: readonly string[] = ['ratings', '*'];

/** Level values as rubric-core allows them in any template: whole numbers 0-100. */
export const MIN_LEVEL = 0;
export const MAX_LEVEL = 100;
