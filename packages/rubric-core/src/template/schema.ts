/**
 * The one schema for rubric templates: leveled rubrics, checklists whose levels carry meaning,
 * strategic-plan frameworks, and guidance. Every built-in template and every template a user
 * imports goes through these zod schemas, so the rest of the code can trust the shape.
 *
 * Ids are the contract with stored ratings: an indicator id, once a template version is
 * published, is never reused for something else (see versioning.ts).
 */
import { z } from 'zod';

/** Stable ids: lowercase, digits, dots and dashes, e.g. `dc.1.4` or `fp.equity`. */
export const ID_PATTERN = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
export const MAX_LEVELS = 10;
export const MAX_TEXT = 20_000;

const id = z
  .string()
  .regex(ID_PATTERN, 'must be lowercase letters, digits, dots or dashes (e.g. "dc.1.4")');
const text = z.string().trim().min(1, 'must not be empty').max(MAX_TEXT);
/** A date or month as the source gives it: YYYY, YYYY-MM or YYYY-MM-DD. */
const isoDate = z
  .string()
  .regex(/^\d{4}(?:-\d{2}(?:-\d{2})?)?$/, 'must be a date like 2015-08-21, 2015-08 or 2015');

export const SourceSchema = z.strictObject({
  /** Title of the source document. */
  document: text,
  publisher: text,
  /** Publication or revision date as printed in the source. */
  date: isoDate,
  /** The seed file this was transcribed from, for built-ins. */
  seed: z.string().optional(),
  url: z.url().optional(),
  notes: text.optional(),
});

/** A citation from an indicator into an outside standard, e.g. CCSSO `II.3.a-d`. */
export const ReferenceSchema = z.strictObject({
  /** Id of an entry in the template's `referenceSources`. */
  source: id,
  /** The code exactly as the seed prints it. */
  code: text,
});

export const ReferenceSourceSchema = z.strictObject({
  id,
  title: text,
  description: text.optional(),
});

export const LevelSchema = z.strictObject({
  /** Numeric value used in statistics; levels are ordered by value. */
  value: z.number().int().min(0).max(100),
  label: text,
  description: text.optional(),
  /** Checklists: a team rating at this level blocks launch (e.g. "Barrier to Launch"). */
  blocksLaunch: z.boolean().optional(),
});

export const ScaleSchema = z
  .strictObject({
    /** Ordered from lowest to highest value. */
    levels: z.array(LevelSchema).min(2, 'a scale needs at least 2 levels').max(MAX_LEVELS),
    /**
     * How the values may be treated in statistics. Ordinal is the honest default for rubric
     * levels; interval allows means to be read as distances.
     */
    measurement: z.enum(['nominal', 'ordinal', 'interval', 'ratio']).default('ordinal'),
    /** Readiness threshold: the level value at or above which an indicator counts as "ready". */
    readyAt: z.number().int().optional(),
  })
  .superRefine((scale, ctx) => {
    scale.levels.forEach((level, i) => {
      const prev = scale.levels[i - 1];
      if (prev && level.value <= prev.value) {
        ctx.addIssue({
          code: 'custom',
          path: ['levels', i, 'value'],
          message: `levels must be in ascending order of value (${level.value} after ${prev.value})`,
        });
      }
    });
    const labels = new Set<string>();
    scale.levels.forEach((level, i) => {
      if (labels.has(level.label)) {
        ctx.addIssue({
          code: 'custom',
          path: ['levels', i, 'label'],
          message: `duplicate level label "${level.label}"`,
        });
      }
      labels.add(level.label);
    });
    if (scale.readyAt !== undefined && !scale.levels.some((l) => l.value === scale.readyAt)) {
      ctx.addIssue({
        code: 'custom',
        path: ['readyAt'],
        message: `readyAt ${scale.readyAt} is not the value of any level`,
      });
    }
  });

export const DescriptorSchema = z.strictObject({
  /** The level value this descriptor describes. */
  level: z.number().int(),
  /** One or more paragraphs or bullet points, in the source's order. */
  text: z.array(text).min(1),
});

