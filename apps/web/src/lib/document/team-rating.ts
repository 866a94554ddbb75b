/**
 * What an item card says about the group's recorded decision (the Prerequisites checklist's team
 * rating, an assessment's consensus): the level as the template has it, who recorded it (a
 * member's display name) and when (a readable date). Pure; the card reads the decision from the
 * item's map (@concord/documents readDecision) and passes the page's members.
 */
import type { Decision } from '@concord/documents';
import type { OutlineEntry } from '@concord/rubric-core';

export interface DecisionView {
  /** "2 Sufficient for Launch": the level's value and label, exactly as the template has them. */
  level: string;
  /** The recorder's display name, or "A former member" when they are no longer a member. */
  by: string;
  /** "September 16, 2026", in the reader's time zone (or `timeZone`). */
  date: string;
  /** The timestamp as stored, for <time datetime>. */
  at: string;
}

/** The artifact's word for the group's decision. */
export function decisionWord(kind: 'prerequisites' | 'assessment'): string {
  return kind === 'assessment' ? 'Consensus rating' : 'Team rating';
}

export function decisionView(
  decision: Decision,
  levels: OutlineEntry['scale']['levels'],
  members: readonly { id: string; name: string }[],
  timeZone?: string,
): DecisionView {
  const level = levels.find((l) => l.value === decision.value);
  return {
    level: level ? `${level.value} ${level.label}` : String(decision.value),
    by: members.find((m) => m.id === decision.by)?.name ?? 'A former member',
    date: new Date(decision.at).toLocaleDateString('en-US', {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      ...(timeZone ? { timeZone } : {}),
    }),
    at: decision.at,
  };
}

/** A rich text's plain text (textOf) as its paragraphs, blank lines dropped. */
export function paragraphsOf(text: string): string[] {
  return text
    .split('\n')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}
