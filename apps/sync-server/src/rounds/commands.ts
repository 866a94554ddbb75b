/**
 * Round commands as a facilitator's page sends them (protocol.ts MESSAGE_ROUND), validated at
 * the edge: anything else is answered with an error naming the field, and nothing changes.
 */
import { z } from 'zod';

const id = z.string().min(1).max(100);
const sectionId = z.string().min(1).max(200);
/** A date (2026-12-10) or an ISO 8601 timestamp. */
const deadline = z
  .string()
  .max(40)
  .refine(
    (s) =>
      /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)),
    {
      message: 'must be a date like 2026-12-10 or a timestamp like 2026-12-10T17:00:00Z',
    },
  );

export const RoundCommand = z.discriminatedUnion('op', [
  z.object({
    id,
    op: z.literal('open'),
    sections: z.array(sectionId).min(1, 'choose at least one section').max(200),
    /** A round on chosen items of those sections (a second, Delphi round); absent: all. */
    items: z.array(sectionId).min(1, 'choose at least one item').max(1000).optional(),
    anonymised: z.boolean(),
    deadline: deadline.nullable(),
  }),
  z.object({
    id,
    op: z.literal('reveal'),
    sections: z.union([z.literal('all'), z.array(sectionId).min(1).max(200)]),
  }),
  z.object({ id, op: z.literal('close') }),
  z.object({ id, op: z.literal('nudge'), rater: z.string().min(1).max(200) }),
  z.object({
    id,
    op: z.literal('timer'),
    /** The item discussed, or null to stop the timer. */
    item: z.string().min(1).max(200).nullable(),
    seconds: z.number().int().min(10, 'at least 10 seconds').max(3600, 'at most an hour'),
  }),
]);
export type RoundCommand = z.infer<typeof RoundCommand>;

export type RoundResult = { id: string; ok: true } | { id: string; ok: false; error: string };

/** The command in `json`, or why not (with the request id when one could be read). */
export function parseRoundCommand(
  json: string,
): { ok: true; command: RoundCommand } | { ok: false; id: string; error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, id: '', error: 'a round command is a JSON object' };
  }
  const requestId =
    typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string'
      ? String((raw as { id: string }).id).slice(0, 100)
      : '';
  const parsed = RoundCommand.safeParse(raw);
  if (parsed.success) return { ok: true, command: parsed.data };
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join('.') : 'command';
  return { ok: false, id: requestId, error: `${where}: ${issue.message}` };
}
