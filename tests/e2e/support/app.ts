import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

export const demoPassword = 'flurfunk-demo';

/** Fills the login form the way a person would; the server address only when given. */
export async function signIn(
  page: Page,
  { username, password, serverUrl }: { username: string; password: string; serverUrl?: string },
): Promise<void> {
  if (serverUrl !== undefined) await page.getByLabel('Server address').fill(serverUrl);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export function navLink(page: Page, name: string): Locator {
  return page.getByRole('navigation').getByRole('link', { name, exact: true });
}

export function people(page: Page): Locator {
  return page.getByRole('list', { name: 'People' }).getByRole('listitem');
}

export function personNamed(page: Page, displayName: string): Locator {
  return people(page).filter({ hasText: displayName });
}

export async function search(page: Page, query: string): Promise<void> {
  await page.getByLabel('Search people', { exact: true }).fill(query);
}

/** Waits until the locator shows up; fails with what the page showed instead. */
export async function visible(locator: Locator, timeout = 15_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

export async function textOf(locator: Locator): Promise<string> {
  await visible(locator);
  return (await locator.first().innerText()).trim();
}

/** Serious and critical axe findings on what the page shows now. */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
  expect(serious).toEqual([]);
}
