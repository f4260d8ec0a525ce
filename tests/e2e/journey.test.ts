// One person's first day with Flurfunk, through the real server, browser host, core and renderer.
// The steps build on each other (signed in → offline → signed out), so they run in order.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Person } from '@flurfunk/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  demoPassword,
  expectNoSeriousA11yViolations,
  navLink,
  people,
  personNamed,
  search,
  signIn,
  visible,
} from './support/app.js';
import { englishContext, launchChromium } from './support/browser.js';
import { serverDirectory } from './support/directory.js';
import { assertBuilt } from './support/dist.js';
import { filesBelow } from './support/files.js';
import { keychainSecrets } from './support/keychain.js';
import { startDemoServer, startHostProcess, type DemoServer, type HostProcess } from './support/processes.js';

let tempDir: string;
let server: DemoServer;
let host: HostProcess;
let browser: Browser;
let page: Page;
let jonas: Person;
let colleagueWithUmlaut: Person;

beforeAll(async () => {
  assertBuilt();
  tempDir = await mkdtemp(path.join(os.tmpdir(), 'flurfunk-e2e-journey-'));
  server = await startDemoServer(path.join(tempDir, 'server'));
  const company = await serverDirectory(server.url);
  const find = (what: string, test: (person: Person) => boolean): Person => {
    const found = company.find(test);
    if (!found) throw new Error(`The demo company has no ${what}.`);
    return found;
  };
  jonas = find('jonas.becker', (person) => person.username === 'jonas.becker');
  colleagueWithUmlaut = find('one with an umlaut in their name', (person) => /[äöüß]/.test(person.lastName));
  [host, browser] = await Promise.all([
    startHostProcess({ userDataDir: path.join(tempDir, 'client'), defaultServerUrl: server.url }),
    launchChromium(),
  ]);
  page = await (await englishContext(browser)).newPage();
  await page.goto(host.url);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await server?.stop();
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
});

describe('first day with Flurfunk', () => {
  it('opens on an accessible login screen with the demo server filled in', async () => {
    await visible(page.getByRole('button', { name: 'Sign in' }));
    expect(await page.getByLabel('Server address').inputValue()).toBe(server.url);
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    await expectNoSeriousA11yViolations(page);
  });

  it('signs lena.weber in and lists her colleagues in the directory', async () => {
    await signIn(page, { username: 'lena.weber', password: demoPassword });
    await navLink(page, 'Directory').click();
    await visible(people(page));
    expect(await people(page).count()).toBeGreaterThan(3);
    await visible(page.getByRole('status').filter({ hasText: 'Online' }));
    for (const section of ['Newsfeed', 'Chat', 'Directory', 'Canteen', 'Settings']) {
      await visible(navLink(page, section));
    }
  });

  it('finds a colleague by name, umlauts included', async () => {
    await search(page, 'jonas');
    const found = personNamed(page, 'Jonas Becker');
    await visible(found);
    expect(await found.first().innerText()).toContain(jonas.title);
    expect(await found.first().innerText()).toContain(jonas.phone);

    await search(page, colleagueWithUmlaut.lastName.toLowerCase());
    await visible(personNamed(page, colleagueWithUmlaut.displayName));
  });

  it('keeps the shell and directory accessible', async () => {
    await search(page, '');
    await visible(people(page));
    await expectNoSeriousA11yViolations(page);
  });

  it('says it is offline when the server is gone and still finds people', async () => {
    await server.stop();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await visible(page.getByRole('status').filter({ hasText: 'Offline' }));

    await search(page, 'jonas');
    await visible(personNamed(page, 'Jonas Becker'));
  });

  it('signs out back to the login screen', async () => {
    await navLink(page, 'Settings').click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await visible(page.getByRole('button', { name: 'Sign in' }));
    expect(await page.getByRole('navigation').count()).toBe(0);

    const lenasSecrets = async () =>
      (await keychainSecrets()).filter(({ account }) => account.startsWith(`${server.url}|lena.weber|`));
    await expect.poll(lenasSecrets).toEqual([]);
    expect(await filesBelow(path.join(tempDir, 'client', 'cache')).catch(() => [])).toEqual([]);
  });
});
