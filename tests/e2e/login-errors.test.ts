// Each way a sign-in can fail tells the person what happened, in its own words.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoPassword, expectNoSeriousA11yViolations, signIn, textOf } from './support/app.js';
import { englishContext, launchChromium } from './support/browser.js';
import { assertBuilt } from './support/dist.js';
import {
  freePort,
  startDemoServer,
  startHostProcess,
  type DemoServer,
  type HostProcess,
} from './support/processes.js';

let tempDir: string;
let server: DemoServer;
let host: HostProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  assertBuilt();
  tempDir = await mkdtemp(path.join(os.tmpdir(), 'flurfunk-e2e-login-'));
  server = await startDemoServer(path.join(tempDir, 'server'));
  [host, browser] = await Promise.all([
    startHostProcess({ userDataDir: path.join(tempDir, 'client'), defaultServerUrl: server.url }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await server?.stop();
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
});

beforeEach(async () => {
  context = await englishContext(browser);
  page = await context.newPage();
  await page.goto(host.url);
});

afterEach(async () => {
  await context.close();
});

const alert = () => textOf(page.getByRole('alert'));

/** Signs in and returns the alert that answers this attempt (not the one left from the last). */
async function failedSignIn(attempt: Parameters<typeof signIn>[1]): Promise<string> {
  const previous = await page
    .getByRole('alert')
    .elementHandle({ timeout: 100 })
    .catch(() => null);
  await signIn(page, attempt);
  await previous?.waitForElementState('hidden');
  return alert();
}

describe('sign-in errors', () => {
  it('says so when the password is wrong, accessibly', async () => {
    expect(await failedSignIn({ username: 'lena.weber', password: 'not-her-password' })).toBe(
      'The username or password is not correct.',
    );
    await expectNoSeriousA11yViolations(page);
  });

  it('says so when the server cannot be reached', async () => {
    const nobodyListens = `http://127.0.0.1:${await freePort()}`;
    expect(
      await failedSignIn({ serverUrl: nobodyListens, username: 'lena.weber', password: demoPassword }),
    ).toBe('The server could not be reached. Check the address and your network connection.');
  });

  it('says so when the server address is not an address', async () => {
    expect(
      await failedSignIn({
        serverUrl: 'flurfunk at the office',
        username: 'lena.weber',
        password: demoPassword,
      }),
    ).toMatch(/^This is not a valid server address\./);
  });

  it('asks to wait some minutes after more than ten wrong passwords', async () => {
    // A username of its own: the 15-minute window must not lock out the other tests' accounts.
    const username = `e2e.locked.${process.pid}.${Date.now()}`;
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect(await failedSignIn({ username, password: `wrong-${attempt}` })).toBe(
        'The username or password is not correct.',
      );
    }
    expect(await failedSignIn({ username, password: 'wrong-11' })).toMatch(
      /^Too many failed sign-in attempts\. Please wait (one minute|\d+ minutes)/,
    );
  });
});
