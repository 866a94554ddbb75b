import type { LayoutServerLoad } from './$types';

/** Every page knows who is signed in (the header shows them and a sign-out button). */
export const load: LayoutServerLoad = ({ locals }) => {
  return { user: locals.user };
};
