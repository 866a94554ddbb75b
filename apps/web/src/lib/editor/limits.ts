/** Bounds of rich-text fields, shared by the editor (which refuses more) and the page's count. */
export { MAX_RICH_TEXT } from '@concord/documents';
