import { redirect } from '@sveltejs/kit';
import { OIDC_FAILURE_TEXT } from '$lib/server/auth/oidc-link';
import { oidcConfig } from '$lib/server/auth/oidc-config';
import { signInWithPassword } from '$lib/server/auth/password-sign-in';
import { safeRedirectTarget } from '$lib/server/auth/redirect-target';
import { SignInSchema } from '$lib/server/auth/schemas';
import { getDb } from '$lib/server/db';
import { FORM_ERROR, formFailure, validateForm } from '$lib/server/form';
import { createSession, setSessionCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  const redirectTo = safeRedirectTarget(url.searchParams.get('redirectTo'));
  if (locals.user) redirect(303, redirectTo);
  const sso = oidcConfig();
  const failure = url.searchParams.get('sso');
  return {
    redirectTo,
    sso: sso ? { name: sso.name } : null,
    ssoError: failure ? (OIDC_FAILURE_TEXT[failure] ?? null) : null,
  };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await validateForm(event.request, SignInSchema);
    if (!form.ok) return form.failure;
    const db = await getDb();
    const result = await signInWithPassword(db, {
      email: form.data.email,
      password: form.data.password,
      address: event.getClientAddress(),
    });
    if (!result.ok) {
      if (result.retryAt) {
        event.setHeaders({
          'retry-after': String(Math.ceil((result.retryAt.getTime() - Date.now()) / 1000)),
        });
      }
      return formFailure(result.status, form.values, { [FORM_ERROR]: result.message });
    }
    const { token, session } = await createSession(db, result.account.id, {
      userAgent: event.request.headers.get('user-agent'),
      ip: event.getClientAddress(),
    });
    setSessionCookie(event, token, session.expiresAt);
    redirect(303, safeRedirectTarget(form.data.redirectTo));
  },
};
