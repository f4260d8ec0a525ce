// Lena (plant) and Jonas (head office) chat through the real app: two browser hosts with their
// own cores and encrypted caches, one real server. Lena's host reaches the server through a proxy
// that can cut her off, so she writes offline and her messages arrive later, once and in order.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TokenResponse, safeFileName } from '@flurfunk/protocol';
import type { Browser, Download, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChaosProxy, startChaosProxy } from '../integration/support/chaos-proxy.js';
import { makePdf, makePng } from '../integration/support/file-support.js';
import { demoPassword, expectNoSeriousA11yViolations, navLink, signIn, visible } from './support/app.js';
import { englishContext, launchChromium } from './support/browser.js';
import { assertBuilt } from './support/dist.js';
import { startDemoServer, startHostProcess, type DemoServer, type HostProcess } from './support/processes.js';

let tempDir: string;
let server: DemoServer;
let proxy: ChaosProxy;
let jonasHost: HostProcess;
let lenaHost: HostProcess;
let browser: Browser;
let jonasPage: Page;
let lenaPage: Page;

const run = Date.now().toString(36);

/** What the browser was asked to show as notifications, recorded in the page. */
declare global {
  interface Window {
    shownNotifications?: Array<{ title: string; body: string }>;
  }
}

beforeAll(async () => {
  assertBuilt();
  tempDir = await mkdtemp(path.join(os.tmpdir(), 'flurfunk-e2e-chat-'));
  server = await startDemoServer(path.join(tempDir, 'server'));
  proxy = await startChaosProxy(server.url, Math.random);
  [jonasHost, lenaHost, browser] = await Promise.all([
    startHostProcess({ userDataDir: path.join(tempDir, 'jonas'), defaultServerUrl: server.url }),
    startHostProcess({ userDataDir: path.join(tempDir, 'lena'), defaultServerUrl: proxy.url }),
    launchChromium(),
  ]);
  const [jonasContext, lenaContext] = await Promise.all([englishContext(browser), englishContext(browser)]);
  await lenaContext.grantPermissions(['notifications'], { origin: lenaHost.origin });
  await lenaContext.addInitScript(() => {
    const Shown = window.Notification;
    window.shownNotifications = [];
    window.Notification = class extends Shown {
      constructor(title: string, options?: NotificationOptions) {
        window.shownNotifications!.push({ title, body: options?.body ?? '' });
        super(title, options);
      }
    } as typeof Notification;
  });
  [jonasPage, lenaPage] = await Promise.all([jonasContext.newPage(), lenaContext.newPage()]);
  await Promise.all([jonasPage.goto(jonasHost.url), lenaPage.goto(lenaHost.url)]);
  await signIn(jonasPage, { username: 'jonas.becker', password: demoPassword });
  await signIn(lenaPage, { username: 'lena.weber', password: demoPassword });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([jonasHost?.stop(), lenaHost?.stop()]);
  await proxy?.close();
  await server?.stop();
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
});

function conversationLink(page: Page, title: string): Locator {
  return page
    .getByRole('navigation', { name: 'Conversations' })
    .getByRole('link', { name: new RegExp(`^${title}`) });
}

function messages(page: Page): Locator {
  return page.getByRole('feed', { name: 'Messages' }).getByRole('article');
}

/** The message by `author` whose text contains `text`. */
function message(page: Page, author: string, text: string): Locator {
  return messages(page)
    .filter({ hasText: text })
    .and(page.getByRole('article', { name: new RegExp(`^${author}, `) }));
}

/** The unread count the window title leads with ("(3) Chat – Flurfunk"); 0 without one. */
async function unreadInTitle(page: Page): Promise<number> {
  return Number(/^\((\d+)\) /.exec(await page.title())?.[1] ?? 0);
}

async function openDirectWith(page: Page, other: string): Promise<void> {
  await page
    .getByRole('navigation')
    .getByRole('link', { name: /^Chat\b/ })
    .first()
    .click();
  await visible(page.getByRole('heading', { name: 'Chat', level: 1 }));
  await conversationLink(page, other).click();
  await visible(page.getByRole('heading', { name: other, level: 2 }));
}

async function send(page: Page, text: string): Promise<void> {
  const composer = page.getByRole('textbox', { name: 'Message' });
  await composer.fill(text);
  await composer.press('Enter');
  await expect.poll(() => composer.inputValue()).toBe('');
}

async function bytesOf(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function tokenOf(username: string): Promise<string> {
  const response = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: demoPassword, deviceName: 'e2e file check' }),
  });
  return TokenResponse.parse(await response.json()).accessToken;
}

