/**
 * One way to read a form: validate the posted FormData with a zod schema at the edge, and on
 * error answer `fail(400, { values, errors })` so the page shows each message next to its field
 * and keeps what was typed. Nothing is stored on error; a body that is not a form at all is
 * treated as an empty form (a 400 naming the missing fields, never a 500).
 *
 * Contract (every form action uses it; keep it stable):
 *   const form = await validateForm(request, Schema);
 *   if (!form.ok) return form.failure;          // fail(400, { values, errors })
 *   ... form.data is the parsed value ...
 *   return formFailure(409, form.values, { email: 'Already taken.' });   // errors found later
 * `errors` maps a field name (zod path joined with ".") to one message; FORM_ERROR is the key for
 * a message about the whole form. Password fields (any name containing "password") are never
 * sent back in `values`. Repeated names (checkbox groups) arrive as arrays: declare them with
 * `formList(...)`. Pages read `form?.values` and `form?.errors` (see $lib/components/Field).
 */
import { fail, type ActionFailure } from '@sveltejs/kit';
import { z } from 'zod';

/** The key for a message about the form as a whole rather than one field. */
export const FORM_ERROR = 'form';

export type FormValues = Record<string, string | string[]>;
export type FormErrors = Record<string, string>;

export interface FormFailure {
  values: FormValues;
  errors: FormErrors;
}

export type FormResult<T> =
  | { ok: true; data: T; values: FormValues }
  | { ok: false; failure: ActionFailure<FormFailure>; values: FormValues };

/** Field names whose values are never echoed back to the page. */
export function isSecretField(name: string): boolean {
  return /password/i.test(name);
}

/** The posted body as FormData; an unreadable or non-form body counts as empty. */
export async function readFormData(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    return new FormData();
  }
}

/** Text fields as strings, repeated names as arrays; files are ignored. */
export function formValues(data: FormData): FormValues {
  const values: FormValues = {};
  for (const key of new Set(data.keys())) {
    const texts = data.getAll(key).filter((v): v is string => typeof v === 'string');
    if (texts.length === 0) continue;
    values[key] = texts.length === 1 ? (texts[0] as string) : texts;
  }
  return values;
}

/** What may be shown again on the page: everything typed except secrets. */
export function echoValues(values: FormValues): FormValues {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !isSecretField(k)));
}

/** The first message per field from a zod error. */
export function fieldErrors(error: z.ZodError): FormErrors {
  const errors: FormErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length === 0 ? FORM_ERROR : issue.path.map(String).join('.');
    errors[key] ??= issue.message;
  }
  return errors;
}

/** `fail(status, { values, errors })` with secrets removed from `values`. */
export function formFailure(
  status: number,
  values: FormValues,
  errors: FormErrors,
): ActionFailure<FormFailure> {
  return fail(status, { values: echoValues(values), errors });
}

/** Parses FormData that is already read (e.g. when the action needs a field first). */
export function parseForm<S extends z.ZodType>(data: FormData, schema: S): FormResult<z.output<S>> {
  const values = formValues(data);
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data, values };
  return { ok: false, failure: formFailure(400, values, fieldErrors(parsed.error)), values };
}

/** Reads the request's form and validates it; see the module comment. */
export async function validateForm<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<FormResult<z.output<S>>> {
  return parseForm(await readFormData(request), schema);
}

/** A text field: trimmed, required unless `optional`, at most `max` characters. */
export function formText(label: string, max: number) {
  return z
    .string({ error: `Enter ${label}.` })
    .trim()
    .min(1, `Enter ${label}.`)
    .max(max, `Use at most ${max} characters.`);
}

/** A field that may be repeated (checkbox group, multi-select): always an array. */
export function formList<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(item, { error: 'Choose from the list.' }),
  );
}

/** A checkbox: present ("on" or any value) means true. */
export const formCheckbox = z.preprocess((v) => v !== undefined && v !== '', z.boolean());
