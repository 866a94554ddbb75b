/**
 * The gate in front of every `/w/[workspace]` page and action: signed out → sign in (and come
 * back); not a member, or no such workspace → 404 (the same answer, so ids cannot be probed);
 * a member whose role lacks the action (`can()` from @concord/auth) → 403 with a message.
 */
import {
  can,
  ROLE_LABELS,
  WORKSPACE_ACTION_LABELS,
  type WorkspaceAction,
} from '@concord/auth/roles';
import { error, fail, type ActionFailure } from '@sveltejs/kit';
import { requireUser, type GuardEvent } from './auth/guard.js';
import { getDb, type Db } from './db.js';
import { FORM_ERROR, type FormFailure } from './form.js';
import { workspaceAccess, type WorkspaceAccess } from './workspaces.js';

export const NOT_FOUND_MESSAGE =
  'There is no workspace here, or you are not a member of it. Ask its owner for an invitation.';

export interface MemberContext {
  user: NonNullable<App.Locals['user']>;
  db: Db;
  access: WorkspaceAccess;
}

/** The signed-in member and their role, or a redirect / 404 (see the module comment). */
export async function requireMember(
  event: GuardEvent & { params: { workspace?: string } },
): Promise<MemberContext> {
  const user = requireUser(event);
  const db = await getDb();
  const access = await workspaceAccess(db.sql, event.params.workspace ?? '', user.id);
  if (access === null) error(404, NOT_FOUND_MESSAGE);
  return { user, db, access };
}

/** A 403 answer for a form action the member's role may not take, shown above the form. */
export function forbidden(
  access: WorkspaceAccess,
  action: WorkspaceAction,
): ActionFailure<FormFailure> {
  return fail(403, {
    values: {},
    errors: {
      [FORM_ERROR]: `As ${ROLE_LABELS[access.role].toLowerCase()} you cannot do this (${WORKSPACE_ACTION_LABELS[action].toLowerCase()}). Ask an owner or facilitator.`,
    },
  });
}

/** Whether the member's role allows `action` (`can()`); if not, answer with `forbidden`. */
export function allows(access: WorkspaceAccess, action: WorkspaceAction): boolean {
  return can(access.role, action);
}
