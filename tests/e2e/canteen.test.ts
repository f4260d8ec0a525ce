// The canteen as Lena uses it: the menu at her plant, her allergen profile, and a dish Petra
// (the canteen's manager) corrects showing up flagged without a reload. Real server, browser
// host, core and renderer; axe on the screen and the dialog.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CanteenWeek, weekStartOf } from '@flurfunk/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  demoPassword,
  expectNoSeriousA11yViolations,
  navLink,
  signIn,
  textOf,
  visible,
} from './support/app.js';
import { englishContext, launchChromium } from './support/browser.js';
import { assertBuilt } from './support/dist.js';
import { startDemoServer, startHostProcess, type DemoServer, type HostProcess } from './support/processes.js';

let tempDir: string;
let server: DemoServer;
let host: HostProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  assertBuilt();
  tempDir = await mkdtemp(path.join(os.tmpdir(), 'flurfunk-e2e-canteen-'));
  server = await startDemoServer(path.join(tempDir, 'server'));
  [host, browser] = await Promise.all([
    startHostProcess({ userDataDir: path.join(tempDir, 'client'), defaultServerUrl: server.url }),
    launchChromium(),
  ]);
  page = await (await englishContext(browser)).newPage();
  await page.goto(host.url);
  await signIn(page, { username: 'lena.weber', password: demoPassword });
  await navLink(page, 'Canteen').click();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await server?.stop();
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
});

/** Petra's side, as her canteen's manager: through the server's API. */
async function asPetra<T>(method: string, apiPath: string, body?: unknown): Promise<T> {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'petra.koch', password: demoPassword, deviceName: 'Küchenbüro' }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const response = await fetch(`${server.url}${apiPath}`, {
    method,
    headers: {
      authorization: `Bearer ${accessToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
}

const localToday = () => {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
};

describe('the canteen', () => {
  it("shows the week's menu at Lena's plant, allergens in words", async () => {
    await visible(page.getByRole('heading', { name: 'Canteen', level: 1 }));
    expect(await page.getByRole('combobox', { name: 'Canteen' }).inputValue()).not.toBe('');
    expect(await textOf(page.getByRole('combobox', { name: 'Canteen' }))).toContain('Werkskantine Gütersloh');
    await page.getByRole('button', { name: 'Week', exact: true }).click();
    await visible(page.getByRole('heading', { name: /^Week of/ }));
    await visible(page.getByRole('article').first());
    const menu = (await textOf(page.getByRole('main'))).replace(/\s+/g, ' ');
    expect(menu).toMatch(/Allergens: [A-R] (Milk \(lactose\)|Celery|Gluten)/);
    expect(menu).toMatch(/Employees €\d+\.\d\d/);
    await expectNoSeriousA11yViolations(page);
  });

  it('flags the dish Petra gives an allergen Lena avoids, without a reload', async () => {
    await page.getByRole('button', { name: /My allergens and diet/ }).click();
    const dialog = page.getByRole('dialog', { name: 'My allergens and diet' });
    await visible(dialog);
    expect(await textOf(dialog)).toContain('never sent to the server');
    await expectNoSeriousA11yViolations(page);
    await dialog.getByRole('checkbox', { name: /Peanuts/ }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await visible(page.getByRole('checkbox', { name: /Hide dishes/ }));
    expect(await page.getByRole('note').count()).toBe(0);

    // Petra corrects the first open day's first dish: it contains peanuts after all.
    const { canteens } = await asPetra<{ canteens: { id: string; name: string }[] }>(
      'GET',
      '/api/v1/canteens',
    );
    const werk = canteens.find((canteen) => canteen.name === 'Werkskantine Gütersloh')!;
    const monday = weekStartOf(localToday());
    const week = CanteenWeek.parse(await asPetra('GET', `/api/v1/canteens/${werk.id}/weeks/${monday}`));
    const day = week.days.find((d) => d.status === 'open')!;
    const dish = day.dishes[0]!;
    const days = week.days.map((d) => ({
      ...d,
      dishes: d.dishes.map(({ photo, ...rest }) => ({
        ...rest,
        photoFileId: photo?.id ?? null,
        allergens: rest.id === dish.id ? [...rest.allergens, 'peanuts'] : rest.allergens,
      })),
    }));
    await asPetra('PUT', `/api/v1/canteens/${werk.id}/weeks/${monday}`, {
      days,
      baseRevision: week.revision,
    });

    const flagged = page.getByRole('article', { name: dish.name.en });
    await visible(flagged.getByRole('note'));
    expect((await textOf(flagged.getByRole('note'))).replace(/\s+/g, ' ')).toContain(
      'Not for you: contains Peanuts',
    );
    await expectNoSeriousA11yViolations(page);

    await page.getByRole('checkbox', { name: /Hide dishes/ }).check();
    await visible(page.getByText(/One dish hidden/));
    expect(await page.getByRole('article', { name: dish.name.en }).count()).toBe(0);
  });
});
