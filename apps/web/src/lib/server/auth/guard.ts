/**
 * Pages and actions that need a signed-in person: `const user = requireUser(event)` returns
 * `locals.user` or redirects (303) to the sign-in page, which brings the person back afterwards.
 */
import { redirect } from '@sveltejs/kit';
import { signInUrl } from './redirect-target.js';

export interface GuardEvent {
  locals: App.Locals;
  url: URL;
}

export function requireUser(event: GuardEvent): NonNullable<App.Locals['user']> {
  if (event.locals.user === null) redirect(303, signInUrl(event.url));
  return event.locals.user;
}

/** Both the person and their session (for actions that treat "this session" specially). */
export function requireSession(event: GuardEvent): {
  user: NonNullable<App.Locals['user']>;
  session: NonNullable<App.Locals['session']>;
} {
  const user = requireUser(event);
  if (event.locals.session === null) redirect(303, signInUrl(event.url));
  return { user, session: event.locals.session };
}
