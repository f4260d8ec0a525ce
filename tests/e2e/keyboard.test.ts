// Flurfunk without a mouse: Lena signs in, reacts to a post, writes in a chat, finds a colleague
// and looks after her diet profile with the keyboard alone. Every stop shows a visible focus, and
// focus moves where she would read next (the view after navigating, into a dialog and back out).
// Then the same app zoomed to 200 % and with reduced motion. Real server, host, core, renderer.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, expectNoSeriousA11yViolations, visible } from './support/app.js';
import { type DemoCompany, startDemoCompany } from './support/company.js';
import { startHostProcess, type DemoServer, type HostProcess } from './support/processes.js';

let company: DemoCompany;
let server: DemoServer;
let host: HostProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  company = await startDemoCompany('keyboard');
  ({ server, browser } = company);
  host = await startHostProcess({ userDataDir: company.dir('client'), defaultServerUrl: server.url });
  context = await browser.newContext({
    locale: 'en-US',
    timezoneId: 'Europe/Berlin',
    reducedMotion: 'reduce',
  });
  page = await context.newPage();
  await page.goto(host.url);
});

afterAll(async () => {
  await host?.stop();
  await company?.close();
});

/** What the focused element is, as a person hears it: its role and accessible name, roughly. */
const focused = (target: Page) =>
  target.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) {
      return { name: '', outline: 'none', visibleFocus: false, id: '', tabbable: false };
    }
    const labelled = (element as HTMLInputElement).labels?.[0]?.textContent ?? '';
    const style = getComputedStyle(element);
    return {
      id: element.id,
      name: (element.getAttribute('aria-label') ?? (labelled || element.textContent) ?? '').trim(),
      outline: style.outlineStyle,
      visibleFocus: element.matches(':focus-visible'),
      // Focus a script put on a container (the view after navigating) is shown differently.
      tabbable: element.tabIndex >= 0,
    };
  });

/**
 * Presses Tab until the focused element's accessible name matches, as a keyboard user would,
 * failing after `most` presses. Every stop on the way must show where the focus is.
 */
async function tabTo(target: Page, name: RegExp, most = 60): Promise<void> {
  // Already there: a view may put the focus where one types next (the chat's composer).
  const start = await focused(target);
  if (start.tabbable && name.test(start.name)) return;
  const passed: string[] = [];
  for (let presses = 0; presses < most; presses += 1) {
    await target.keyboard.press('Tab');
    const now = await focused(target);
    if (now.tabbable) {
      expect(now.visibleFocus, `focus on “${now.name}” is visible`).toBe(true);
      expect(now.outline, `focus on “${now.name}” has an outline`).not.toBe('none');
    }
    if (now.tabbable && name.test(now.name)) return;
    passed.push(now.name.slice(0, 40));
  }
  throw new Error(`Tab never reached ${name}; it passed ${JSON.stringify(passed)}`);
}

/** Goes to a section with the main navigation, by keyboard; focus then starts in the view. */
async function goTo(target: Page, section: string): Promise<void> {
  await tabTo(target, new RegExp(`^${section}`));
  await target.keyboard.press('Enter');
  await expect.poll(async () => (await focused(target)).id).toBe('main');
}

describe('keyboard only', () => {
  it('signs in', async () => {
    await visible(page.getByLabel('Username'));
    await tabTo(page, /^Username$/);
    await page.keyboard.type('lena.weber');
    await tabTo(page, /^Password$/);
    await page.keyboard.type(demoPassword);
    await page.keyboard.press('Enter');
    await visible(page.getByRole('heading', { name: 'Newsfeed', level: 1 }));
  });

  it('reacts to a post in the newsfeed', async () => {
    await visible(page.getByRole('article').first());
    await tabTo(page, /^Like, nobody yet$/);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).name).toBe('Like, 1 person');
  });

  it('opens a conversation and sends a message', async () => {
    await goTo(page, 'Chat');
    await tabTo(page, /^JBJonas Becker/);
    await page.keyboard.press('Enter');
    await tabTo(page, /^Message$/);
    await page.keyboard.type('Geschrieben nur mit der Tastatur');
    await page.keyboard.press('Enter');
    await visible(page.getByText('Geschrieben nur mit der Tastatur'));
    expect((await focused(page)).name).toBe('Message');
  });

  it('finds a colleague in the directory and opens the profile', async () => {
    await goTo(page, 'Directory');
    await tabTo(page, /^Search/);
    await page.keyboard.type('Jonas Becker');
    await visible(page.getByRole('link', { name: /Jonas Becker/ }).first());
    await tabTo(page, /Jonas Becker/);
    await page.keyboard.press('Enter');
    await visible(page.getByRole('heading', { name: 'Jonas Becker' }));
    await expectNoSeriousA11yViolations(page);
  });

  it('opens the diet profile in the canteen, and Escape brings the focus back', async () => {
    await goTo(page, 'Canteen');
    await tabTo(page, /My allergens and diet/);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'My allergens and diet' });
    await visible(dialog);
    expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect((await focused(page)).name).toMatch(/My allergens and diet/);
  });

  it('skips to the content from the top of the page', async () => {
    await page.reload();
    await visible(page.getByRole('navigation', { name: 'Main' }));
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect((await focused(page)).id).toBe('main');
  });
});

describe('zoomed to 200 % and with reduced motion', () => {
  it('keeps every section readable without sideways scrolling when zoomed to 200 %', async () => {
    // Zooming a 1280 × 720 window to 200 % lays the page out in 640 × 360 CSS pixels.
    const before = page.viewportSize()!;
    await page.setViewportSize({ width: before.width / 2, height: before.height / 2 });
    try {
      const sections = {
        feed: 'Newsfeed',
        chat: 'Chat',
        directory: 'Directory',
        canteen: 'Canteen',
        settings: 'Settings',
      };
      for (const [section, title] of Object.entries(sections)) {
        await page.evaluate((hash) => (window.location.hash = hash), `#/${section}`);
        const heading = page.getByRole('heading', { level: 1, name: title });
        await visible(heading);
        const layout = await page.evaluate(() => {
          const main = document.getElementById('main')!;
          const nav = [...document.querySelectorAll('nav[aria-label="Main"] a')].map((a) =>
            a.getBoundingClientRect(),
          );
          return {
            pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            mainOverflow: main.scrollWidth - main.clientWidth,
            navOutside: nav.filter((box) => box.right > window.innerWidth || box.width === 0).length,
          };
        });
        expect(layout, section).toEqual({ pageOverflow: 0, mainOverflow: 0, navOutside: 0 });
        const box = (await heading.boundingBox())!;
        expect(box.x + box.width, section).toBeLessThanOrEqual(before.width / 2);
      }
    } finally {
      await page.setViewportSize(before);
    }
  });

  it('moves nothing when the system asks for reduced motion', async () => {
    const duration = await page
      .locator('.ff-button')
      .first()
      .evaluate((button) => parseFloat(getComputedStyle(button).transitionDuration));
    expect(duration).toBeLessThan(0.001);
  });
});