export const IndicatorSchema = z.strictObject({
  id,
  /** The seed's own number, kept as printed (gaps included), e.g. "4" or "1.a". */
  number: z.string().min(1).max(20),
  /** Short name where the seed gives one (e.g. a practice or a category name). */
  title: text.optional(),
  /** The statement that is rated. */
  text,
  /** Criteria or bullets belonging to the statement (e.g. a prerequisite's criteria). */
  criteria: z.array(text).optional(),
  /** What each level looks like for this indicator, where the seed spells it out. */
  descriptors: z.array(DescriptorSchema).optional(),
  guidance: text.optional(),
  /** A prompt shown next to the evidence box. */
  evidencePrompt: text.optional(),
  references: z.array(ReferenceSchema).optional(),
  /** Set when a later version retired this indicator; its id is never reused. */
  retired: z.boolean().optional(),
});

export type SectionInput = {
  id: string;
  number?: string | undefined;
  numberLabel?: string | undefined;
  title: string;
  description?: string | undefined;
  scale?: z.input<typeof ScaleSchema> | undefined;
  scored?: boolean | undefined;
  indicators?: z.input<typeof IndicatorSchema>[] | undefined;
  sections?: SectionInput[] | undefined;
};

export type Section = {
  id: string;
  number?: string | undefined;
  numberLabel?: string | undefined;
  title: string;
  description?: string | undefined;
  scale?: z.output<typeof ScaleSchema> | undefined;
  scored: boolean;
  indicators: z.output<typeof IndicatorSchema>[];
  sections: Section[];
};

export const SectionSchema: z.ZodType<Section, SectionInput> = z.lazy(() =>
  z.strictObject({
    id,
    /** The seed's own numbering of the section, e.g. "1" or "V". */
    number: z.string().min(1).max(20).optional(),
    /** The word the seed puts before the number, where two parts number alike: "Condition" in
     * "Condition 1: School Leadership & Vision", "Principle" in "Principle 1: …". */
    numberLabel: z.string().min(1).max(40).optional(),
    title: text,
    description: text.optional(),
    /** Overrides the template's scale for this section (e.g. a yes/no checklist section). */
    scale: ScaleSchema.optional(),
    /** Whether this section counts toward the overall score. Sections with their own scale
     * are reported separately either way. */
    scored: z.boolean().default(true),
    indicators: z.array(IndicatorSchema).default([]),
    sections: z.array(SectionSchema).default([]),
  }),
);

export const OutcomeMeasureSchema = z.strictObject({
  id,
  text,
  /** Where the data comes from, as the seed says, e.g. "Student Survey". */
  source: text.optional(),
  /** Sub-areas listed under the measure (e.g. survey areas). */
  areas: z.array(text).optional(),
});

export const OutcomeGroupSchema = z.strictObject({
  id,
  title: text,
  measures: z.array(OutcomeMeasureSchema).min(1),
});

const templateBase = {
  /** Schema version of this JSON shape, for future migrations of the format itself. */
  schemaVersion: z.literal(1),
  id,
  /** Template version; bumps when indicators are added or retired. */
  version: z.number().int().min(1),
  title: text,
  shortTitle: text.optional(),
  description: text.optional(),
  source: SourceSchema,
  instructions: text.optional(),
  referenceSources: z.array(ReferenceSourceSchema).optional(),
  /** For a version > 1: ids of the previous version replaced by new ids (old -> new). */
  replaces: z.record(id, id).optional(),
};

export const RubricTemplateSchema = z.strictObject({
  ...templateBase,
  kind: z.literal('rubric'),
  scale: ScaleSchema,
  sections: z.array(SectionSchema).min(1),
  outcomeMeasures: z.array(OutcomeGroupSchema).optional(),
});

export const ChecklistTemplateSchema = z.strictObject({
  ...templateBase,
  kind: z.literal('checklist'),
  scale: ScaleSchema,
  sections: z.array(SectionSchema).min(1),
});

export const PlanAreaSchema = z.strictObject({
  /** Goals are filed under an area by this id, so it must stay stable. */
  id,
  /** The source's own number for the area, as printed (e.g. "1".."10"). */
  number: z.string().min(1).max(20).optional(),
  title: text,
  description: text.optional(),
  /** Examples or elements the source lists under the area. */
  elements: z.array(text).optional(),
});

export const PlanPhaseSchema = z.strictObject({
  id,
  /** Year number in the plan (1-5 in the built-in framework). Goals are phased by year, so
   * parse.ts requires phases in ascending order of year with no year given twice. */
  year: z.number().int().min(1).max(20),
  title: text,
  description: text.optional(),
  milestones: z.array(text).optional(),
});

