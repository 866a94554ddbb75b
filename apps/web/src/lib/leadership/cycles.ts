/**
 * Readiness across assessment cycles for the leadership view (issue 25). A district's
 * workspaces are its cycles (one per school year), so the instruments of one template (and,
 * for a per-school tool, one school) across the workspaces a person sees form a series of
 * cycles; a workspace that holds more than one instrument of that template and school (a
 * re-assessment within the year) gives one cycle per instrument, in the order they were made.
 * Cycles are ordered by school year, then creation; each is labelled by its school year
 * ("2026-27", a second in the same year "2026-27 (2)"). A comparison is shown only with two or
 * more cycles of which one has a scored section. Pure: the page's server shapes with it.
 */
import type { SectionScoreRow } from '@concord/db/projection';

export interface CycleInstrument {
  documentId: string;
  workspaceId: string;
  workspaceName: string;
  districtId: string;
  districtName: string;
  schoolYear: string;
  templateId: string | null;
  /** The instrument's school (a per-school tool), or null. */
  schoolId: string | null;
  school: string | null;
  title: string;
  kind: string;
  /** ISO timestamp. */
  createdAt: string;
  scaleMax: number;
  sections: readonly SectionScoreRow[];
}

export interface Cycle {
  label: string;
  schoolYear: string;
  workspaceId: string;
  workspaceName: string;
  documentId: string;
}

export interface CycleSection {
  sectionId: string;
  title: string;
  /** Mean level per cycle (same order as `cycles`); null where not scored. */
  means: (number | null)[];
}

export interface CycleComparison {
  key: string;
  districtName: string;
  /** What is compared: the template's instrument name (and its school). */
  title: string;
  scaleMax: number;
  cycles: Cycle[];
  sections: CycleSection[];
  summary: string;
}

/** The sections a chart shows: top-level, on the template's own scale. */
const shown = (s: SectionScoreRow) => s.depth === 0 && !s.ownScale;

/** Every comparison across cycles in `instruments` (assessments only), by district then title. */
export function readinessCycles(instruments: readonly CycleInstrument[]): CycleComparison[] {
  const groups = new Map<string, CycleInstrument[]>();
  for (const i of instruments) {
    if (i.kind !== 'assessment' || i.templateId === null) continue;
    const key = `${i.districtId}|${i.templateId}|${i.schoolId ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  const out: CycleComparison[] = [];
  for (const [key, list] of groups) {
    if (list.length < 2) continue;
    const ordered = [...list].sort(
      (a, b) =>
        a.schoolYear.localeCompare(b.schoolYear) ||
        a.createdAt.localeCompare(b.createdAt) ||
        a.documentId.localeCompare(b.documentId),
    );
    const perYear = new Map<string, number>();
    const cycles = ordered.map((i) => {
      const n = (perYear.get(i.schoolYear) ?? 0) + 1;
      perYear.set(i.schoolYear, n);
      return {
        label: n === 1 ? i.schoolYear : `${i.schoolYear} (${n})`,
        schoolYear: i.schoolYear,
        workspaceId: i.workspaceId,
        workspaceName: i.workspaceName,
        documentId: i.documentId,
      };
    });
    // Sections in the latest cycle's order, then any only earlier cycles had.
    const titles = new Map<string, string>();
    for (const i of [...ordered].reverse()) {
      for (const s of i.sections.filter(shown)) {
        if (!titles.has(s.sectionId)) titles.set(s.sectionId, s.title);
      }
    }
    const sections = [...titles].map(([sectionId, title]) => ({
      sectionId,
      title,
      means: ordered.map(
        (i) => i.sections.find((s) => shown(s) && s.sectionId === sectionId)?.mean ?? null,
      ),
    }));
    if (!sections.some((s) => s.means.some((m) => m !== null))) continue;
    const latest = ordered.at(-1)!;
    const school = latest.school && !latest.title.includes(latest.school) ? latest.school : null;
    out.push({
      key,
      districtName: latest.districtName,
      title: school ? `${latest.title}, ${school}` : latest.title,
      scaleMax: Math.max(...ordered.map((i) => i.scaleMax)),
      cycles,
      sections,
      summary: cycleSummary(cycles, sections),
    });
  }
  return out.sort(
    (a, b) => a.districtName.localeCompare(b.districtName) || a.title.localeCompare(b.title),
  );
}

/**
 * One sentence: between the first and the last cycle, how many sections (scored in both) rose
 * and fell, and the largest change.
 */
export function cycleSummary(cycles: readonly Cycle[], sections: readonly CycleSection[]) {
  const first = cycles[0];
  const last = cycles.at(-1);
  if (!first || !last || first === last) return 'Only one cycle so far.';
  const both = sections
    .map((s) => ({ s, a: s.means[0] ?? null, b: s.means.at(-1) ?? null }))
    .filter((x): x is { s: CycleSection; a: number; b: number } => x.a !== null && x.b !== null);
  if (both.length === 0) {
    return `No section is scored in both ${first.label} and ${last.label} yet.`;
  }
  const f = (n: number) => n.toFixed(1);
  const rose = both.filter((x) => x.b - x.a >= 0.05).length;
  const fell = both.filter((x) => x.a - x.b >= 0.05).length;
  const largest = [...both].sort((x, y) => Math.abs(y.b - y.a) - Math.abs(x.b - x.a))[0]!;
  const change = largest.b - largest.a;
  const of = `${both.length === 1 ? 'the one section' : `${both.length} sections`} scored in both`;
  let sentence = `From ${first.label} to ${last.label}, of ${of}, ${rose} rose and ${fell} fell`;
  if (Math.abs(change) >= 0.05) {
    sentence += `; the largest change: ${largest.s.title}, ${f(largest.a)} to ${f(largest.b)}`;
  }
  return `${sentence}.`;
}