describe('a direct conversation between the plant and head office', () => {
  const question = `Ist Presse 3 wieder frei? (${run})`;

  it('opens on both sides with the history from the cache', async () => {
    await openDirectWith(lenaPage, 'Jonas Becker');
    await openDirectWith(jonasPage, 'Lena Weber');
    for (const page of [lenaPage, jonasPage]) {
      await visible(message(page, 'Jonas Becker', 'Hast du ein Foto von der neuen Fräsmaschine'));
      // Each sees the other online, in the header and in the list.
      await expect
        .poll(async () => (await page.locator('.pane__meta').textContent())?.trim(), { timeout: 20_000 })
        .toBe('Online');
    }
    const partnerEntry = jonasPage.getByRole('navigation', { name: 'Conversations' }).getByRole('link', {
      name: /^Lena Weber Online/,
    });
    await visible(partnerEntry);
    await expectNoSeriousA11yViolations(lenaPage);
  });

  it('brings a message to the other side live, and a reaction back', async () => {
    await send(lenaPage, question);
    await visible(message(jonasPage, 'Lena Weber', question), 20_000);

    const received = message(jonasPage, 'Lena Weber', question);
    await received.hover();
    await received.getByRole('button', { name: 'More actions' }).click();
    await jonasPage
      .getByRole('menu', { name: 'Message actions' })
      .getByRole('menuitem', { name: 'React' })
      .click();
    await jonasPage
      .getByRole('group', { name: 'Choose a reaction' })
      .getByRole('button', { name: 'Thumbs up' })
      .click();
    await visible(
      message(lenaPage, 'Lena Weber', question).getByRole('button', { name: /^👍 1: Jonas Becker/ }),
      20_000,
    );
    await expectNoSeriousA11yViolations(jonasPage);
  });

  it('shows Lena’s edit on Jonas’s screen, marked as edited', async () => {
    const composer = lenaPage.getByRole('textbox', { name: 'Message' });
    await composer.press('ArrowUp');
    await expect.poll(() => composer.inputValue()).toBe(question);
    await composer.fill(`${question} Ab 14 Uhr?`);
    await composer.press('Enter');
    const edited = message(jonasPage, 'Lena Weber', `${question} Ab 14 Uhr?`);
    await visible(edited, 20_000);
    await visible(edited.getByText('edited'));
  });

  it('lets Jonas answer with a quote and a mention, shown as her name on Lena’s screen', async () => {
    const asked = message(jonasPage, 'Lena Weber', `${question} Ab 14 Uhr?`);
    await asked.hover();
    await asked.getByRole('button', { name: 'More actions' }).click();
    await jonasPage
      .getByRole('menu', { name: 'Message actions' })
      .getByRole('menuitem', { name: 'Reply' })
      .click();
    const composer = jonasPage.getByRole('textbox', { name: 'Message' });
    await composer.pressSequentially('Klar @Le');
    await visible(
      jonasPage
        .getByRole('listbox', { name: 'People to mention' })
        .getByRole('option', { name: /^@Lena Weber/ }),
    );
    await composer.press('Enter');
    await composer.pressSequentially(' ich sage der Schicht Bescheid.');
    await expectNoSeriousA11yViolations(jonasPage);
    await composer.press('Enter');

    const answer = message(lenaPage, 'Jonas Becker', 'ich sage der Schicht Bescheid.');
    await visible(answer, 20_000);
    await visible(answer.locator('.ff-mention', { hasText: '@Lena Weber' }));
    const quote = answer.getByRole('button', { name: /^Reply to Lena Weber: / });
    await visible(quote);
    await quote.click();
    await expect.poll(() => message(lenaPage, 'Lena Weber', `${question} Ab 14 Uhr?`).isVisible()).toBe(true);
  });

  it('notifies Lena of Jonas’s answer while she is elsewhere in the app', async () => {
    await navLink(lenaPage, 'Settings').click();
    await visible(lenaPage.getByRole('heading', { name: 'Notifications' }));
    const unreadBefore = await unreadInTitle(lenaPage);
    await send(jonasPage, `Ja, ab 14 Uhr ist sie frei. (${run})`);
    await expect
      .poll(() => lenaPage.evaluate(() => window.shownNotifications ?? []), { timeout: 20_000 })
      .toContainEqual({ title: 'Jonas Becker', body: `Ja, ab 14 Uhr ist sie frei. (${run})` });
    // The unread message counts in the window title until she reads it.
    await expect.poll(() => unreadInTitle(lenaPage)).toBe(unreadBefore + 1);
    await openDirectWith(lenaPage, 'Jonas Becker');
    await expect.poll(() => unreadInTitle(lenaPage), { timeout: 15_000 }).toBe(unreadBefore);
  });

  it('keeps what Lena writes offline and delivers it once and in order when she is back', async () => {
    proxy.goOffline();
    const offline = ['Eins', 'Zwei', 'Drei'].map((word) => `${word} (${run})`);
    for (const text of offline) await send(lenaPage, text);
    for (const text of offline) await visible(message(lenaPage, 'Lena Weber', text));
    await visible(message(lenaPage, 'Lena Weber', offline[2]!).getByText(/Waiting for network|Sending…/));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await message(jonasPage, 'Lena Weber', offline[0]!).count()).toBe(0);

    proxy.goOnline();
    await visible(message(jonasPage, 'Lena Weber', offline[2]!), 45_000);
    const names = await messages(jonasPage).evaluateAll((rows) =>
      rows.map((row) => row.getAttribute('aria-label') ?? ''),
    );
    const arrived = names.filter((name) => offline.some((text) => name.endsWith(text)));
    expect(arrived.map((name) => offline.find((text) => name.endsWith(text)))).toEqual(offline);
  });
});

