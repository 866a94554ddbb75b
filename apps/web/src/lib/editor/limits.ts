/** Bounds of rich-text fields, shared by the editor (which refuses more) and the page's count. */
export const MAX_RICH_TEXT = 20_000;
