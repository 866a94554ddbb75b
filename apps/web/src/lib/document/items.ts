/**
 * The document page's view of a leveled template: the sections to show, each item's label as
 * printed ("1.2" where the section is numbered, else the indicator's own number), and the names
 * screen readers, axe and the browser tests find elements by (../shared/UX.md).
 */
import {
  outline,
  type LeveledTemplate,
  type OutlineEntry,
  type Section,
} from '@concord/rubric-core';

export interface PageItem {
  id: string;
  /** As printed: "1.2", or "3" for an unnumbered section's third indicator. */
  label: string;
  /** "1.2 District Leadership…": the item's accessible name. */
  name: string;
  entry: OutlineEntry;
}

export interface PageSection {
  id: string;
  title: string;
  number: string | undefined;
  description: string | undefined;
  items: PageItem[];
}

export function itemLabel(entry: OutlineEntry): string {
  const n = entry.section.number;
  return n ? `${n}.${entry.indicator.number}` : entry.indicator.number;
}

/** The item's short title, for the outline and accessible names: its name in the seed, else the
 * start of its statement. The item card shows the statement in full. */
export function itemTitle(entry: OutlineEntry): string {
  const { title, text } = entry.indicator;
  if (title) return title;
  return text.length > 80 ? `${text.slice(0, 77).trimEnd()}…` : text;
}

/** Sections that hold items, in rubric order, each with its active items. */
export function pageSections(template: LeveledTemplate): PageSection[] {
  const bySection = new Map<Section, PageItem[]>();
  for (const entry of outline(template).entries) {
    const label = itemLabel(entry);
    const list = bySection.get(entry.section) ?? [];
    list.push({ id: entry.indicator.id, label, name: `${label} ${itemTitle(entry)}`, entry });
    bySection.set(entry.section, list);
  }
  return [...bySection].map(([section, items]) => ({
    id: section.id,
    title: section.title,
    number: section.number,
    description: section.description,
    items,
  }));
}

export const ratingGroupName = (item: PageItem) => `Rating for ${item.label}`;
export const evidenceName = (item: PageItem) => `Evidence for ${item.label}`;
export const notesName = (item: PageItem) => `Notes for ${item.label}`;
