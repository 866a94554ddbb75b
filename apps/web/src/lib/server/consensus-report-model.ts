/**
 * The consensus report of a checklist or rubric assessment (issue 39, exports): pure, no I/O.
 * From the instrument's Yjs document, as the store holds it, to
 * - `readReport`: every item in template order with its discussion status, the group's decision
 *   (level, label, who, when), the rationale and the evidence as plain text, and each round that
 *   revealed the item's section with every rater's original there (the frozen snapshot, names as
 *   the round shows them: "Rater A" in an anonymised round; with the real name beside the letter,
 *   "Rater A (Dana Smith)", only when the caller passes `realNames`, which it does for those who
 *   may see who is who: consensus-report.ts);
 * - `reportTable` / `writeReportCsv`: one row per item and round (an item no round revealed gets
 *   one row without a round), written with csv-stringify: UTF-8 with a BOM (Excel then reads it
 *   as UTF-8), every field quoted as RFC 4180 needs, CRLF between records. A text someone typed
 *   (rationale, evidence, a name) that starts like a spreadsheet formula (= + - @, tab, CR) gets
 *   a leading apostrophe, so opening the file never runs it (OWASP CSV injection);
 * - `reportSummary`: what the print page adds: launch readiness (the checklist), the section
 *   scores from the decisions (rubric-core's scoreTemplate: a decision where recorded, else the
 *   median of the latest revealed ratings) and the heatmap of each item's latest reveal
 *   (raters named as in the rest of the report).
 */
import {
  readAssessment,
  readChecklist,
  readRounds,
  type ItemStatus,
  type RoundState,
} from '@concord/documents';
import {
  launchReadiness,
  outline,
  scoreTemplate,
  type AssessmentRatings,
  type IndicatorRatings,
  type LaunchReadiness,
  type LeveledTemplate,
  type TemplateScores,
} from '@concord/rubric-core';
import { stringify } from 'csv-stringify/sync';
import type * as Y from 'yjs';
import { pageSections } from '$lib/document/items';
import { heatmapModel, NOT_RATED, type HeatmapModel } from '$lib/facilitation/heatmap';
import { latestResults } from '$lib/facilitation/round-comparison';

export const STATUS_LABELS: Record<ItemStatus, string> = {
  'not-discussed': 'Not discussed',
  'in-discussion': 'In discussion',
  agreed: 'Agreed',
};

export interface RaterOriginal {
  /**
   * The rater's name as the round shows it ("Rater A" in an anonymised round), with the real name
   * beside the letter when the report was read with it ("Rater A (Dana Smith)").
   */
  rater: string;
  /** The level's value, or null when the rater had not rated the item. */
  value: number | null;
  /** The level's label as the template has it, or "Not rated". */
  label: string;
}

export interface ItemRound {
  number: number;
  anonymised: boolean;
  ratings: RaterOriginal[];
}

export interface ReportDecision {
  value: number;
  label: string;
  /** Who recorded it, by name (the id when the person is not known here). */
  by: string;
  /** ISO 8601. */
  at: string;
}

export interface ReportItem {
  id: string;
  sectionId: string;
  /** The section's heading as the page prints it: "1 District Leadership". */
  section: string;
  /** As printed: "1.2". */
  label: string;
  /** The indicator's name in the template, or "". */
  title: string;
  /** The statement, exactly as the template has it. */
  statement: string;
  status: ItemStatus;
  decision: ReportDecision | null;
  rationale: string;
  evidence: string;
  /** The rounds that revealed this item's section, oldest first. */
  rounds: ItemRound[];
}

export interface ReportSection {
  id: string;
  heading: string;
  /** The part this section opens (the School Planning Tool), or null. */
  part: string | null;
  items: ReportItem[];
}

export interface Report {
  /** "Team rating" for a checklist, "Consensus" for a rubric. */
  decisionWord: string;
  sections: ReportSection[];
  rounds: RoundState[];
  /** Round id → rater key → the rater's name as this report shows it (`RaterOriginal.rater`). */
  raterNames: Record<string, Record<string, string>>;
}

/**
 * Who each letter of an anonymised round stands for: round id → rater key → real name (the
 * round_raters table). Only for those who may see it; null for everyone else.
 */
export type RealNames = Readonly<Record<string, Readonly<Record<string, string>>>>;

function levelLabel(levels: readonly { value: number; label: string }[], value: number | null) {
  return levels.find((l) => l.value === value)?.label ?? null;
}

/** Rater keys of a round: its raters in order, then any key only its snapshot names. */
function raterKeys(round: RoundState): string[] {
  const keys = new Set(Object.keys(round.raters));
  for (const section of Object.values(round.revealed)) {
    for (const byRater of Object.values(section.ratings)) {
      for (const key of Object.keys(byRater)) keys.add(key);
    }
  }
  return [...keys];
}