describe('files in a conversation', () => {
  const plan = makePdf(`Schichtplan ${run}`);
  const hostile = `../../CON.pdf`;
  const long = `${'Sehr langer Dateiname '.repeat(15)}.pdf`;
  let fileIds: string[] = [];

  it('goes from Lena to Jonas byte for byte, under names safe to save', async () => {
    await lenaPage
      .locator('input[type=file]')
      .first()
      .setInputFiles([
        { name: hostile, mimeType: 'application/pdf', buffer: plan },
        { name: long, mimeType: 'application/pdf', buffer: plan },
      ]);
    const safeHostile = safeFileName(hostile);
    const safeLong = safeFileName(long);
    await visible(lenaPage.getByRole('button', { name: `Remove ${safeHostile}` }), 20_000);
    await visible(lenaPage.getByRole('button', { name: `Remove ${safeLong}` }), 20_000);
    await send(lenaPage, `Der Schichtplan (${run})`);

    const received = message(jonasPage, 'Lena Weber', `Der Schichtplan (${run})`);
    await visible(received, 20_000);
    for (const name of [safeHostile, safeLong]) {
      const link = received.getByRole('link', { name: `Download ${name}` });
      const [download] = await Promise.all([jonasPage.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toBe(name);
      // No way out of the download folder, no name Windows refuses.
      expect(download.suggestedFilename()).not.toMatch(/[/\\]|^\.|^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i);
      expect(Buffer.byteLength(download.suggestedFilename())).toBeLessThanOrEqual(255);
      expect(sha256(await bytesOf(download))).toBe(sha256(plan));
      const href = (await link.getAttribute('href')) ?? '';
      fileIds.push(/\/media\/([0-9a-f-]{36})/.exec(href)?.[1] ?? '');
    }
    expect(safeHostile).not.toMatch(/^\.\.|\//);
    expect(fileIds.every((id) => id.length === 36)).toBe(true);
  });

  it('shows a photo as a thumbnail that opens at full size', async () => {
    await lenaPage
      .locator('input[type=file]')
      .first()
      .setInputFiles([{ name: 'Halle.png', mimeType: 'image/png', buffer: makePng(1600, 1200) }]);
    await visible(lenaPage.getByRole('button', { name: 'Remove Halle.png' }), 20_000);
    await send(lenaPage, `Die neue Halle (${run})`);

    const received = message(jonasPage, 'Lena Weber', `Die neue Halle (${run})`);
    await visible(received, 20_000);
    const thumbnail = received.getByRole('img', { name: 'Halle.png' });
    // The server's WebP of at most 800 pixels, through the core's media route.
    await expect
      .poll(() => thumbnail.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth), {
        timeout: 20_000,
      })
      .toBe(800);
    expect(await thumbnail.getAttribute('src')).toContain('thumbnail');

    await received.getByRole('button', { name: 'Open Halle.png' }).click();
    const viewer = jonasPage.getByRole('dialog', { name: 'Image Halle.png' });
    await visible(viewer, 10_000);
    await expect
      .poll(() =>
        viewer
          .getByRole('img', { name: 'Halle.png' })
          .evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth),
      )
      .toBe(1600);
    await expectNoSeriousA11yViolations(jonasPage);
    await jonasPage.keyboard.press('Escape');
    await expect.poll(() => viewer.count()).toBe(0);
  });

  it('is served to members of the conversation only', async () => {
    expect(fileIds).toHaveLength(2);
    const [jonas, petra] = await Promise.all([tokenOf('jonas.becker'), tokenOf('petra.koch')]);
    for (const id of fileIds) {
      const asMember = await fetch(`${server.url}/api/v1/files/${id}`, {
        headers: { authorization: `Bearer ${jonas}` },
      });
      expect(asMember.status).toBe(200);
      expect(sha256(Buffer.from(await asMember.arrayBuffer()))).toBe(sha256(plan));
      const asOutsider = await fetch(`${server.url}/api/v1/files/${id}`, {
        headers: { authorization: `Bearer ${petra}` },
      });
      expect(asOutsider.status).toBe(404);
    }
    fileIds = [];
  });
});
