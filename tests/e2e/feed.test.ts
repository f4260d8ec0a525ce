// An important notice from internal communications reaches the plant, and only the plant: the
// editor posts through the real app, a plant worker sees it arrive live and confirms it, and the
// editor sees who confirmed. Two browser hosts (two people), one real server.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SyncPage, TokenResponse, type Person } from '@flurfunk/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, expectNoSeriousA11yViolations, signIn, visible } from './support/app.js';
import { englishContext, launchChromium } from './support/browser.js';
import { makePdf, makePng } from '../integration/support/file-support.js';
import { serverDirectory } from './support/directory.js';
import { assertBuilt } from './support/dist.js';
import { startDemoServer, startHostProcess, type DemoServer, type HostProcess } from './support/processes.js';

let tempDir: string;
let server: DemoServer;
let jonasHost: HostProcess;
let lenaHost: HostProcess;
let browser: Browser;
let jonasPage: Page;
let lenaPage: Page;
let headOfficeColleague: Person;

const title = `Sicherheitsunterweisung Presse 3 (${Date.now().toString(36)})`;

/** Everything the server sends a person in a full sync, by the ids of the changes. */
async function idsSyncedTo(username: string): Promise<Set<string>> {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: demoPassword, deviceName: 'e2e scope check' }),
  });
  const { accessToken } = TokenResponse.parse(await login.json());
  const ids = new Set<string>();
  let after = '0';
  for (;;) {
    const res = await fetch(`${server.url}/api/v1/sync?after=${after}&limit=1000`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const page = SyncPage.parse(await res.json());
    for (const change of page.changes) ids.add(change.id);
    if (!page.hasMore) return ids;
    after = page.cursor;
  }
}

function postCard(page: Page) {
  return page.getByRole('article', { name: title });
}

beforeAll(async () => {
  assertBuilt();
  tempDir = await mkdtemp(path.join(os.tmpdir(), 'flurfunk-e2e-feed-'));
  server = await startDemoServer(path.join(tempDir, 'server'));
  const company = await serverDirectory(server.url);
  const jonas = company.find((person) => person.username === 'jonas.becker');
  const found = company.find(
    (person) =>
      person.locationId === jonas?.locationId &&
      person.username !== 'jonas.becker' &&
      person.username !== 'admin',
  );
  if (!found) throw new Error('The demo company has nobody else at head office.');
  headOfficeColleague = found;
  [jonasHost, lenaHost, browser] = await Promise.all([
    startHostProcess({ userDataDir: path.join(tempDir, 'jonas'), defaultServerUrl: server.url }),
    startHostProcess({ userDataDir: path.join(tempDir, 'lena'), defaultServerUrl: server.url }),
    launchChromium(),
  ]);
  [jonasPage, lenaPage] = await Promise.all([
    englishContext(browser).then((context) => context.newPage()),
    englishContext(browser).then((context) => context.newPage()),
  ]);
  await Promise.all([jonasPage.goto(jonasHost.url), lenaPage.goto(lenaHost.url)]);
  await signIn(jonasPage, { username: 'jonas.becker', password: demoPassword });
  await signIn(lenaPage, { username: 'lena.weber', password: demoPassword });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([jonasHost?.stop(), lenaHost?.stop()]);
  await server?.stop();
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
});