/**
 * A rater's name as the report shows it: the round's own, with the real name beside the letter
 * in an anonymised round when `realNames` has it (as the document page shows it to facilitators).
 * A named round's names are real already: `realNames` is not read for it.
 */
function shownName(round: RoundState, key: string, realNames: RealNames | null): string {
  const shown = round.raters[key] ?? key;
  const real = round.anonymised ? realNames?.[round.id]?.[key] : undefined;
  return real ? `${shown} (${real})` : shown;
}

/**
 * The report of `doc`, an instrument made from `template`. `people`: user id → name, for who
 * recorded each decision. `realNames`: who each letter of an anonymised round stands for, given
 * only for a member who may see it (a facilitator or owner); null keeps the letters alone.
 */
export function readReport(
  doc: Y.Doc,
  template: LeveledTemplate,
  people: Readonly<Record<string, string>>,
  realNames: RealNames | null = null,
): Report {
  const snapshots =
    template.kind === 'checklist'
      ? Object.fromEntries(
          Object.entries(readChecklist(doc, template)).map(([id, s]) => [
            id,
            { ...s, decision: s.teamRating },
          ]),
        )
      : Object.fromEntries(
          Object.entries(readAssessment(doc, template)).map(([id, s]) => [
            id,
            { ...s, decision: s.consensus },
          ]),
        );
  const rounds = readRounds(doc);
  const keysOf = new Map(rounds.map((r) => [r, raterKeys(r)]));
  const raterNames = Object.fromEntries(
    rounds.map((r) => [
      r.id,
      Object.fromEntries(keysOf.get(r)!.map((key) => [key, shownName(r, key, realNames)])),
    ]),
  );
  const sections = pageSections(template).map((section): ReportSection => {
    const items = section.items.map((item): ReportItem => {
      const { levels } = item.entry.scale;
      const snap = snapshots[item.id];
      const decision = snap?.decision ?? null;
      const itemRounds: ItemRound[] = [];
      for (const round of rounds) {
        const revealed = round.revealed[section.id];
        if (!revealed) continue;
        const byRater = revealed.ratings[item.id] ?? {};
        itemRounds.push({
          number: round.number,
          anonymised: round.anonymised,
          ratings: keysOf.get(round)!.map((key) => {
            const raw = byRater[key] ?? null;
            const label = levelLabel(levels, raw);
            return {
              rater: raterNames[round.id]![key]!,
              value: label === null ? null : raw,
              label: label ?? NOT_RATED,
            };
          }),
        });
      }
      return {
        id: item.id,
        sectionId: section.id,
        section: section.heading,
        label: item.label,
        title: item.entry.indicator.title ?? '',
        statement: item.entry.indicator.text,
        status: snap?.status ?? 'not-discussed',
        decision: decision && {
          value: decision.value,
          label: levelLabel(levels, decision.value) ?? String(decision.value),
          by: people[decision.by] ?? decision.by,
          at: decision.at,
        },
        rationale: snap?.rationale ?? '',
        evidence: snap?.evidence ?? '',
        rounds: itemRounds,
      };
    });
    return { id: section.id, heading: section.heading, part: section.part?.title ?? null, items };
  });
  return {
    decisionWord: template.kind === 'checklist' ? 'Team rating' : 'Consensus',
    sections,
    rounds,
    raterNames,
  };
}

// ---- the CSV ----

