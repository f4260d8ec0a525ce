// The directory as Lena uses it: find a colleague in three keystrokes, read their profile, start a
// chat; her own profile; today's birthdays; the org chart and the phone list. Real server, browser
// host, core and renderer; axe on every screen.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectNoSeriousA11yViolations,
  navLink,
  personNamed,
  search,
  textOf,
  visible,
} from './support/app.js';
import { type DemoCompany, startDemoCompany } from './support/company.js';
import { openSignedIn } from './support/signed-in.js';
import { makePng } from '../integration/support/file-support.js';
import { type DemoServer, type HostProcess } from './support/processes.js';

let company: DemoCompany;
let server: DemoServer;
let host: HostProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  company = await startDemoCompany('directory');
  ({ server, browser } = company);
  ({ host, page } = await openSignedIn(browser, {
    userDataDir: company.dir('client'),
    serverUrl: server.url,
    username: 'lena.weber',
  }));
  await navLink(page, 'Directory').click();
});

afterAll(async () => {
  await host?.stop();
  await company?.close();
});

const profile = () =>
  page.getByRole('complementary', { name: /./ }).filter({ has: page.getByRole('heading') });

describe('the directory', () => {
  it('finds a colleague after three letters, shows the profile and starts a chat', async () => {
    await search(page, 'jon');
    const jonas = personNamed(page, 'Jonas Becker');
    await visible(jonas);
    await jonas.first().click();
    await visible(page.getByRole('heading', { name: 'Jonas Becker' }));
    const shown = await textOf(profile());
    expect(shown).toContain('Redakteur Interne Kommunikation');
    expect(shown).toContain('jonas.becker@brenner-maschinenbau.example');
    // The department path from the top, and whom he reports to.
    await visible(page.getByRole('button', { name: /Interne Kommunikation/ }));
    expect(new URL(page.url()).hash).toContain('person=');
    await expectNoSeriousA11yViolations(page);

    await page.getByRole('button', { name: 'Message', exact: true }).click();
    await page.waitForURL(/#\/chat\/[0-9a-f-]{36}/);
    await visible(page.getByRole('heading', { name: 'Jonas Becker' }));
  });

  it('shows who celebrates today', async () => {
    await navLink(page, 'Directory').click();
    await search(page, '');
    const today = page.getByRole('region', { name: 'Today' });
    await visible(today);
    expect(await textOf(today)).toMatch(/Birthday:/);
  });

  it('lets Lena edit her own profile, and shows her the private number only she, her manager and HR see', async () => {
    await search(page, 'lena weber');
    await personNamed(page, 'Lena Weber').first().click();
    await visible(page.getByRole('heading', { name: 'Lena Weber' }));
    expect(await textOf(profile())).toContain('+49 170 5550123');

    await page.getByRole('button', { name: 'Edit profile' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit your profile' });
    await visible(dialog);
    await expectNoSeriousA11yViolations(page);
    // A photo, chosen the way a person does: the button opens the system's file chooser.
    const chooser = page.waitForEvent('filechooser');
    await dialog.getByRole('button', { name: 'Upload photo' }).click();
    await (await chooser).setFiles({ name: 'ich.png', mimeType: 'image/png', buffer: makePng(320, 320) });
    await visible(dialog.getByRole('button', { name: 'Remove photo' }));
    const skills = dialog.getByRole('textbox', { name: 'Skills' });
    await skills.fill('Pneumatik');
    await skills.press('Enter');
    await dialog.getByLabel('Pronouns').fill('sie/ihr');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => textOf(profile())).toContain('Pneumatik');
    expect(await textOf(profile())).toContain('sie/ihr');
    // Her photo, served by the core from its encrypted cache, loads in the profile.
    const photo = profile().locator('img').first();
    await expect
      .poll(() =>
        photo.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth),
      )
      .toBeGreaterThan(0);

    // Others find her by it once it has synced.
    await search(page, 'pneumatik');
    await visible(personNamed(page, 'Lena Weber'));
  });

  it('draws the org chart and jumps to a unit found by name, with its path to the top', async () => {
    await page.getByRole('link', { name: 'Org chart' }).click();
    const tree = page.getByRole('tree', { name: 'Org units' });
    await visible(tree);
    await page.getByRole('combobox', { name: 'Find a unit or person' }).fill('werkst');
    await page
      .getByRole('option', { name: /Werkstatt/ })
      .first()
      .click();
    const path = page.getByRole('navigation', { name: 'Path to the top' });
    await visible(path);
    expect(await textOf(path)).toMatch(/Geschäftsführung[\s\S]*Werkstatt/);
    await visible(tree.getByRole('treeitem', { name: /Werkstatt/, selected: true }));
    await expectNoSeriousA11yViolations(page);
  });

  it('lists phone numbers by location', async () => {
    await page.getByRole('link', { name: 'Phone list' }).click();
    await visible(page.locator('caption', { hasText: 'Werk Gütersloh' }));
    await visible(page.locator('caption', { hasText: 'Hauptverwaltung Bielefeld' }));
    await visible(page.getByRole('link', { name: /^Call .+ at \+49/ }));
    await expectNoSeriousA11yViolations(page);
  });
});
