import { PASSWORD_MIN_LENGTH, hashPassword } from '@concord/auth';
import { redirect } from '@sveltejs/kit';
import { EmailTakenError, createAccount } from '$lib/server/auth/accounts';
import { oidcConfig } from '$lib/server/auth/oidc-config';
import { safeRedirectTarget } from '$lib/server/auth/redirect-target';
import { SignUpSchema } from '$lib/server/auth/schemas';
import { getDb } from '$lib/server/db';
import { formFailure, validateForm } from '$lib/server/form';
import { createSession, setSessionCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  const redirectTo = safeRedirectTarget(url.searchParams.get('redirectTo'));
  if (locals.user) redirect(303, redirectTo);
  const sso = oidcConfig();
  return {
    redirectTo,
    sso: sso ? { name: sso.name } : null,
    passwordMinLength: PASSWORD_MIN_LENGTH,
  };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await validateForm(event.request, SignUpSchema);
    if (!form.ok) return form.failure;
    const db = await getDb();
    let account;
    try {
      account = await createAccount(db, {
        email: form.data.email,
        name: form.data.name,
        passwordHash: await hashPassword(form.data.password),
      });
    } catch (error) {
      if (!(error instanceof EmailTakenError)) throw error;
      return formFailure(409, form.values, {
        email: 'An account with this email already exists. Sign in instead.',
      });
    }
    const { token, session } = await createSession(db, account.id, {
      userAgent: event.request.headers.get('user-agent'),
      ip: event.getClientAddress(),
    });
    setSessionCookie(event, token, session.expiresAt);
    redirect(303, safeRedirectTarget(form.data.redirectTo));
  },
};
