/**
 * Rating rounds of a checklist or assessment: the state every participant syncs with the
 * instrument document (root `rounds`), and the freeze marks in each rater's private ratings
 * document (root `frozen`). Only the sync server writes either (their shapes are `serverOnly`):
 * a facilitator asks it, through a round command on the instrument's connection, to open a round,
 * reveal sections or close it, and it writes the change attributed to them; it keeps each rater's
 * progress (counts per section, never values) in step as they rate. So a client can neither forge
 * a reveal nor read a rating before it, and a revealed rating cannot change afterwards.
 *
 *   rounds: Y.Map<roundId, Y.Map>           roundId "r<number>"
 *     opened    { number, sections, items?, anonymised, deadline, by, at }
 *                                           items: the chosen items of those sections (a second,
 *                                           Delphi round on items still in disagreement); absent:
 *                                           every item of the sections
 *     closed    { by, at }                  absent while the round is open
 *     raters    Y.Map<raterKey, { name }>   a named round: key = user id, name = display name;
 *                                           an anonymised one: key "A", "B", … and "Rater A"
 *     progress  Y.Map<raterKey, { [sectionId]: rated items }>
 *     revealed  Y.Map<sectionId, { by, at, ratings: { [itemId]: { [raterKey]: level | null } } }>
 *     nudges    Y.Map<raterKey, { by, at }>
 *     timer     { item, seconds, startedAt, by }   the discussion timer, started at the server's
 *                                           time (absent or null: none running)
 *   frozen (ratings document): Y.Map<indicatorId, roundId>   revealed, so fixed from then on
 *
 * Which user an anonymised key stands for is kept by the server (the database's round_raters),
 * and shown to facilitators only. Pure: no I/O; the writers are the server's.
 */
import type { AssessmentRatings, LeveledTemplate, RaterRating } from '@concord/rubric-core';
import { outline } from '@concord/rubric-core';
import * as Y from 'yjs';
import { ROOT } from './schema.js';
import { asMap, asRecord, asString, asTimestamp, rootMap } from './values.js';

/** Keys of one round's map. */
export const ROUND = {
  opened: 'opened',
  closed: 'closed',
  raters: 'raters',
  progress: 'progress',
  revealed: 'revealed',
  nudges: 'nudges',
  timer: 'timer',
} as const;

/** Longest deadline note or name kept in a round. */
const MAX_NAME = 200;

export interface Stamp {
  /** User id of the person who asked. */
  by: string;
  /** ISO 8601, the server's clock. */
  at: string;
}

export interface RoundSettings {
  /** Section ids of the template this round rates. */
  sections: string[];
  /** The chosen items of those sections, template order; null or absent: every item of the
   * sections. */
  items?: string[] | null;
  /** Results show "Rater A, B, …" to everyone but facilitators. */
  anonymised: boolean;
  /** ISO 8601 date or timestamp, or null. */
  deadline: string | null;
}

export interface RevealedSection extends Stamp {
  /** Per item id, each rater's level (null = not rated) by rater key. */
  ratings: Record<string, Record<string, number | null>>;
}

/** The shared discussion timer: `seconds` from `startedAt` (the server's clock) on `item`. */
export interface RoundTimer {
  item: string;
  seconds: number;
  startedAt: string;
  by: string;
}

export interface RoundState extends RoundSettings {
  items: string[] | null;
  id: string;
  number: number;
  opened: Stamp;
  closed: Stamp | null;
  /** Rater key → display name ("Rater A" in an anonymised round). */
  raters: Record<string, string>;
  /** Rater key → rated items per section id. */
  progress: Record<string, Record<string, number>>;
  /** Section id → the frozen snapshot of that section's ratings. */
  revealed: Record<string, RevealedSection>;
  nudges: Record<string, Stamp>;
  timer: RoundTimer | null;
}

export function roundId(number: number): string {
  return `r${number}`;
}

/** The anonymised key of the n-th rater (0-based): A … Z, then AA, AB, … */
export function anonymousKey(index: number): string {
  let n = index;
  let key = '';
  do {
    key = String.fromCharCode(65 + (n % 26)) + key;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return key;
}

function stampOf(value: unknown): Stamp | null {
  const r = asRecord(value);
  const by = asString(r?.by);
  const at = asTimestamp(r?.at);
  return by !== undefined && at !== undefined ? { by, at } : null;
}

function counts(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(asRecord(value) ?? {})) {
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) out[k] = v;
  }
  return out;
}

function revealedOf(value: unknown): RevealedSection | null {
  const stamp = stampOf(value);
  const ratings = asRecord(asRecord(value)?.ratings);
  if (!stamp || !ratings) return null;
  const out: Record<string, Record<string, number | null>> = {};
  for (const [itemId, byRater] of Object.entries(ratings)) {
    const row: Record<string, number | null> = {};
    for (const [key, v] of Object.entries(asRecord(byRater) ?? {})) {
      row[key] = typeof v === 'number' && Number.isInteger(v) ? v : null;
    }
    out[itemId] = row;
  }
  return { ...stamp, ratings: out };
}

