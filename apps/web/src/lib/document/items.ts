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
  /** "Condition 1", where the seed names the number (two parts that number alike); else the
   * number, or undefined. */
  label: string | undefined;
  /** The section's heading as the seed prints it: "Condition 1: School Leadership & Vision",
   * "1 District Leadership", or the title alone. */
  heading: string;
  description: string | undefined;
  /** The part this section opens, when the template has parts (the School Planning Tool's
   * conditions and principles): its heading goes before this section. */
  part: { id: string; title: string } | null;
  items: PageItem[];
}

/**
 * As printed: "1.2", or "3" for an unnumbered section's third indicator; where the seed names a
 * section's number ("Condition 1", "Principle 1"), the name too ("Condition 1.2"), so that the
 * School Planning Tool's conditions and principles, which both number 1.1, 1.2, …, are told
 * apart in headings, accessible names, the outline and on a call.
 */
export function itemLabel(entry: OutlineEntry): string {
  const { number: n, numberLabel } = entry.section;
  if (!n) return entry.indicator.number;
  return numberLabel
    ? `${numberLabel} ${n}.${entry.indicator.number}`
    : `${n}.${entry.indicator.number}`;
}

/** "Condition 1", "1" or undefined: how a section's number is said. */
export function sectionLabel(section: Section): string | undefined {
  if (!section.number) return undefined;
  return section.numberLabel ? `${section.numberLabel} ${section.number}` : section.number;
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
  // Parts: top-level sections that hold sections of their own, when there is more than one.
  const parts = template.sections.filter((s) => s.sections.length > 0);
  const partOf = new Map<string, Section>();
  if (parts.length > 1) {
    for (const part of parts) {
      const visit = (s: Section) => {
        partOf.set(s.id, part);
        s.sections.forEach(visit);
      };
      visit(part);
    }
  }
  let lastPart: Section | null = null;
  return [...bySection].map(([section, items]) => {
    const part = partOf.get(section.id) ?? null;
    const opens = part !== null && part !== lastPart;
    lastPart = part;
    return {
      id: section.id,
      title: section.title,
      number: section.number,
      label: sectionLabel(section),
      heading: section.numberLabel
        ? `${sectionLabel(section)}: ${section.title}`
        : section.number
          ? `${section.number} ${section.title}`
          : section.title,
      description: section.description,
      part: opens ? { id: part.id, title: part.title } : null,
      items,
    };
  });
}

export const ratingGroupName = (item: PageItem) => `Rating for ${item.label}`;
export const evidenceName = (item: PageItem) => `Evidence for ${item.label}`;
export const notesName = (item: PageItem) => `Notes for ${item.label}`;
export const rationaleName = (item: PageItem) => `Rationale for ${item.label}`;
export const teamRatingName = (item: PageItem) => `Team rating for ${item.label}`;
