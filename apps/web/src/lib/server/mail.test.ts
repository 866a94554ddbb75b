import { createServer, type AddressInfo, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  invitationMessage,
  mailConfigFromEnv,
  MailConfigError,
  sendInvitation,
  smtpMailer,
  type MailMessage,
} from './mail.js';

/** A minimal SMTP server on loopback that accepts one message and hands over its raw text. */
function fakeSmtp(): Promise<{ server: Server; port: number; received: Promise<string> }> {
  let deliver: (text: string) => void = () => {};
  const received = new Promise<string>((r) => (deliver = r));
  const server = createServer((socket) => {
    let inData = false;
    let data = '';
    let buffer = '';
    socket.write('220 fake.test ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let at: number;
      while ((at = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            deliver(data);
            socket.write('250 queued\r\n');
          } else data += `${line}\n`;
        } else if (/^EHLO/i.test(line)) socket.write('250-fake.test\r\n250 8BITMIME\r\n');
        else if (/^DATA/i.test(line)) {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as AddressInfo).port, received }),
    ),
  );
}

const mail = {
  to: 'ana@example.org',
  link: 'https://concord.example/invite/abc',
  workspaceName: 'Revere <PL> 2026-27',
  inviterName: 'Dana',
  role: 'rater' as const,
  represents: 'Garfield Elementary',
  expiresAt: new Date('2026-09-08T12:00:00Z'),
};

describe('mailConfigFromEnv', () => {
  it('is copy-link mode (null) without SMTP_URL', () => {
    expect(mailConfigFromEnv({})).toBeNull();
    expect(mailConfigFromEnv({ SMTP_URL: '  ' })).toBeNull();
  });

  it('names each bad variable', () => {
    try {
      mailConfigFromEnv({ SMTP_URL: 'http://mail.example', MAIL_FROM: 'nobody' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MailConfigError);
      const problems = (error as MailConfigError).problems.join('\n');
      expect(problems).toMatch(/^SMTP_URL: must start with smtp:\/\//m);
      expect(problems).toMatch(/^MAIL_FROM: must be an address/m);
    }
    expect(() => mailConfigFromEnv({ SMTP_URL: 'smtp://localhost:2525' })).toThrow(/MAIL_FROM/);
  });

  it('accepts smtp and smtps with a named sender', () => {
    expect(
      mailConfigFromEnv({
        SMTP_URL: 'smtps://u:p@mail.example:465',
        MAIL_FROM: 'Concord <no-reply@d.org>',
      }),
    ).toEqual({ smtpUrl: 'smtps://u:p@mail.example:465', from: 'Concord <no-reply@d.org>' });
  });
});

describe('smtpMailer', () => {
  it('delivers the invitation over SMTP from MAIL_FROM', async () => {
    const smtp = await fakeSmtp();
    try {
      const mailer = smtpMailer({
        smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
        from: 'Concord <no-reply@district.test>',
      });
      expect(await sendInvitation(mailer, mail)).toEqual({ sent: true });
      const raw = await smtp.received;
      expect(raw).toMatch(/^From: Concord <no-reply@district\.test>$/m);
      expect(raw).toMatch(/^To: ana@example\.org$/m);
      expect(raw).toContain('https://concord.example/invite/abc');
    } finally {
      smtp.server.close();
    }
  });
});

describe('invitation email', () => {
  it('carries the link, the role and the expiry, with HTML escaped', () => {
    const message = invitationMessage(mail);
    expect(message.to).toBe('ana@example.org');
    expect(message.text).toContain('https://concord.example/invite/abc');
    expect(message.text).toContain('Rater, representing Garfield Elementary');
    expect(message.html).toContain('Revere &lt;PL&gt; 2026-27');
    expect(message.html).not.toContain('<PL>');
  });

  it('reports a failed send as a reason, not an exception', async () => {
    const sent: MailMessage[] = [];
    expect(await sendInvitation({ send: async (m) => void sent.push(m) }, mail)).toEqual({
      sent: true,
    });
    expect(sent).toHaveLength(1);
    const failed = await sendInvitation(
      {
        send: async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:2525');
        },
      },
      mail,
    );
    expect(failed).toEqual({
      sent: false,
      reason: expect.stringMatching(/ECONNREFUSED.*Copy the link/),
    });
  });
});
