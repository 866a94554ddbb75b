/**
 * Every enumeration the schema checks, as data. The same lists give the TypeScript types and the
 * SQL `check` constraints, so the two cannot drift apart. Roles and document kinds are
 * @concord/auth's lists (the capability table is written against them), so there is one of each.
 */
import { DOCUMENT_KINDS as AUTH_DOCUMENT_KINDS, ROLES } from '@concord/auth/roles';

/** What a member may do in a workspace, from most to least powerful. */
export const MEMBERSHIP_ROLES = ROLES;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

/** Whom a member speaks for when rating: the district or one school (then `school_id` is set). */
export const REPRESENTS = ['district', 'school'] as const;
export type Represents = (typeof REPRESENTS)[number];

/**
 * The co-edited Yjs documents of a workspace (MISSION.md, "The artifacts of a workspace"):
 * - `prerequisites`: the SchoolWorks Prerequisites to Launch checklist (team ratings, evidence);
 * - `assessment`: one rubric assessment (consensus, rationale, evidence, status per indicator);
 * - `ratings`: one rater's private ratings and notes for an assessment or the prerequisites
 *   (parent_id), owned by that rater; the server withholds it from others until reveal;
 * - `plan`: the strategic plan (vision, goals, action steps, metrics);
 * - `comments`: the comment threads anchored inside another document (parent_id).
 */
export const DOCUMENT_KINDS = AUTH_DOCUMENT_KINDS;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Kinds that belong to another document (parent_id required). */
export const CHILD_DOCUMENT_KINDS = [
  'ratings',
  'comments',
] as const satisfies readonly DocumentKind[];

/** A named version is one a person saved with a label; auto versions are taken by the server. */
export const VERSION_KINDS = ['named', 'auto'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

/** Discussion status of one indicator (the same ids as rubric-core's IndicatorStatus). */
export const CONSENSUS_STATUSES = ['not-discussed', 'in-discussion', 'agreed'] as const;
export type ConsensusStatus = (typeof CONSENSUS_STATUSES)[number];

/** Launch readiness of a checklist (rubric-core's launchReadiness status). */
export const LAUNCH_READINESS = ['ready', 'blocked', 'incomplete'] as const;
export type LaunchReadinessStatus = (typeof LAUNCH_READINESS)[number];

/** How sure the owners are that a goal will be met. */
export const GOAL_CONFIDENCE = ['low', 'medium', 'high'] as const;
export type GoalConfidence = (typeof GOAL_CONFIDENCE)[number];

/** Status of an action step. Goal statuses come from the plan template, so they are not fixed. */
export const ACTION_STEP_STATUSES = ['not-started', 'in-progress', 'done', 'blocked'] as const;
export type ActionStepStatus = (typeof ACTION_STEP_STATUSES)[number];

/** What the audit log records: who changed access, revealed ratings, or rewound history. */
export const AUDIT_ACTIONS = [
  'workspace.create',
  'workspace.update',
  'membership.add',
  'membership.remove',
  'membership.role-change',
  'invitation.create',
  'invitation.revoke',
  'invitation.accept',
  'ratings.reveal',
  'ratings.hide',
  'consensus.record',
  'document.create',
  'document.delete',
  'version.mark',
  'version.restore',
  'template.import',
  'workspace.export',
  'workspace.import',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