describe('an important notice to the plant', () => {
  it('opens both people on their newsfeed, with the demo posts from the cache', async () => {
    for (const page of [jonasPage, lenaPage]) {
      await visible(page.getByRole('heading', { name: 'Newsfeed', level: 1 }));
      await visible(page.getByRole('feed', { name: 'Posts' }).getByRole('article'));
    }
    await expectNoSeriousA11yViolations(lenaPage);
  });

  it('lets the editor write it with a preview and publish it to the plant', async () => {
    await jonasPage.getByRole('button', { name: 'New post' }).click();
    const composer = jonasPage.getByRole('dialog', { name: 'New post' });
    await visible(composer);
    await composer.getByLabel('Channel', { exact: true }).selectOption({ label: 'Standort Werk Gütersloh' });
    await composer.getByLabel('Title', { exact: true }).fill(title);
    await composer
      .getByLabel('Text', { exact: true })
      .fill('Ab Montag gilt an **Presse 3** die neue Betriebsanweisung.\n\n- Schutzbrille\n- Gehörschutz');
    await composer.getByRole('button', { name: 'Preview' }).click();
    await visible(
      composer
        .getByRole('region', { name: 'Preview of the post' })
        .locator('strong', { hasText: 'Presse 3' }),
    );
    await composer.getByLabel('Readers must confirm they have read it').check();
    await expectNoSeriousA11yViolations(jonasPage);
    await composer.getByRole('button', { name: 'Publish' }).click();
    await composer.waitFor({ state: 'detached' });
    await visible(postCard(jonasPage));
  });

  it('arrives live at the plant worker, who confirms reading it', async () => {
    const card = postCard(lenaPage);
    await visible(card, 20_000);
    await expect.poll(() => card.locator('li').allInnerTexts()).toEqual(['Schutzbrille', 'Gehörschutz']);
    await card.getByRole('button', { name: 'I have read this' }).click();
    await visible(card.getByText(/You confirmed reading this/));
  });

  it('never reaches a colleague at head office', async () => {
    const labelledBy = await postCard(lenaPage).getAttribute('aria-labelledby');
    const postId = labelledBy?.replace(/^post-|-title$/g, '') ?? '';
    expect((await idsSyncedTo('lena.weber')).has(postId)).toBe(true);
    expect((await idsSyncedTo(headOfficeColleague.username)).has(postId)).toBe(false);
  });

  it('shows the editor that Lena confirmed it', async () => {
    const card = postCard(jonasPage);
    await expect.poll(() => card.innerText(), { timeout: 15_000 }).toMatch(/confirmed by 1/);
    await card.getByRole('button', { name: 'Confirmations' }).click();
    const dialog = jonasPage.getByRole('dialog', { name: /Read confirmations/ });
    await visible(dialog.getByRole('list', { name: 'Confirmed' }).getByText('Lena Weber'));
    expect(
      await dialog.getByRole('list', { name: 'Not yet confirmed' }).getByRole('listitem').count(),
    ).toBeGreaterThan(0);
    await expectNoSeriousA11yViolations(jonasPage);
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('lets the plant worker ask in a comment, and the editor answer it live', async () => {
    const lenaCard = postCard(lenaPage);
    await lenaCard.getByRole('button', { name: 'Comment', exact: true }).click();
    const field = lenaCard.getByRole('textbox', { name: 'Write a comment' });
    await field.fill('Gilt das auch für **Leiharbeiter**?');
    await field.press('Enter');
    const question = lenaCard.getByRole('article', { name: 'Comment by Lena Weber' });
    await visible(question.locator('strong', { hasText: 'Leiharbeiter' }));
    await expect.poll(() => field.inputValue()).toBe('');

    const jonasCard = postCard(jonasPage);
    const toggle = jonasCard.getByRole('button', { name: '1 comment' });
    await visible(toggle, 15_000);
    await expect.poll(() => jonasCard.innerText(), { timeout: 15_000 }).toMatch(/comments from 1/);
    await toggle.click();
    const lenasComment = jonasCard.getByRole('article', { name: 'Comment by Lena Weber' });
    await visible(lenasComment);
    await lenasComment.getByRole('button', { name: 'Reply' }).click();
    const reply = jonasCard.getByRole('textbox', { name: 'Reply to Lena Weber' });
    await reply.fill('Ja, für alle an Presse 3.');
    await reply.press('Enter');
    await expectNoSeriousA11yViolations(jonasPage);

    // The answer arrives under Lena's question on her screen, without a reload.
    const answer = lenaCard.getByRole('listitem').getByRole('article', { name: 'Comment by Jonas Becker' });
    await visible(answer.getByText('Ja, für alle an Presse 3.'), 15_000);
    await visible(lenaCard.getByRole('button', { name: '2 comments' }));
  });

  it('lets the editor delete the question with its answer, for everyone', async () => {
    const jonasCard = postCard(jonasPage);
    await jonasCard
      .getByRole('article', { name: 'Comment by Lena Weber' })
      .getByRole('button', { name: 'Delete' })
      .click();
    const dialog = jonasPage.getByRole('dialog', { name: 'Delete comment?' });
    await visible(dialog.getByText('The comment and its reply will be removed for everyone.'));
    await dialog.getByRole('button', { name: 'Delete' }).click();
    const lenaCard = postCard(lenaPage);
    await expect
      .poll(() => lenaCard.getByRole('article', { name: /^Comment by/ }).count(), { timeout: 15_000 })
      .toBe(0);
    await visible(lenaCard.getByRole('button', { name: 'Comment', exact: true }));
  });

  it('lets the plant worker answer an event and save it to her calendar', async () => {
    const event = lenaPage
      .getByRole('feed', { name: 'Posts' })
      .getByRole('region', { name: 'Event' })
      .first();
    await visible(event);
    const yes = event.getByRole('button', { name: /^Yes/ });
    await yes.click();
    await expect.poll(() => yes.getAttribute('aria-pressed')).toBe('true');

    const [download] = await Promise.all([
      lenaPage.waitForEvent('download'),
      event.getByRole('button', { name: 'Add to calendar' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.ics$/);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    const ics = Buffer.concat(chunks).toString('utf8');
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toMatch(/\r\nDTSTART:\d{8}T\d{6}Z\r\n/);
  });

  it('lets the plant worker vote in the canteen’s poll, and the canteen see the count grow', async () => {
    const question = 'Welche Aktionswoche wünschen Sie sich?';
    const jonasPoll = jonasPage.getByRole('region', { name: question });
    await visible(jonasPoll);
    const counted = async () => Number(/(\d+) people voted/.exec(await jonasPoll.innerText())?.[1]);
    const before = await counted();
    expect(before).toBeGreaterThan(0);

    const poll = lenaPage.getByRole('region', { name: question });
    await visible(poll);
    await poll.getByRole('radio', { name: 'Regionale Küche aus Ostwestfalen' }).check();
    await poll.getByRole('button', { name: 'Vote' }).click();
    const results = poll.getByRole('list', { name: 'Results' });
    await visible(results.getByText('Your vote'));
    await expect.poll(() => results.getByRole('listitem').count()).toBe(3);
    await expectNoSeriousA11yViolations(lenaPage);
    await expect.poll(counted, { timeout: 15_000 }).toBe(before + 1);
  });

  it('lets the editor attach a photo and a plan that the plant sees and can save', async () => {
    const attachmentTitle = `Neue Hallenordnung (${Date.now().toString(36)})`;
    const photo = makePng(64, 48);
    const plan = makePdf('Hallenordnung');
    await jonasPage.getByRole('button', { name: 'New post' }).click();
    const composer = jonasPage.getByRole('dialog', { name: 'New post' });
    await composer.getByLabel('Channel', { exact: true }).selectOption({ label: 'Standort Werk Gütersloh' });
    await composer.getByLabel('Title', { exact: true }).fill(attachmentTitle);
    await composer.getByLabel('Text', { exact: true }).fill('Foto und Plan im Anhang.');
    await composer.locator('input[type=file]').setInputFiles([
      { name: 'Halle 2.png', mimeType: 'image/png', buffer: photo },
      { name: 'Hallenordnung.pdf', mimeType: 'application/pdf', buffer: plan },
    ]);
    const list = composer.getByRole('list', { name: 'Attachments' });
    await visible(list.getByRole('button', { name: 'Remove Hallenordnung.pdf' }), 20_000);
    await visible(list.getByRole('button', { name: 'Remove Halle 2.png' }));
    // The photo goes into the text, where the preview already shows it.
    await list.getByRole('button', { name: 'Show Halle 2.png in the text' }).click();
    await composer.getByRole('button', { name: 'Preview' }).click();
    await visible(
      composer.getByRole('region', { name: 'Preview of the post' }).getByRole('img', { name: 'Halle 2.png' }),
    );
    await composer.getByRole('button', { name: 'Publish' }).click();
    await composer.waitFor({ state: 'detached' });

    await visible(jonasPage.getByRole('article', { name: attachmentTitle }));
    // When Lena has scrolled down meanwhile, the post waits behind the "new posts" pill.
    const card = lenaPage.getByRole('article', { name: attachmentTitle });
    const pill = lenaPage.getByRole('button', { name: /new post/ });
    await expect
      .poll(async () => (await card.count()) + (await pill.count()), { timeout: 20_000 })
      .toBeGreaterThan(0);
    if ((await pill.count()) > 0) await pill.click();
    await visible(card);
    const image = card.locator('.post__body').getByRole('img', { name: 'Halle 2.png' });
    await visible(image);
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 15_000 })
      .toBe(64);
    const [download] = await Promise.all([
      lenaPage.waitForEvent('download'),
      card.getByRole('link', { name: 'Download Hallenordnung.pdf' }).click(),
    ]);
    // Shown in the text, the photo is not listed again below it.
    expect(await card.getByRole('list', { name: 'Images' }).count()).toBe(0);
    expect(download.suggestedFilename()).toBe('Hallenordnung.pdf');
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(plan)).toBe(true);
    await expectNoSeriousA11yViolations(lenaPage);
  });
});