function readRound(id: string, map: Y.Map<unknown>): RoundState | null {
  const opened = asRecord(map.get(ROUND.opened));
  const stamp = stampOf(opened);
  const number = opened?.number;
  if (!opened || !stamp || typeof number !== 'number') return null;
  const sections = Array.isArray(opened.sections)
    ? opened.sections.filter((s): s is string => typeof s === 'string')
    : [];
  const items = Array.isArray(opened.items)
    ? opened.items.filter((s): s is string => typeof s === 'string')
    : null;
  const raters: Record<string, string> = {};
  for (const [key, v] of asMap(map.get(ROUND.raters))?.entries() ?? []) {
    raters[key] = asString(asRecord(v)?.name) ?? key;
  }
  const progress: Record<string, Record<string, number>> = {};
  for (const [key, v] of asMap(map.get(ROUND.progress))?.entries() ?? []) {
    progress[key] = counts(v);
  }
  const revealed: Record<string, RevealedSection> = {};
  for (const [section, v] of asMap(map.get(ROUND.revealed))?.entries() ?? []) {
    const r = revealedOf(v);
    if (r) revealed[section] = r;
  }
  const nudges: Record<string, Stamp> = {};
  for (const [key, v] of asMap(map.get(ROUND.nudges))?.entries() ?? []) {
    const s = stampOf(v);
    if (s) nudges[key] = s;
  }
  const t = asRecord(map.get(ROUND.timer));
  const timer: RoundTimer | null =
    t &&
    typeof t.item === 'string' &&
    typeof t.seconds === 'number' &&
    asTimestamp(t.startedAt) !== undefined &&
    typeof t.by === 'string'
      ? { item: t.item, seconds: t.seconds, startedAt: t.startedAt as string, by: t.by }
      : null;
  return {
    id,
    number,
    sections,
    items,
    anonymised: opened.anonymised === true,
    deadline: asString(opened.deadline) ?? null,
    opened: stamp,
    closed: stampOf(map.get(ROUND.closed)),
    raters,
    progress,
    revealed,
    nudges,
    timer,
  };
}

/** Every round of an instrument document, oldest first. Anything malformed reads as absent. */
export function readRounds(doc: Y.Doc): RoundState[] {
  const out: RoundState[] = [];
  for (const [id, value] of rootMap(doc, ROOT.rounds)?.entries() ?? []) {
    const map = asMap(value);
    const round = map ? readRound(id, map) : null;
    if (round) out.push(round);
  }
  return out.sort((a, b) => a.number - b.number);
}

/** The latest round, open or not, or null before the first. */
export function latestRound(doc: Y.Doc): RoundState | null {
  return readRounds(doc).at(-1) ?? null;
}

/** The latest round while it is open (opened, not yet closed), or null. */
export function openRound(doc: Y.Doc): RoundState | null {
  const round = latestRound(doc);
  return round && round.closed === null ? round : null;
}

/** Whether every section of the round has been revealed. */
export function fullyRevealed(round: RoundState): boolean {
  return round.sections.every((s) => s in round.revealed);
}

// ---- the server's writers ----

/** Lays out round `number` in one transaction. `raters`: key → display name. */
export function writeOpenRound(
  doc: Y.Doc,
  number: number,
  settings: RoundSettings,
  raters: Record<string, string>,
  stamp: Stamp,
): string {
  const id = roundId(number);
  doc.transact(() => {
    const round = new Y.Map<unknown>();
    doc.getMap(ROOT.rounds).set(id, round);
    round.set(ROUND.opened, {
      number,
      sections: [...settings.sections],
      ...(settings.items ? { items: [...settings.items] } : {}),
      anonymised: settings.anonymised,
      deadline: settings.deadline,
      by: stamp.by,
      at: stamp.at,
    });
    const names = new Y.Map<unknown>();
    round.set(ROUND.raters, names);
    for (const [key, name] of Object.entries(raters))
      names.set(key, { name: name.slice(0, MAX_NAME) });
    round.set(ROUND.progress, new Y.Map());
    round.set(ROUND.revealed, new Y.Map());
    round.set(ROUND.nudges, new Y.Map());
  });
  return id;
}

function roundMap(doc: Y.Doc, id: string, key: string): Y.Map<unknown> {
  const round = asMap(doc.getMap(ROOT.rounds).get(id));
  const map = asMap(round?.get(key));
  if (!map) throw new Error(`round ${id} has no ${key}`);
  return map;
}

/** Adds a rater who joined after the round opened. */
export function writeRater(doc: Y.Doc, id: string, key: string, name: string): void {
  roundMap(doc, id, ROUND.raters).set(key, { name: name.slice(0, MAX_NAME) });
}

