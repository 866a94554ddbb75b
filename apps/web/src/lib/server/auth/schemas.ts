/**
 * The account forms' schemas (zod), so the rules for an email, a name and a new password exist
 * once. A new password is checked with @concord/auth's passwordProblem, whose messages say what
 * to change.
 */
import { PASSWORD_PROBLEM_TEXT, passwordProblem } from '@concord/auth';
import { z } from 'zod';
import { CURRENT_PASSWORD_MAX_LENGTH, EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from './limits.js';

export const EmailField = z
  .string({ error: 'Enter your email address.' })
  .trim()
  .toLowerCase()
  .min(1, 'Enter your email address.')
  .max(EMAIL_MAX_LENGTH, `Use at most ${EMAIL_MAX_LENGTH} characters.`)
  .regex(
    /^[^@\s\p{Cc}]+@[^@\s\p{Cc}]+\.[^@\s\p{Cc}]+$/u,
    'Enter an email address like name@school.org.',
  );

export const NameField = z
  .string({ error: 'Enter your name.' })
  .trim()
  .min(1, 'Enter your name.')
  .max(NAME_MAX_LENGTH, `Use at most ${NAME_MAX_LENGTH} characters.`)
  // Control characters (NUL above all, which PostgreSQL text refuses) have no place in a name.
  .regex(/^\P{Cc}*$/u, 'Remove the control characters (such as tabs) from your name.');

/** A password being typed to sign in: only bounded, never judged. */
export const CurrentPasswordField = z
  .string({ error: 'Enter your password.' })
  .min(1, 'Enter your password.')
  .max(CURRENT_PASSWORD_MAX_LENGTH, 'That password is too long to be yours.');

/**
 * A new password: length and the common-password list here; "not your email" needs the email,
 * so forms that have one add `checkNewPassword` on the whole object.
 */
export function newPasswordField() {
  return z
    .string({ error: 'Choose a password.' })
    .min(1, 'Choose a password.')
    .superRefine((password, ctx) => {
      const problem = passwordProblem(password);
      if (problem !== null)
        ctx.addIssue({ code: 'custom', message: PASSWORD_PROBLEM_TEXT[problem] });
    });
}

/** Adds passwordProblem's message to `field` when the password contains the email. */
export function checkNewPassword(
  password: string,
  email: string | undefined,
  ctx: z.RefinementCtx,
  field: string,
) {
  const problem = passwordProblem(password, email);
  if (problem !== null) {
    ctx.addIssue({ code: 'custom', path: [field], message: PASSWORD_PROBLEM_TEXT[problem] });
  }
}

export const RedirectField = z.string().max(2000).optional();

export const SignInSchema = z.object({
  email: EmailField,
  password: CurrentPasswordField,
  redirectTo: RedirectField,
});

export const SignUpSchema = z
  .object({
    name: NameField,
    email: EmailField,
    password: newPasswordField(),
    redirectTo: RedirectField,
  })
  .superRefine((v, ctx) => checkNewPassword(v.password, v.email, ctx, 'password'));
