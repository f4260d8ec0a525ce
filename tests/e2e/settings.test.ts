// Settings as a person uses them: a dark theme that the restarted app paints from its first
// frame, the devices signed in (one signed out from another, which then shows the sign-in), the
// export of their data as a ZIP download, and clearing the local data. Real server, browser
// hosts, cores and renderer; axe on the screen and its dialogs.
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousA11yViolations, navLink, textOf, visible } from './support/app.js';
import { englishContext } from './support/browser.js';
import { type DemoCompany, startDemoCompany } from './support/company.js';
import { startHostProcess, type DemoServer, type HostProcess } from './support/processes.js';
import { openSignedIn } from './support/signed-in.js';

let company: DemoCompany;
let server: DemoServer;
let host: HostProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  company = await startDemoCompany('settings');
  ({ server, browser } = company);
  ({ host, page } = await openSignedIn(browser, {
    userDataDir: company.dir('office'),
    serverUrl: server.url,
    username: 'lena.weber',
  }));
  await navLink(page, 'Settings').click();
  await visible(page.getByRole('heading', { name: 'Settings', level: 1 }));
});

afterAll(async () => {
  await host?.stop();
  await company?.close();
});

const backgroundOf = (target: Page) => target.evaluate(() => getComputedStyle(document.body).backgroundColor);

describe('settings', () => {
  it('switches to the dark theme, and the restarted app paints dark from its first frame', async () => {
    await expectNoSeriousA11yViolations(page);
    expect(await backgroundOf(page)).toBe('rgb(244, 246, 248)');
    await page.getByRole('combobox', { name: 'Appearance' }).selectOption('dark');
    await expect.poll(() => backgroundOf(page)).toBe('rgb(20, 24, 29)');
    await expectNoSeriousA11yViolations(page);

    await host.stop();
    host = await startHostProcess({
      userDataDir: company.dir('office'),
      defaultServerUrl: server.url,
    });
    page = await (await englishContext(browser)).newPage();
    let releaseScripts = () => {};
    const released = new Promise<void>((resolve) => (releaseScripts = resolve));
    await page.route(/\/assets\/.*\.js$/, async (route) => {
      await released;
      await route.continue();
    });
    const stylesheet = page.waitForResponse((response) => response.url().includes('/appearance.css'));
    await page.goto(host.url, { waitUntil: 'commit' });
    expect((await stylesheet).status()).toBe(200);
    await page.waitForFunction(() => document.readyState !== 'loading');
    const firstFrame = await page.screenshot();
    const { data, info } = await sharp(firstFrame).raw().toBuffer({ resolveWithObject: true });
    const at = (300 * info.width + 600) * info.channels;
    expect([data[at], data[at + 1], data[at + 2]]).toEqual([20, 24, 29]);
    releaseScripts();
    await navLink(page, 'Settings').click();
    expect(await page.getByRole('combobox', { name: 'Appearance' }).inputValue()).toBe('dark');
  });

  it('signs out another of Lena’s devices, which then shows the sign-in and says why', async () => {
    const laptop = await openSignedIn(browser, {
      userDataDir: company.dir('laptop'),
      serverUrl: server.url,
      username: 'lena.weber',
    });
    try {
      await visible(laptop.page.getByRole('heading', { name: 'Newsfeed', level: 1 }));
      await page.reload();
      const devices = page.getByRole('region', { name: 'Signed-in devices' });
      await visible(devices.getByText('This device'));
      const signOut = devices.getByRole('button', { name: /^Sign out (?!all)/ });
      await expect.poll(() => signOut.count()).toBeGreaterThanOrEqual(1);
      await signOut.first().click();
      const dialog = page.getByRole('dialog');
      await visible(dialog);
      await expectNoSeriousA11yViolations(page);
      await dialog.getByRole('button', { name: 'Sign out' }).click();
      await expect.poll(() => signOut.count()).toBe(0);

      await visible(laptop.page.getByRole('heading', { name: 'Sign in to Flurfunk', level: 1 }));
      expect(await textOf(laptop.page.getByRole('main'))).toContain(
        'This device was signed out on the server',
      );
    } finally {
      await laptop.host.stop();
    }
  });

  it('downloads everything the server holds about Lena as a ZIP', async () => {
    const exportSection = page.getByRole('region', { name: 'Your data' });
    const downloaded = page.waitForEvent('download');
    await exportSection.getByRole('button', { name: 'Export my data' }).click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toMatch(/^flurfunk-export-lena\.weber-\d{4}-\d{2}-\d{2}\.zip$/);
    const saved = company.dir('export.zip');
    await download.saveAs(saved);
    expect((await readFile(saved)).subarray(0, 2).toString('latin1')).toBe('PK');
    await visible(
      exportSection.getByRole('status').filter({ hasText: 'Your export was handed to the download.' }),
    );
  });

  it('clears the local data after asking, stays signed in and loads everything again', async () => {
    const local = page.getByRole('region', { name: 'Data on this device' });
    await visible(local.getByText(/^Uses /));
    await local.getByRole('button', { name: 'Clear and reload from the server' }).click();
    const dialog = page.getByRole('dialog', { name: 'Clear the data on this device?' });
    await visible(dialog);
    await dialog.getByRole('button', { name: 'Clear and reload from the server' }).click();
    await visible(local.getByRole('status').filter({ hasText: 'Cleared.' }));
    await navLink(page, 'Newsfeed').click();
    await visible(page.getByRole('article').first());
  });
});
