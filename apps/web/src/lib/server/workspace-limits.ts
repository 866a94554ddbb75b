/**
 * Limits for districts, workspaces, members and invitations in one place: field lengths the
 * forms enforce, how long an invitation link lives, how long sending an email may take.
 */

/** Longest workspace name ("Revere Public Schools — PL readiness 2026-27" is 44). */
export const WORKSPACE_NAME_MAX_LENGTH = 160;
/** Longest district name. */
export const DISTRICT_NAME_MAX_LENGTH = 160;
/** Longest school name. */
export const SCHOOL_NAME_MAX_LENGTH = 160;
/** Most schools one workspace may name (the largest US districts have a few hundred). */
export const MAX_SCHOOLS_PER_WORKSPACE = 400;
/** Most characters in the "new schools, one per line" box. */
export const SCHOOL_LIST_MAX_LENGTH = MAX_SCHOOLS_PER_WORKSPACE * (SCHOOL_NAME_MAX_LENGTH + 1);

/** An invitation link works this long after it is made, and once. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Pending invitations shown per workspace (older ones still work; they are just not listed). */
export const PENDING_INVITATIONS_LISTED = 200;

/** Longest time to connect to the SMTP server and hand over one message. */
export const MAIL_SEND_TIMEOUT_MS = 15_000;
