/**
 * Accounts in the production build, in a real browser: sign up, sign out, sign in (and back to
 * where the person was going), wrong password, throttling, change password ending other
 * sessions, revoking a session from the list, forms that keep what was typed with errors next to
 * the fields, junk posts that never give a 500, the cross-site POST check, axe-core on every
 * account page and keyboard-only sign-up and sign-in.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, runAxe, withContext } from './browser.js';
import { baseUrl, gotoReady, PASSWORD, postBody, uniqueEmail } from './workspace-support.js';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

async function signUp(page: Page, person: { name: string; email: string; password?: string }) {
  await gotoReady(page, '/sign-up');
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password ?? PASSWORD);
  await Promise.all([
    page.waitForURL((u) => u.pathname !== '/sign-up'),
    page.getByRole('button', { name: 'Create account' }).click(),
  ]);
}

async function signIn(page: Page, email: string, password = PASSWORD, path = '/sign-in') {
  await gotoReady(page, path);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function signedInAs(page: Page): Promise<string | null> {
  const badge = page.getByTestId('signed-in-as');
  return (await badge.count()) > 0 ? ((await badge.textContent())?.trim() ?? null) : null;
}

describe('sign up, sign out, sign in', () => {
  it('a new person signs up, is signed in, signs out, and signs in again back to where they were going', async () => {
    await withContext(browser, async (context) => {
      const page = await context.newPage();
      const email = uniqueEmail('ana');
      await signUp(page, { name: 'Ana Lima', email: `  ${email.toUpperCase()} ` });
      expect(new URL(page.url()).pathname).toBe('/');
      expect(await signedInAs(page)).toBe('Signed in as Ana Lima');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect.poll(() => signedInAs(page)).toBeNull();
      const cookies = await context.cookies(baseUrl);
      expect(cookies.find((c) => c.name === 'concord_session')).toBeUndefined();

      // A page that needs an account sends the person to sign in, then back (email normalised).
      await gotoReady(page, '/account');
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      expect(new URL(page.url()).searchParams.get('redirectTo')).toBe('/account');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(`${baseUrl}/account`);
      await expect(page.locator('h1').textContent()).resolves.toBe('Your account');

      const session = (await context.cookies(baseUrl)).find((c) => c.name === 'concord_session');
      expect(session?.httpOnly).toBe(true);
      expect(session?.sameSite).toBe('Lax');
      // 30 days, give or take the test's own duration.
      const days = ((session?.expires ?? 0) * 1000 - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29.9);
      expect(days).toBeLessThanOrEqual(30);
    });
  });

  it('never redirects to another site after signing in', async () => {
    await withContext(browser, async (context) => {
      const page = await context.newPage();
      const email = uniqueEmail('redir');
      await signUp(page, { name: 'Redirect Tester', email });
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect.poll(() => signedInAs(page)).toBeNull();
      await signIn(page, email, PASSWORD, '/sign-in?redirectTo=//evil.example/steal');
      await page.waitForURL((u) => u.pathname !== '/sign-in');
      expect(new URL(page.url()).origin).toBe(baseUrl);
      expect(new URL(page.url()).pathname).toBe('/');
    });
  });
});

describe('errors next to the fields', () => {
  it('sign-up keeps what was typed (not the password) and marks each bad field', async () => {
    await withContext(browser, async (context) => {
      const page = await context.newPage();
      await gotoReady(page, '/sign-up');
      await page.getByLabel('Email').fill('not-an-email');
      await page.getByLabel('Password', { exact: true }).fill('password');
      await page.getByRole('button', { name: 'Create account' }).click();

      const email = page.getByLabel('Email');
      await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
      await expect(email.inputValue()).resolves.toBe('not-an-email');
      const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
      const emailError = await page.locator(`#${describedBy.split(' ').at(-1)}`).textContent();
      expect(emailError).toMatch(/Enter an email address like/);

      const name = page.getByLabel('Your name');
      await expect(name.getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(page.locator('#field-name-error').textContent()).resolves.toMatch(
        /Enter your name/,
      );
      const password = page.getByLabel('Password', { exact: true });
      await expect(password.getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(page.locator('#field-password-error').textContent()).resolves.toMatch(
        /common passwords/,
      );
      // The password is never sent back to the page.
      expect(await page.content()).not.toContain('value="password"');
      const violations = (await runAxe(page)).filter(
        (v) => v.impact === 'serious' || v.impact === 'critical',
      );
      expect(violations).toEqual([]);
    });
  });

  it('a taken email is refused next to the email field', async () => {
    await withContext(browser, async (context) => {
      const page = await context.newPage();
      const email = uniqueEmail('dup');
      await signUp(page, { name: 'First', email });
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect.poll(() => signedInAs(page)).toBeNull();
      await gotoReady(page, '/sign-up');
      await page.getByLabel('Your name').fill('Second');
      await page.getByLabel('Email').fill(email.toUpperCase());
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await expect
        .poll(() => page.locator('#field-email-error').textContent())
        .toMatch(/already exists/);
      await expect(page.getByLabel('Your name').inputValue()).resolves.toBe('Second');
      expect(await signedInAs(page)).toBeNull();
    });
  });

  it('a wrong password gets one message that does not say whether the account exists', async () => {
    await withContext(browser, async (context) => {
      const page = await context.newPage();
      const email = uniqueEmail('wrong');
      await signUp(page, { name: 'Wrong Pw', email });
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect.poll(() => signedInAs(page)).toBeNull();

      await signIn(page, email, 'not-the-password-1');
      const message = page.getByTestId('form-message');
      await expect.poll(() => message.textContent()).toMatch(/do not match an account/);
      const known = await message.textContent();
      await expect(page.getByLabel('Email').inputValue()).resolves.toBe(email);

      await signIn(page, uniqueEmail('nobody'), 'not-the-password-1');
      await expect.poll(() => message.textContent()).toMatch(/do not match an account/);
      expect(await message.textContent()).toBe(known);
    });
  });
});

describe('throttling', () => {
  it('after 5 failures for an account, the next attempt waits, with a message saying how long (HTTP 429)', async () => {
    const email = uniqueEmail('throttle');
    await withContext(browser, async (context) => {
      const page = await context.newPage();
      await signUp(page, { name: 'Throttle Me', email });
    });
    for (let i = 0; i < 4; i += 1) {
      const res = await postBody(
        '/sign-in',
        new URLSearchParams({ email, password: `wrong-${i}-x` }),
      );
      expect(res.status).toBe(400);
      await res.arrayBuffer();
    }
    await withContext(browser, async (context) => {
      const page = await context.newPage();
      await signIn(page, email, 'wrong-again-x');
      const message = page.getByTestId('form-message');
      await expect.poll(() => message.textContent()).toMatch(/Too many failed sign-in attempts/);
      expect(await message.textContent()).toMatch(/Wait \d+ seconds, then try again/);
      // Even the right password is refused until the wait is over.
      await signIn(page, email, PASSWORD);
      await expect.poll(() => message.textContent()).toMatch(/Wait \d+ seconds/);
      expect(await signedInAs(page)).toBeNull();
    });
    const res = await postBody('/sign-in', new URLSearchParams({ email, password: PASSWORD }));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    await res.arrayBuffer();
  });
});

describe('sessions', () => {
  it('changing the password signs out every other session and keeps this one', async () => {
    const email = uniqueEmail('change');
    await withContext(browser, async (first) => {
      await withContext(browser, async (second) => {
        const a = await first.newPage();
        await signUp(a, { name: 'Changer', email });
        const b = await second.newPage();
        await signIn(b, email);
        await expect.poll(() => signedInAs(b)).toBe('Signed in as Changer');

        await gotoReady(a, '/account');
        await a.getByLabel('Current password').fill('wrong-current-1');
        await a.getByLabel('New password').fill('river-lantern-copper-7');
        await a.getByRole('button', { name: 'Change password' }).click();
        await expect
          .poll(() => a.locator('#field-currentPassword-error').textContent())
          .toMatch(/not your current password/);

        await a.getByLabel('Current password').fill(PASSWORD);
        await a.getByLabel('New password').fill('river-lantern-copper-7');
        await a.getByRole('button', { name: 'Change password' }).click();
        await expect
          .poll(() => a.getByRole('status').first().textContent())
          .toMatch(/new password is saved/);

        await b.goto(`${baseUrl}/account`);
        expect(new URL(b.url()).pathname).toBe('/sign-in');
        await a.reload();
        expect(new URL(a.url()).pathname).toBe('/account');
        // The old password no longer works; the new one does.
        await signIn(b, email, PASSWORD);
        await expect
          .poll(() => b.getByTestId('form-message').textContent())
          .toMatch(/do not match/);
        await signIn(b, email, 'river-lantern-copper-7');
        await expect.poll(() => signedInAs(b)).toBe('Signed in as Changer');
      });
    });
  });

  it('lists my sessions and signs out another one from the list', async () => {
    const email = uniqueEmail('revoke');
    await withContext(browser, async (first) => {
      await withContext(browser, async (second) => {
        const a = await first.newPage();
        await signUp(a, { name: 'Revoker', email });
        const b = await second.newPage();
        await signIn(b, email);
        await expect.poll(() => signedInAs(b)).toBe('Signed in as Revoker');

        await gotoReady(a, '/account');
        const sessions = a.getByTestId('session');
        await expect(sessions.count()).resolves.toBe(2);
        await expect(a.locator('[data-current="true"]').count()).resolves.toBe(1);
        const violations = (await runAxe(a)).filter(
          (v) => v.impact === 'serious' || v.impact === 'critical',
        );
        expect(violations).toEqual([]);

        // Each session says its browser and system; the full string is one click away.
        const other = a.locator('[data-current="false"]');
        const device = (await other.locator('.session-agent').innerText()).trim();
        expect(device).toMatch(/^Chrome on Linux$/);
        const details = other.locator('details');
        await details.locator('summary').click();
        await expect(details.locator('code').innerText()).resolves.toMatch(
          /^Mozilla\/5\.0 .*Chrome\//,
        );
        // The button says which session it ends.
        await other
          .getByRole('button', { name: /^Sign out Chrome on Linux, last active .+ UTC$/ })
          .click();
        await expect.poll(() => sessions.count()).toBe(1);

        await b.goto(`${baseUrl}/account`);
        expect(new URL(b.url()).pathname).toBe('/sign-in');
        await a.reload();
        expect(new URL(a.url()).pathname).toBe('/account');
      });
    });
  });
});

describe('hostile requests', () => {
  it('junk, missing and oversized fields get a 4xx, never a 500', async () => {
    const long = 'x'.repeat(100_000);
    const cases: [string, BodyInit | null, Record<string, string>?][] = [
      ['/sign-in', ''],
      ['/sign-in', 'email=&password='],
      ['/sign-in', 'email=a%40b.c'],
      ['/sign-in', `email=${long}&password=${long}`],
      ['/sign-in', 'email[]=x&email=y&password=z&password=w'],
      ['/sign-in', '%%%&&&==='],
      ['/sign-in', '{"email":"a@b.c"}', { 'content-type': 'application/json' }],
      ['/sign-in', 'garbage', { 'content-type': 'multipart/form-data; boundary=zz' }],
      ['/sign-up', ''],
      ['/sign-up', `name=${long}&email=x%40y.z&password=${long}`],
      ['/sign-up', 'name=%00%01&email=%00%40x.y&password=abcdefghijkl'],
      ['/sign-out', 'junk=1'],
      ['/account?/password', 'newPassword=x'],
      ['/account?/revoke', 'sessionId=../../etc'],
      ['/account?/nonexistent', 'a=b'],
    ];
    for (const [path, body, headers] of cases) {
      // As a page (no JavaScript) and as the enhanced form's JSON request.
      for (const accept of ['text/html', 'application/json']) {
        const res = await postBody(path, body, { accept, ...headers });
        const text = await res.text();
        const label = `${path} ${accept} ${String(body).slice(0, 40)}`;
        expect(res.status, label).toBeLessThan(500);
        if (res.headers.get('content-type')?.includes('json')) {
          // An action's failure travels inside a 200 JSON answer: its own status must be 4xx too.
          const result = JSON.parse(text) as { status?: number };
          expect(result.status ?? 200, label).toBeLessThan(500);
        }
      }
    }
  });

  it('a signed-in person posting junk to the account forms gets a 400 naming the field', async () => {
    await withContext(browser, async (context) => {
      const page = await context.newPage();
      await signUp(page, { name: 'Junk Poster', email: uniqueEmail('junk') });
      const cookie = (await context.cookies(baseUrl)).find((c) => c.name === 'concord_session');
      const headers = { cookie: `concord_session=${cookie?.value}` };
      for (const [path, body] of [
        ['/account?/password', '_form=password&newPassword=short'],
        ['/account?/revoke', '_form=revoke&sessionId=nope'],
        ['/account?/profile', '_form=profile&name=%20%20'],
      ] as const) {
        const res = await postBody(path, body, headers);
        const text = await res.text();
        expect(res.status, path).toBe(400);
        expect(text).toMatch(path.includes('revoke') ? /Choose a session/ : /aria-invalid="true"/);
      }
    });
  });

  it('refuses a form POST from another origin (403)', async () => {
    const res = await postBody('/sign-in', 'email=a%40b.c&password=x', {
      origin: 'http://evil.example',
    });
    expect(res.status).toBe(403);
    await res.arrayBuffer();
  });
});

describe('accessibility (axe-core, WCAG 2.1 A and AA)', () => {
  for (const path of ['/sign-in', '/sign-up', '/sign-out']) {
    it(`${path}: no serious or critical violations`, async () => {
      await withContext(browser, async (context) => {
        const page = await context.newPage();
        const res = await page.goto(`${baseUrl}${path}`);
        expect(res?.status()).toBe(200);
        const bad = (await runAxe(page)).filter(
          (v) => v.impact === 'serious' || v.impact === 'critical',
        );
        expect(bad, bad.map((v) => `${v.id}: ${v.targets.join(', ')}`).join('\n')).toEqual([]);
      });
    });
  }

  it('/account and the sign-in error state: no serious or critical violations', async () => {
    await withContext(browser, async (context) => {
      const page = await context.newPage();
      await signIn(page, uniqueEmail('axe'), 'not-a-real-password');
      await expect.poll(() => page.getByTestId('form-message').count()).toBe(1);
      let bad = (await runAxe(page)).filter(
        (v) => v.impact === 'serious' || v.impact === 'critical',
      );
      expect(bad).toEqual([]);
      await signUp(page, { name: 'Axe Person', email: uniqueEmail('axe') });
      await page.goto(`${baseUrl}/account`);
      bad = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad, bad.map((v) => `${v.id}: ${v.targets.join(', ')}`).join('\n')).toEqual([]);
    });
  });
});

describe('the account page at 390 px', () => {
  it('fits the screen: the change-password fields wrap their "Show password" buttons', async () => {
    await withContext(browser, async (context) => {
      const page = await context.newPage();
      await signUp(page, { name: 'Narrow Person', email: uniqueEmail('narrow') });
      await page.setViewportSize({ width: 390, height: 900 });
      await gotoReady(page, '/account');
      // Before, the fields' minimum width (input and button side by side) made it 426 px wide.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBe(0);
      // Every toggle stays on screen, next to or under its own input, and still works.
      const toggles = page.getByRole('button', { name: 'Show password' });
      expect(await toggles.count()).toBe(2);
      for (const toggle of await toggles.all()) {
        const box = (await toggle.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(390);
      }
      await toggles.first().click();
      await expect.poll(() => toggles.first().getAttribute('aria-pressed')).toBe('true');
      const bad = (await runAxe(page)).filter(
        (v) => v.impact === 'serious' || v.impact === 'critical',
      );
      expect(bad, bad.map((v) => `${v.id}: ${v.targets.join(', ')}`).join('\n')).toEqual([]);
    });
  });
});

describe('keyboard only', () => {
  /** Tabs until `predicate` holds for the focused element; checks focus is visible each step. */
  async function tabTo(page: Page, label: string, predicate: string) {
    for (let i = 0; i < 30; i += 1) {
      await page.keyboard.press('Tab');
      const state = await page.evaluate((p) => {
        const el = document.activeElement as HTMLElement | null;
        if (!el) return { hit: false, visible: false };
        const style = getComputedStyle(el);
        const visible = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
        return { hit: el.matches(p), visible };
      }, predicate);
      if (state.hit) {
        expect(state.visible, `focus is visible on ${label}`).toBe(true);
        return;
      }
    }
    throw new Error(`Tab never reached ${label}`);
  }

  it('signs up and signs in with Tab, typing and Enter, focus always visible', async () => {
    const email = uniqueEmail('keys');
    await withContext(browser, async (context) => {
      const page = await context.newPage();
      await gotoReady(page, '/sign-up');
      await tabTo(page, 'the name field', 'input[name="name"]');
      await page.keyboard.type('Keyboard User');
      await tabTo(page, 'the email field', 'input[name="email"]');
      await page.keyboard.type(email);
      await tabTo(page, 'the password field', 'input[name="password"]');
      await page.keyboard.type(PASSWORD);
      await tabTo(page, 'the show-password toggle', 'button[aria-pressed]');
      await page.keyboard.press('Enter');
      await expect(page.locator('input[name="password"]').getAttribute('type')).resolves.toBe(
        'text',
      );
      await tabTo(page, 'the create-account button', 'button[type="submit"].button');
      await Promise.all([page.waitForURL(`${baseUrl}/`), page.keyboard.press('Enter')]);
      expect(await signedInAs(page)).toBe('Signed in as Keyboard User');

      await tabTo(page, 'the sign-out button', '.account-nav button');
      // Signing out is a form POST answered with a redirect to the home page: wait until that
      // new page has loaded and hydrated, or opening the sign-in page below races it (and
      // loses). The URL is '/' before and after, so only the load event tells them apart.
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
      await expect.poll(() => signedInAs(page)).toBeNull();

      await gotoReady(page, '/sign-in');
      await tabTo(page, 'the email field', 'input[name="email"]');
      await page.keyboard.type(email);
      await tabTo(page, 'the password field', 'input[name="password"]');
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press('Enter');
      await expect.poll(() => signedInAs(page)).toBe('Signed in as Keyboard User');
    });
  });
});
