import type { Browser, Page } from 'playwright-core';
import { demoPassword, signIn } from './app.js';
import { englishContext } from './browser.js';
import { startHostProcess, type HostProcess } from './processes.js';

export interface SignedInApp {
  host: HostProcess;
  page: Page;
}

/**
 * A person's own Flurfunk, as on their computer: a browser host with its own user-data directory
 * and core, a page of its own, signed in to the server as `username` (demo password).
 */
export async function openSignedIn(
  browser: Browser,
  options: { userDataDir: string; serverUrl: string; username: string },
): Promise<SignedInApp> {
  const [host, context] = await Promise.all([
    startHostProcess({ userDataDir: options.userDataDir, defaultServerUrl: options.serverUrl }),
    englishContext(browser),
  ]);
  const page = await context.newPage();
  await page.goto(host.url);
  await signIn(page, { username: options.username, password: demoPassword });
  return { host, page };
}
