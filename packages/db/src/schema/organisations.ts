/**
 * Organisations and access: districts and their schools, workspaces (one planning engagement of
 * one district), who is a member with which role and whom they represent, and invitations.
 */
import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { createdAt, oneOf, timestamptz } from './columns.js';
import { MEMBERSHIP_ROLES, REPRESENTS } from './enums.js';

export const districts = pgTable(
  'districts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** Two-letter state code, e.g. "MA". */
    state: text('state'),
    createdAt: createdAt(),
  },
  (t) => [
    check('districts_name_not_blank', sql`length(btrim(${t.name})) > 0`),
    check('districts_state_code', sql`${t.state} ~ '^[A-Z]{2}$'`),
  ],
);

export const schools = pgTable(
  'schools',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('schools_district_name_key').on(t.districtId, t.name),
    check('schools_name_not_blank', sql`length(btrim(${t.name})) > 0`),
  ],
);

export const workspaces = pgTable(
  'workspaces',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Restrict: a district with workspaces is deleted only after its workspaces, explicitly. */
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id, { onDelete: 'restrict' }),
    /** e.g. "Revere Public Schools — PL readiness 2026-27". */
    name: text('name').notNull(),
    /** e.g. "2026-27". */
    schoolYear: text('school_year').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    check('workspaces_name_not_blank', sql`length(btrim(${t.name})) > 0`),
    check('workspaces_school_year_shape', sql`${t.schoolYear} ~ '^[0-9]{4}-[0-9]{2}$'`),
    index('workspaces_district_idx').on(t.districtId),
  ],
);

export const workspaceSchools = pgTable(
  'workspace_schools',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ name: 'workspace_schools_pkey', columns: [t.workspaceId, t.schoolId] }),
    index('workspace_schools_school_idx').on(t.schoolId),
  ],
);

export const memberships = pgTable(
  'memberships',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: MEMBERSHIP_ROLES }).notNull(),
    represents: text('represents', { enum: REPRESENTS }),
    schoolId: uuid('school_id').references(() => schools.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'memberships_pkey', columns: [t.workspaceId, t.userId] }),
    check('memberships_role', oneOf(t.role, MEMBERSHIP_ROLES)),
    check('memberships_represents', oneOf(t.represents, REPRESENTS)),
    // A school representative names the school; a district representative names none.
    check(
      'memberships_school_matches_represents',
      sql`coalesce(${t.represents} = 'school', false) = (${t.schoolId} is not null)`,
    ),
    index('memberships_user_idx').on(t.userId),
  ],
);

export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** SHA-256 (hex) of the invitation token sent by email. */
    tokenHash: text('token_hash').notNull(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: MEMBERSHIP_ROLES }).notNull(),
    represents: text('represents', { enum: REPRESENTS }),
    schoolId: uuid('school_id').references(() => schools.id, { onDelete: 'cascade' }),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
    usedBy: uuid('used_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    unique('invitations_token_hash_key').on(t.tokenHash),
    check('invitations_token_hash_sha256_hex', sql`${t.tokenHash} ~ '^[0-9a-f]{64}$'`),
    check('invitations_role', oneOf(t.role, MEMBERSHIP_ROLES)),
    check('invitations_represents', oneOf(t.represents, REPRESENTS)),
    check(
      'invitations_school_matches_represents',
      sql`coalesce(${t.represents} = 'school', false) = (${t.schoolId} is not null)`,
    ),
    check('invitations_expiry_after_creation', sql`${t.expiresAt} > ${t.createdAt}`),
    index('invitations_workspace_idx').on(t.workspaceId),
  ],
);
