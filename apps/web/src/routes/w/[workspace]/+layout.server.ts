/**
 * Every page under /w/[workspace]: only members get in (signed out → sign in; others → 404).
 * Form actions do not run this load first, so each action checks again (requireMember).
 */
import { can, WORKSPACE_ACTION_NAMES } from '@concord/auth/roles';
import { requireMember } from '$lib/server/workspace-guard';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
  const { access } = await requireMember(event);
  return {
    workspace: access.workspace,
    membership: { role: access.role, represents: access.represents, schoolId: access.schoolId },
    /** What this member's role may do, for hiding controls (the server checks again). */
    capabilities: WORKSPACE_ACTION_NAMES.filter((a) => can(access.role, a)),
  };
};
