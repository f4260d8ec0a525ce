// The company's branding as its IT admin sets it and everyone sees it: the admin changes the
// colours and the logo in Settings, Lena's open window takes them without a reload, and her app,
// restarted without a server, shows them on its very first paint. Real server, browser hosts,
// cores and renderer; axe on the admin's screen.
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousA11yViolations, navLink, textOf, visible } from './support/app.js';
import { englishContext } from './support/browser.js';
import { type DemoCompany, startDemoCompany } from './support/company.js';
import { openSignedIn } from './support/signed-in.js';
import { startHostProcess, type DemoServer, type HostProcess } from './support/processes.js';

let company: DemoCompany;
let server: DemoServer;
let lenaHost: HostProcess;
let browser: Browser;
let lena: Page;

const purple = { hex: '#7a1f5c', rgb: [0x7a, 0x1f, 0x5c] };
const orange = { hex: '#c2410c', rgb: [0xc2, 0x41, 0x0c] };
const green = [0x1f, 0x7a, 0x3d];
/** The built-in accent: what a flash of the default theme would show. */
const defaultBlue = [0x0a, 0x5b, 0xb0];

/** A logo in one solid colour, with what a hostile file would carry besides. */
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" onload="alert('logo')">
  <script>document.title = 'owned'</script>
  <rect width="40" height="40" fill="rgb(${green.join(',')})"/>
</svg>`;

beforeAll(async () => {
  company = await startDemoCompany('branding');
  ({ server, browser } = company);
  ({ host: lenaHost, page: lena } = await openSignedIn(browser, {
    userDataDir: company.dir('lena'),
    serverUrl: server.url,
    username: 'lena.weber',
  }));
  await visible(lena.getByRole('heading', { name: 'Newsfeed', level: 1 }));
});

afterAll(async () => {
  await lenaHost?.stop();
  await company?.close();
});

/** The colour of the pixel at (x, y) of a PNG screenshot. */
async function pixelAt(png: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [data[at]!, data[at + 1]!, data[at + 2]!];
}

const near = (actual: number[], expected: number[]) =>
  actual.every((channel, i) => Math.abs(channel - expected[i]!) <= 3);

const cssColor = (page: Page, selector: string, property: 'color' | 'borderBottomColor') =>
  page
    .locator(selector)
    .first()
    .evaluate((element, name) => getComputedStyle(element)[name], property);

describe('company branding', () => {
  it('reaches Lena’s open window live when the admin changes the colours and the logo', async () => {
    const { host: adminHost, page: admin } = await openSignedIn(browser, {
      userDataDir: company.dir('admin'),
      serverUrl: server.url,
      username: 'admin',
    });
    try {
      await navLink(admin, 'Settings').click();
      const screen = admin.getByRole('region', { name: 'Company branding' });
      await visible(screen);
      await expectNoSeriousA11yViolations(admin);

      await screen.getByRole('textbox', { name: 'App name' }).fill('Acme Funk');
      await screen.getByRole('textbox', { name: 'Primary colour', exact: true }).fill('#ffcc00');
      await visible(screen.getByText(/#ffcc00 has a contrast of only/));
      await screen.getByRole('textbox', { name: 'Primary colour', exact: true }).fill(purple.hex);
      await screen.getByRole('textbox', { name: 'Accent colour', exact: true }).fill(orange.hex);
      expect(await textOf(screen)).toContain('In dark mode the Primary colour is shown as');
      await screen.getByRole('button', { name: 'Save branding' }).click();
      await visible(screen.getByRole('status').filter({ hasText: 'Saved.' }));

      await screen.locator('input[type="file"][aria-describedby="branding-slot-logo"]').setInputFiles({
        name: 'acme.svg',
        mimeType: 'image/svg+xml',
        buffer: Buffer.from(logo),
      });
      await visible(screen.getByRole('listitem').filter({ hasText: 'Logo' }).getByText('Uploaded'));
      await visible(admin.locator('header img'));
      await expectNoSeriousA11yViolations(admin);
    } finally {
      await adminHost.stop();
    }

    // Lena never reloaded: her header, colours, logo and window title follow.
    await visible(lena.getByRole('banner').getByText('Acme Funk'));
    // The unread count may lead the title: "(3) Newsfeed – Acme Funk".
    await expect.poll(() => lena.title()).toMatch(/Newsfeed – Acme Funk$/);
    await expect
      .poll(() => cssColor(lena, 'header', 'borderBottomColor'))
      .toBe(`rgb(${orange.rgb.join(', ')})`);
    expect(await cssColor(lena, '.brand-mark__name', 'color')).toBe(`rgb(${purple.rgb.join(', ')})`);
    const shownLogo = lena.locator('header img');
    await visible(shownLogo);
    await expect
      .poll(() => shownLogo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true);
    expect(await lena.title()).not.toBe('owned');
  });

  it('shows the brand on the first paint of a restarted app, with the server gone', async () => {
    await lenaHost.stop();
    await server.stop();
    lenaHost = await startHostProcess({
      userDataDir: company.dir('lena'),
      defaultServerUrl: server.url,
    });
    const page = await (await englishContext(browser)).newPage();

    // The app's scripts are held back: what shows is the first frame, from the HTML and the stylesheets.
    let releaseScripts = () => {};
    const scriptsReleased = new Promise<void>((resolve) => (releaseScripts = resolve));
    await page.route(/\/assets\/.*\.js$/, async (route) => {
      await scriptsReleased;
      await route.continue();
    });
    const stylesheet = page.waitForResponse((response) => response.url().includes('/appearance.css'));
    const logoFile = page.waitForResponse((response) => /\/branding\/[0-9a-f]{64}$/.test(response.url()));
    await page.goto(lenaHost.url, { waitUntil: 'commit' });
    expect((await stylesheet).status()).toBe(200);
    expect((await logoFile).status()).toBe(200);
    await page.waitForFunction(() => document.readyState !== 'loading');
    expect(await page.locator('.ff-splash').count()).toBe(1);
    const bar = (await page.locator('.ff-splash__bar').boundingBox())!;
    const firstFrame = await page.screenshot();

    // The header stripe in the brand's accent, never the default blue; the logo in its place.
    const stripe = await pixelAt(firstFrame, 400, Math.floor(bar.y + bar.height - 2));
    expect(near(stripe, orange.rgb), `stripe ${stripe.join(',')}`).toBe(true);
    expect(near(stripe, defaultBlue)).toBe(false);
    // The logo sits at the bar's left, 1.25rem in, vertically centred.
    const logoPixel = await pixelAt(firstFrame, 30, Math.floor(bar.y + bar.height / 2));
    expect(near(logoPixel, green), `logo ${logoPixel.join(',')}`).toBe(true);

    // Then the app itself starts, offline, still in the company's colours.
    releaseScripts();
    await visible(page.getByRole('banner').getByText('Acme Funk'));
    await expect
      .poll(() => cssColor(page, 'header', 'borderBottomColor'))
      .toBe(`rgb(${orange.rgb.join(', ')})`);
    await server.start();
  });
});
