import { hashPassword, verifyPassword } from '@concord/auth';
import { z } from 'zod';
import { findAccountById, renameAccount, setPasswordHash } from '$lib/server/auth/accounts';
import { requireSession } from '$lib/server/auth/guard';
import {
  CurrentPasswordField,
  NameField,
  checkNewPassword,
  newPasswordField,
} from '$lib/server/auth/schemas';
import { signInThrottle } from '$lib/server/auth/sign-in-throttle';
import { getDb } from '$lib/server/db';
import { FORM_ERROR, formFailure, validateForm } from '$lib/server/form';
import {
  invalidateOwnSession,
  invalidateUserSessions,
  listUserSessions,
} from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';
import { describeUserAgent } from '$lib/server/user-agent';

export const load: PageServerLoad = async (event) => {
  const { user, session } = requireSession(event);
  const db = await getDb();
  const [account, sessions] = await Promise.all([
    findAccountById(db, user.id),
    listUserSessions(db, user.id),
  ]);
  return {
    profile: { name: user.name, email: user.email },
    hasPassword: account?.passwordHash != null,
    sessions: sessions.map((s) => ({
      id: s.id,
      current: s.id === session.id,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      userAgent: s.userAgent,
      device: describeUserAgent(s.userAgent),
      ip: s.ip,
    })),
  };
};

const ProfileSchema = z.object({ name: NameField });

const SessionIdSchema = z.object({
  sessionId: z.string({ error: 'Choose a session.' }).regex(/^[0-9a-f]{64}$/, 'Choose a session.'),
});

export const actions: Actions = {
  profile: async (event) => {
    const { user } = requireSession(event);
    const form = await validateForm(event.request, ProfileSchema);
    if (!form.ok) return form.failure;
    await renameAccount(await getDb(), user.id, form.data.name);
    return { saved: 'profile' as const };
  },

  /** A new password ends every other session, so a thief with an old cookie is out. */
  password: async (event) => {
    const { user, session } = requireSession(event);
    const db = await getDb();
    const account = await findAccountById(db, user.id);
    const hasPassword = account?.passwordHash != null;
    const schema = z
      .object({
        currentPassword: hasPassword ? CurrentPasswordField : z.string().optional(),
        newPassword: newPasswordField(),
      })
      .superRefine((v, ctx) => checkNewPassword(v.newPassword, user.email, ctx, 'newPassword'));
    const form = await validateForm(event.request, schema);
    if (!form.ok) return form.failure;
    if (account?.passwordHash) {
      // The current password is a password guess like any other: same throttle as sign-in.
      const attempt = { account: user.email, address: event.getClientAddress() };
      const gate = signInThrottle.check(attempt);
      if (!gate.allowed) return formFailure(429, form.values, { [FORM_ERROR]: gate.message });
      if (!(await verifyPassword(account.passwordHash, form.data.currentPassword ?? ''))) {
        signInThrottle.failed(attempt);
        return formFailure(400, form.values, {
          currentPassword: 'That is not your current password.',
        });
      }
      signInThrottle.succeeded(attempt);
    }
    await setPasswordHash(db, user.id, await hashPassword(form.data.newPassword));
    await invalidateUserSessions(db, user.id, session.id);
    return { saved: 'password' as const };
  },

  revoke: async (event) => {
    const { user, session } = requireSession(event);
    const form = await validateForm(event.request, SessionIdSchema);
    if (!form.ok) return form.failure;
    if (form.data.sessionId === session.id) {
      return formFailure(400, form.values, {
        [FORM_ERROR]: 'That is this session. To end it, use Sign out.',
      });
    }
    const ended = await invalidateOwnSession(await getDb(), user.id, form.data.sessionId);
    if (!ended) {
      return formFailure(404, form.values, {
        [FORM_ERROR]: 'That session has already ended. The list below is up to date.',
      });
    }
    return { saved: 'revoked' as const };
  },

  revokeOthers: async (event) => {
    const { user, session } = requireSession(event);
    await invalidateUserSessions(await getDb(), user.id, session.id);
    return { saved: 'revoked-others' as const };
  },
};