/** A typed text that a spreadsheet would read as a formula, made inert (see the module). */
export function inert(text: string): string {
  // A plain number (a negative one too) stays a number; anything else starting like a formula
  // becomes text.
  if (/^-?\d+(\.\d+)?$/.test(text)) return text;
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * The report as a table, header first: Section, Item, Title, Statement, Round, one column per
 * rater name as the report shows it over all rounds (first seen first: "Rater A", or "Rater A
 * (Dana Smith)" in a report read with real names, where a letter that stands for two people in
 * two rounds is two columns), then the decision's level and label, the status, who recorded it
 * and when, the rationale and the evidence. A rater's cell is the level's value, "Not rated", or
 * empty when they were not in that round.
 */
export function reportTable(report: Report): string[][] {
  const raters: string[] = [];
  for (const section of report.sections) {
    for (const item of section.items) {
      for (const round of item.rounds) {
        for (const r of round.ratings) if (!raters.includes(r.rater)) raters.push(r.rater);
      }
    }
  }
  const word = report.decisionWord;
  const header = [
    'Section',
    'Item',
    'Title',
    'Statement',
    'Round',
    ...raters.map(inert),
    `${word} level`,
    word,
    'Status',
    'Recorded by',
    'Recorded at',
    'Rationale',
    'Evidence',
  ];
  const rows: string[][] = [header];
  for (const section of report.sections) {
    for (const item of section.items) {
      const rounds: (ItemRound | null)[] = item.rounds.length > 0 ? item.rounds : [null];
      for (const round of rounds) {
        const byName = new Map(round?.ratings.map((r) => [r.rater, r]) ?? []);
        rows.push([
          item.section,
          item.label,
          item.title,
          item.statement,
          round ? String(round.number) : '',
          ...raters.map((name) => {
            const r = byName.get(name);
            return r === undefined ? '' : r.value === null ? NOT_RATED : String(r.value);
          }),
          item.decision ? String(item.decision.value) : '',
          item.decision?.label ?? '',
          STATUS_LABELS[item.status],
          inert(item.decision?.by ?? ''),
          item.decision?.at ?? '',
          inert(item.rationale),
          inert(item.evidence),
        ]);
      }
    }
  }
  return rows;
}

/** The CSV file: UTF-8 with a BOM, RFC 4180 quoting, CRLF record ends. */
export function writeReportCsv(report: Report): string {
  return stringify(reportTable(report), { bom: true, record_delimiter: 'windows' });
}

/** "<workspace> - <instrument> - consensus.csv", without characters a file name cannot hold. */
export function reportFileName(workspace: string, instrument: string): string {
  return exportFileName(workspace, instrument, 'consensus.csv');
}

/** "<workspace> - <document> - <what>", without characters a file name cannot hold. */
export function exportFileName(workspace: string, document: string, what: string): string {
  const clean = (s: string) =>
    s
      .replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  return `${clean(workspace)} - ${clean(document)} - ${what}`;
}

/** A Content-Disposition header for `filename`: an ASCII fallback and the UTF-8 name (RFC 6266). */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

// ---- what the print page adds ----

export interface ReportSummary {
  /** The checklist's launch readiness; null for a rubric. */
  readiness: LaunchReadiness | null;
  scores: TemplateScores;
  /** The heatmap of each item's latest reveal (round-comparison.ts latestResults), or null
   * before any. */
  heatmap: HeatmapModel | null;
  /** Items whose decision is the lowest level of their scale (a rubric's areas of concern). */
  lowest: { id: string; label: string; title: string; level: string }[];
}

/**
 * Launch readiness and scores from the decisions, with each item's ratings from the latest round
 * that revealed it (a rating not on the item's scale reads as not rated), and the heatmap.
 */
export function reportSummary(template: LeveledTemplate, report: Report): ReportSummary {
  const ratings: Record<string, IndicatorRatings> = {};
  const keys = new Map(report.rounds.map((r) => [r.number, raterKeys(r)]));
  for (const section of report.sections) {
    for (const item of section.items) {
      const latest = item.rounds.at(-1);
      const roundKeys = latest ? (keys.get(latest.number) ?? []) : [];
      ratings[item.id] = {
        // Rater ids are the round's keys (unique), in the order readReport listed them.
        ratings: latest
          ? latest.ratings.map((r, i) => ({ raterId: roundKeys[i] ?? r.rater, value: r.value }))
          : [],
        ...(item.decision && {
          consensus: {
            indicatorId: item.id,
            value: item.decision.value,
            rationale: item.rationale,
            decidedBy: item.decision.by,
            decidedAt: item.decision.at,
            ratings: [],
          },
        }),
      };
    }
  }
  const input = ratings as AssessmentRatings;
  const scales = new Map(outline(template).entries.map((e) => [e.indicator.id, e.scale]));
  const lowest = report.sections.flatMap((s) =>
    s.items
      .filter((i) => i.decision && scales.get(i.id)?.levels[0]?.value === i.decision.value)
      .map((i) => ({
        id: i.id,
        label: i.label,
        title: i.title || i.statement,
        level: i.decision!.label,
      })),
  );
  // Each item's latest reveal (a second round's items from it, the rest from the first), named
  // as each round names its raters (a later round's names win for a key both use).
  const results = latestResults(report.rounds);
  const names = Object.assign(
    {},
    ...report.rounds
      .filter((r) => Object.keys(r.revealed).length > 0)
      .map((r) => report.raterNames[r.id] ?? {}),
  ) as Record<string, string>;
  return {
    readiness: template.kind === 'checklist' ? launchReadiness(template, input) : null,
    scores: scoreTemplate(template, input),
    heatmap: results ? heatmapModel(template, results, names) : null,
    lowest,
  };
}
