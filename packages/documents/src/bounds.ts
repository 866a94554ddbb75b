/**
 * Bounds of what a document's text fields may hold: one definition, imported by the web editor
 * (which refuses more while typing and shows the count) and by the document shapes (shapes.ts),
 * against which the sync server refuses an update that would make a field longer. Import-light on purpose (the server
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

/** Level values as rubric-core allows them in any template: whole numbers 0-100. */
export const MIN_LEVEL = 0;
export const MAX_LEVEL = 100;
