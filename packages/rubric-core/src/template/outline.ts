/**
 * A flat, ordered view of a leveled template: every indicator in rubric order with its section
 * path and the scale that applies to it (a section may override the template's scale). Scoring,
 * the agenda and the UI all walk templates through this one function.
 */
import type { Indicator, LeveledTemplate, Scale, Section } from './schema.js';

export interface OutlineEntry {
  indicator: Indicator;
  /** Position in rubric order, used to keep orderings stable. */
  order: number;
  /** Ids of the enclosing sections, outermost first. */
  sectionPath: readonly string[];
  /** The innermost enclosing section. */
  section: Section;
  scale: Scale;
  /** False when any enclosing section is unscored. */
  scored: boolean;
  /** True when the scale comes from a section override rather than the template. */
  ownScale: boolean;
}

export interface TemplateOutline {
  entries: readonly OutlineEntry[];
  byId: ReadonlyMap<string, OutlineEntry>;
}

const cache = new WeakMap<LeveledTemplate, TemplateOutline>();

export function outline(template: LeveledTemplate): TemplateOutline {
  const hit = cache.get(template);
  if (hit) return hit;
  const entries: OutlineEntry[] = [];
  const walk = (
    sections: readonly Section[],
    path: readonly string[],
    scale: Scale,
    scored: boolean,
    ownScale: boolean,
  ) => {
    for (const section of sections) {
      const sScale = section.scale ?? scale;
      const sOwn = ownScale || section.scale !== undefined;
      const sScored = scored && section.scored;
      const sPath = [...path, section.id];
      for (const indicator of section.indicators) {
        if (indicator.retired) continue;
        entries.push({
          indicator,
          order: entries.length,
          sectionPath: sPath,
          section,
          scale: sScale,
          scored: sScored,
          ownScale: sOwn,
        });
      }
      walk(section.sections, sPath, sScale, sScored, sOwn);
    }
  };
  walk(template.sections, [], template.scale, true, false);
  const result = { entries, byId: new Map(entries.map((e) => [e.indicator.id, e])) };
  cache.set(template, result);
  return result;
}

/** Every section in the template, depth first, with its effective scale. */
export function sectionsOf(
  template: LeveledTemplate,
): { section: Section; depth: number; scale: Scale }[] {
  const out: { section: Section; depth: number; scale: Scale }[] = [];
  const walk = (sections: readonly Section[], depth: number, scale: Scale) => {
    for (const section of sections) {
      const s = section.scale ?? scale;
      out.push({ section, depth, scale: s });
      walk(section.sections, depth + 1, s);
    }
  };
  walk(template.sections, 0, template.scale);
  return out;
}