/** A rater's counts, written only when they changed (so a rating that moves within a section
 * writes nothing). Returns whether it wrote. */
export function writeProgress(
  doc: Y.Doc,
  id: string,
  key: string,
  bySection: Record<string, number>,
): boolean {
  const progress = roundMap(doc, id, ROUND.progress);
  const before = counts(progress.get(key));
  const same =
    Object.keys(before).length === Object.keys(bySection).length &&
    Object.entries(bySection).every(([s, n]) => before[s] === n);
  if (same && progress.has(key)) return false;
  progress.set(key, { ...bySection });
  return true;
}

export function writeReveal(
  doc: Y.Doc,
  id: string,
  snapshots: Record<string, Record<string, Record<string, number | null>>>,
  stamp: Stamp,
): void {
  doc.transact(() => {
    const revealed = roundMap(doc, id, ROUND.revealed);
    for (const [section, ratings] of Object.entries(snapshots)) {
      revealed.set(section, { by: stamp.by, at: stamp.at, ratings });
    }
  });
}

export function writeClose(doc: Y.Doc, id: string, stamp: Stamp): void {
  const round = asMap(doc.getMap(ROOT.rounds).get(id));
  if (!round) throw new Error(`no round ${id}`);
  round.set(ROUND.closed, { by: stamp.by, at: stamp.at });
}

export function writeNudge(doc: Y.Doc, id: string, key: string, stamp: Stamp): void {
  roundMap(doc, id, ROUND.nudges).set(key, { by: stamp.by, at: stamp.at });
}

/** Starts (or with null, stops) the round's discussion timer. */
export function writeTimer(doc: Y.Doc, id: string, timer: RoundTimer | null): void {
  const round = asMap(doc.getMap(ROOT.rounds).get(id));
  if (!round) throw new Error(`no round ${id}`);
  round.set(ROUND.timer, timer ? { ...timer } : null);
}

/** Marks these indicators of a rater's ratings document fixed (revealed in round `id`). */
export function writeFrozen(doc: Y.Doc, indicatorIds: readonly string[], id: string): void {
  doc.transact(() => {
    const frozen = doc.getMap(ROOT.frozen);
    for (const indicatorId of indicatorIds)
      if (!frozen.has(indicatorId)) frozen.set(indicatorId, id);
  });
}

/** Indicator ids of a ratings document that are revealed, so fixed. */
export function readFrozen(doc: Y.Doc): Set<string> {
  return new Set(rootMap(doc, ROOT.frozen)?.keys() ?? []);
}

// ---- pure views over a template ----

/** Item ids per section id, for the sections asked (template order). */
export function sectionItems(
  template: LeveledTemplate,
  sections: readonly string[],
): Map<string, string[]> {
  const out = new Map<string, string[]>(sections.map((s) => [s, []]));
  for (const entry of outline(template).entries) {
    out.get(entry.section.id)?.push(entry.indicator.id);
  }
  return out;
}

/**
 * The items a round rates, per section id (template order): every item of its sections, or the
 * chosen ones when the round was opened on items.
 */
export function roundItems(
  template: LeveledTemplate,
  round: Pick<RoundSettings, 'sections' | 'items'>,
): Map<string, string[]> {
  const bySection = sectionItems(template, round.sections);
  if (!round.items) return bySection;
  const chosen = new Set(round.items);
  return new Map([...bySection].map(([s, ids]) => [s, ids.filter((id) => chosen.has(id))]));
}

/** How many of the round's items of each section a rater has rated (a level of the item's
 * scale). */
export function progressOf(
  template: LeveledTemplate,
  round: Pick<RoundSettings, 'sections' | 'items'>,
  ratings: Readonly<Record<string, number | null>>,
): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(round.sections.map((s) => [s, 0]));
  const chosen = round.items ? new Set(round.items) : null;
  for (const entry of outline(template).entries) {
    if (!(entry.section.id in out)) continue;
    if (chosen && !chosen.has(entry.indicator.id)) continue;
    const v = ratings[entry.indicator.id];
    if (typeof v === 'number' && entry.scale.levels.some((l) => l.value === v)) {
      out[entry.section.id]! += 1;
    }
  }
  return out;
}

/**
 * The revealed ratings of a round as rubric-core reads them (rater ids are the round's rater
 * keys), for the heatmap and the statistics. Items of unrevealed sections are absent.
 */
export function revealedRatings(round: RoundState): AssessmentRatings {
  const out: Record<string, { ratings: RaterRating[] }> = {};
  for (const section of Object.values(round.revealed)) {
    for (const [itemId, byRater] of Object.entries(section.ratings)) {
      out[itemId] = {
        ratings: Object.entries(byRater).map(([raterId, value]) => ({ raterId, value })),
      };
    }
  }
  return out;
}
