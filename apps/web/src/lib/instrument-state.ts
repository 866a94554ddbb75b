/**
 * An instrument's state as the workspace page shows it, from the query tables
 * (`instrument_states`, kept in step with the documents by the sync server): where its rating
 * round stands, how many items the team has agreed, and for a Prerequisites checklist whether it
 * is ready to launch. Pure: the words the page prints, each status with a mark as well as a word
 * (never colour alone).
 */

export interface InstrumentState {
  itemsTotal: number;
  itemsAgreed: number;
  itemsInDiscussion: number;
  /** The latest round; null before the first. */
  round: {
    number: number;
    open: boolean;
    /** Items it rates, and of them revealed. */
    items: number;
    revealed: number;
    /** Its raters, and how many have rated every item of it. */
    raters: number;
    ratersDone: number;
  } | null;
  /** Checklists only: rubric-core's launch readiness, and how many categories block it. */
  readiness: 'ready' | 'blocked' | 'incomplete' | null;
  barriers: number | null;
}

export interface StateLine {
  /** What the line is about, for tests and styling: "round", "agreed" or "readiness". */
  kind: 'round' | 'agreed' | 'readiness';
  /** A mark that carries the status without colour: ●, ◐, ○, ✓ or ✕. */
  mark: string;
  text: string;
  /** A tone for styling only (the mark and text say it too). */
  tone: 'done' | 'active' | 'todo' | 'blocked';
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The page's lines for one instrument; `noun` is its items' word ("indicators", "categories"). */
export function stateLines(state: InstrumentState, noun: string): StateLine[] {
  const lines: StateLine[] = [];
  const r = state.round;
  if (!r) {
    lines.push({ kind: 'round', mark: '○', text: 'No rating round yet', tone: 'todo' });
  } else if (r.open && r.revealed < r.items) {
    const partly = r.revealed > 0 ? `, ${r.revealed} of ${r.items} items revealed` : '';
    lines.push({
      kind: 'round',
      mark: '◐',
      text: `Round ${r.number} open: ${r.ratersDone} of ${plural(r.raters, 'rater')} done${partly}`,
      tone: 'active',
    });
  } else {
    lines.push({
      kind: 'round',
      mark: '●',
      text: `Round ${r.number} revealed${r.open ? ', still open' : ' and closed'}`,
      tone: 'done',
    });
  }
  const agreedAll = state.itemsTotal > 0 && state.itemsAgreed === state.itemsTotal;
  const discussing =
    state.itemsInDiscussion > 0 ? ` · ${state.itemsInDiscussion} in discussion` : '';
  lines.push({
    kind: 'agreed',
    mark: agreedAll ? '✓' : state.itemsAgreed > 0 ? '◐' : '○',
    text: `${state.itemsAgreed} of ${state.itemsTotal} ${noun} agreed${discussing}`,
    tone: agreedAll ? 'done' : state.itemsAgreed > 0 ? 'active' : 'todo',
  });
  if (state.readiness === 'ready') {
    lines.push({ kind: 'readiness', mark: '✓', text: 'Ready to launch', tone: 'done' });
  } else if (state.readiness === 'blocked') {
    lines.push({
      kind: 'readiness',
      mark: '✕',
      text: `Not ready to launch: ${plural(state.barriers ?? 0, 'barrier')}`,
      tone: 'blocked',
    });
  } else if (state.readiness === 'incomplete') {
    lines.push({
      kind: 'readiness',
      mark: '○',
      text: 'Launch readiness: not every category decided',
      tone: 'todo',
    });
  }
  return lines;
}
