/**
 * Sending invitation emails. With SMTP_URL set (smtp://user:pass@host:587 or smtps://…:465) and
 * MAIL_FROM (e.g. `Concord <no-reply@district.org>`), invitations go out by SMTP through
 * nodemailer; without SMTP_URL there is no mailer and the members page shows the link to copy.
 *
 * A failed send is a value, not an exception: the invitation exists either way, so the page
 * shows the link with the reason the email did not go out.
 */
import nodemailer from 'nodemailer';
import { ROLE_LABELS, type Role } from '@concord/auth/roles';
import { MAIL_SEND_TIMEOUT_MS } from './workspace-limits.js';

export interface MailConfig {
  smtpUrl: string;
  from: string;
}

export class MailConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Email settings are wrong:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'MailConfigError';
  }
}

/**
 * The email settings, or null when SMTP_URL is unset (copy-link mode). Throws MailConfigError
 * naming each bad variable.
 */
export function mailConfigFromEnv(env: Record<string, string | undefined>): MailConfig | null {
  const smtpUrl = env.SMTP_URL?.trim();
  if (!smtpUrl) return null;
  const problems: string[] = [];
  let url: URL | null = null;
  try {
    url = new URL(smtpUrl);
  } catch {
    problems.push('SMTP_URL: is not a URL; use smtp://user:password@host:587 or smtps://…:465');
  }
  if (url && url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    problems.push(`SMTP_URL: must start with smtp:// or smtps:// (not ${url.protocol}//)`);
  }
  const from = env.MAIL_FROM?.trim();
  if (!from) {
    problems.push('MAIL_FROM: is required with SMTP_URL, e.g. "Concord <no-reply@district.org>"');
  } else if (!/^[^<>]*<[^@\s<>]+@[^@\s<>]+>$|^[^@\s<>]+@[^@\s<>]+$/.test(from)) {
    problems.push('MAIL_FROM: must be an address, or "Name <address>"');
  }
  if (problems.length > 0) throw new MailConfigError(problems);
  return { smtpUrl, from: from! };
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends one message; rejects when the server refuses it or does not answer in time. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** A mailer over SMTP (one connection per message: invitations are rare). */
export function smtpMailer(config: MailConfig): Mailer {
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    connectionTimeout: MAIL_SEND_TIMEOUT_MS,
    greetingTimeout: MAIL_SEND_TIMEOUT_MS,
    socketTimeout: MAIL_SEND_TIMEOUT_MS,
  });
  return {
    async send(message) {
      await transport.sendMail({ from: config.from, ...message });
    },
  };
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

export interface InvitationMail {
  to: string;
  link: string;
  workspaceName: string;
  inviterName: string;
  role: Role;
  /** "the district" or a school's name, for a rater. */
  represents: string | null;
  expiresAt: Date;
}

/** The invitation email, as plain text and simple HTML. */
export function invitationMessage(mail: InvitationMail): MailMessage {
  const role = ROLE_LABELS[mail.role];
  const as = mail.represents ? `${role}, representing ${mail.represents}` : role;
  const expires = mail.expiresAt.toUTCString();
  const subject = `${mail.inviterName} invited you to ${mail.workspaceName} on Concord`;
  const text = [
    `${mail.inviterName} invited you to join "${mail.workspaceName}" on Concord as ${as}.`,
    '',
    `Accept the invitation: ${mail.link}`,
    '',
    `The link works once and until ${expires}. If you did not expect this email, ignore it.`,
  ].join('\n');
  const html = [
    `<p>${escapeHtml(mail.inviterName)} invited you to join “${escapeHtml(mail.workspaceName)}” on Concord as ${escapeHtml(as)}.</p>`,
    `<p><a href="${escapeHtml(mail.link)}">Accept the invitation</a></p>`,
    `<p>The link works once and until ${escapeHtml(expires)}. If you did not expect this email, ignore it.</p>`,
  ].join('\n');
  return { to: mail.to, subject, text, html };
}

export type SendResult = { sent: true } | { sent: false; reason: string };

/** Sends the invitation; a failure comes back as a reason a person can act on. */
export async function sendInvitation(mailer: Mailer, mail: InvitationMail): Promise<SendResult> {
  try {
    await mailer.send(invitationMessage(mail));
    return { sent: true };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      sent: false,
      reason: `The email could not be sent (${detail.slice(0, 200)}). Copy the link and send it yourself.`,
    };
  }
}

let cached: { key: string; mailer: Mailer | null } | undefined;

/** The process's mailer from the environment (SMTP_URL, MAIL_FROM), or null in copy-link mode. */
export function mailerFromEnv(env: Record<string, string | undefined>): Mailer | null {
  const key = `${env.SMTP_URL ?? ''}\n${env.MAIL_FROM ?? ''}`;
  if (cached?.key !== key) {
    const config = mailConfigFromEnv(env);
    cached = { key, mailer: config ? smtpMailer(config) : null };
  }
  return cached.mailer;
}
