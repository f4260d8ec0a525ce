// The canteen as Lena uses it: the menu at her plant, her allergen profile, and a dish Petra
// (the canteen's manager) corrects in her own Flurfunk showing up flagged on Lena's screen
// without a reload. Real server, browser hosts, cores and renderer; axe on every screen.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousA11yViolations, navLink, textOf, visible } from './support/app.js';
import { type DemoCompany, startDemoCompany } from './support/company.js';
import { openSignedIn } from './support/signed-in.js';
import { type DemoServer, type HostProcess } from './support/processes.js';

let company: DemoCompany;
let server: DemoServer;
let host: HostProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  company = await startDemoCompany('canteen');
  ({ server, browser } = company);
  ({ host, page } = await openSignedIn(browser, {
    userDataDir: company.dir('client'),
    serverUrl: server.url,
    username: 'lena.weber',
  }));
  await navLink(page, 'Canteen').click();
});

afterAll(async () => {
  await host?.stop();
  await company?.close();
});

/** Petra, the canteen's manager, in her own Flurfunk on another computer. */
async function petrasCanteen(): Promise<{ page: Page; stop(): Promise<void> }> {
  const { host: petraHost, page: petraPage } = await openSignedIn(browser, {
    userDataDir: company.dir('petra'),
    serverUrl: server.url,
    username: 'petra.koch',
  });
  await navLink(petraPage, 'Canteen').click();
  await petraPage.getByRole('button', { name: 'Week', exact: true }).click();
  return { page: petraPage, stop: () => petraHost.stop() };
}

describe('the canteen', () => {
  it("shows the week's menu at Lena's plant, allergens in words", async () => {
    await visible(page.getByRole('heading', { name: 'Canteen', level: 1 }));
    await page.getByRole('button', { name: 'Week', exact: true }).click();
    await visible(page.getByRole('heading', { name: /^Week of/ }));
    await visible(page.getByRole('article').first());
    const picked = page.getByRole('combobox', { name: 'Canteen' });
    expect(await picked.locator('option:checked').textContent()).toContain('Werkskantine Gütersloh');
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

    // Petra corrects the first dish of the first day with dishes: it contains peanuts after all.
    const petra = await petrasCanteen();
    let dish: string;
    try {
      await petra.page.getByRole('button', { name: 'Edit this week' }).click();
      const dishForm = petra.page.locator('fieldset.dish-form').first();
      dish = await dishForm.getByRole('textbox', { name: 'Name (English)' }).inputValue();
      await dishForm.getByRole('checkbox', { name: /Peanuts/ }).check();
      await expectNoSeriousA11yViolations(petra.page);
      await petra.page.getByRole('button', { name: 'Save and publish' }).click();
      await visible(petra.page.getByRole('button', { name: 'Edit this week' }));

      // Lena's open screen shows it, without a reload.
      const flagged = page.getByRole('article', { name: dish });
      await visible(flagged.getByRole('note'));
      expect((await textOf(flagged.getByRole('note'))).replace(/\s+/g, ' ')).toContain(
        'Not for you: contains Peanuts',
      );
      await expectNoSeriousA11yViolations(page);
    } finally {
      await petra.stop();
    }

    await page.getByRole('checkbox', { name: /Hide dishes/ }).check();
    await visible(page.getByText(/One dish hidden/));
    expect(await page.getByRole('article', { name: dish }).count()).toBe(0);
  });
});