export const MetricGroupSchema = z.strictObject({
  id,
  title: text,
  description: text.optional(),
  /** Plan years in which the source says to evaluate these indicators (e.g. climate measures in
   * Years 1 and 2, performance in Years 3-5), so a dashboard can show what is due when. Each
   * must be the year of a declared phase. */
  years: z.array(z.number().int().min(1).max(20)).min(1).optional(),
  /** Outcome metrics start from these; their ids share one namespace with the group ids. */
  indicators: z.array(z.strictObject({ id, text })).min(1),
});

export const PlanTemplateSchema = z.strictObject({
  ...templateBase,
  kind: z.literal('plan'),
  areas: z.array(PlanAreaSchema).min(1),
  /** Cross-cutting themes that connect the areas (e.g. vision, culture); not goal containers. */
  themes: z.array(z.strictObject({ id, title: text, description: text.optional() })),
  phases: z.array(PlanPhaseSchema).min(1),
  metricGroups: z.array(MetricGroupSchema),
  /** Student subgroups every outcome metric can be broken down by. */
  subgroups: z.array(z.strictObject({ id, label: text })),
  /** Statuses and confidence levels a goal may take. */
  goalStatuses: z.array(z.strictObject({ id, label: text })).min(2),
  /** What a plan must contain to meet the framework's assurances, in the source's words (e.g.
   * "goals and objectives", "timelines for completion"), so the plan editor can check for them. */
  assurances: z.array(text).optional(),
  /**
   * The source's areas of assurance: the commitments a district makes in return for flexibility
   * (e.g. a planning process, continuous improvement). Titled entries with the source's paragraph,
   * shown next to the plan; `assurances` keeps the checkable list of what the plan must contain.
   */
  assuranceAreas: z.array(z.strictObject({ id, title: text, text })).optional(),
});

export const TemplateSchema = z.discriminatedUnion('kind', [
  RubricTemplateSchema,
  ChecklistTemplateSchema,
  PlanTemplateSchema,
]);

export const GuidanceEntrySchema = z.strictObject({
  /** Stable: a facilitator's tick on a `check` entry is stored against this id. */
  id,
  title: text,
  /** The name the source's summary chart gives the entry, where it differs from the heading
   * (e.g. "Community Engagement" for "Communication"). */
  shortTitle: text.optional(),
  /** Paragraphs, in order. */
  body: z.array(text).min(1),
  /** Bulleted points where the source lists them. */
  points: z.array(text).optional(),
  /** For a `check` entry: the practice to aim for, as the source's "Strive to..." column puts it. */
  striveTo: text.optional(),
  /** For a `check` entry: the pitfall the facilitator ticks off, as the source's "Be wary of..."
   * column puts it. */
  bewareOf: text.optional(),
});

export const GuidanceSchema = z.strictObject({
  schemaVersion: z.literal(1),
  id,
  version: z.number().int().min(1),
  title: text,
  source: SourceSchema,
  /** Group and entry ids share one namespace; parse.ts rejects duplicates. */
  groups: z
    .array(
      z.strictObject({
        id,
        title: text,
        /** Lead-in text the source puts before the entries (e.g. a definition). */
        description: text.optional(),
        /** `check`: the facilitator can tick these off (e.g. pitfalls to avoid). */
        use: z.enum(['glossary', 'guidance', 'check']),
        entries: z.array(GuidanceEntrySchema).min(1),
      }),
    )
    .min(1),
});

export type Source = z.output<typeof SourceSchema>;
export type Level = z.output<typeof LevelSchema>;
export type Scale = z.output<typeof ScaleSchema>;
export type Descriptor = z.output<typeof DescriptorSchema>;
export type Indicator = z.output<typeof IndicatorSchema>;
export type OutcomeGroup = z.output<typeof OutcomeGroupSchema>;
export type RubricTemplate = z.output<typeof RubricTemplateSchema>;
export type ChecklistTemplate = z.output<typeof ChecklistTemplateSchema>;
export type PlanTemplate = z.output<typeof PlanTemplateSchema>;
export type Template = z.output<typeof TemplateSchema>;
export type TemplateInput = z.input<typeof TemplateSchema>;
export type LeveledTemplate = RubricTemplate | ChecklistTemplate;
export type Guidance = z.output<typeof GuidanceSchema>;
