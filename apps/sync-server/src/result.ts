/** Errors as values: what can fail in the normal course (a bad frame, a bad ticket) returns a
 * Result instead of throwing, so callers must look at the failure. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });
