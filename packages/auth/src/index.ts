/** @concord/auth: the role capability table, passwords and session tokens. */
export * from './roles.js';
export {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_PROBLEM_TEXT,
  hashPassword,
  passwordProblem,
  verifyPassword,
  type PasswordProblem,
} from './password.js';
export {
  SESSION_RENEW_BEFORE_MS,
  SESSION_TTL_MS,
  generateToken,
  hashToken,
  isWellFormedToken,
  renewedExpiry,
} from './session-token.js';
