// What stays behind on the machine and in the page: no secrets in the renderer, nothing readable
// on disk, and a cache that can no longer be opened is rebuilt with a notice instead of a crash.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { methodNames } from '@flurfunk/protocol';
import keytar from 'keytar';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vaultService } from '../../electron/core/vault/vault.js';
import { rendererCsp } from '../../electron/shared/renderer-policy.js';
import {
  demoPassword,
  expectNoSeriousA11yViolations,
  navLink,
  people,
  personNamed,
  search,
  signIn,
  textOf,
  visible,
} from './support/app.js';
import { englishContext, launchChromium } from './support/browser.js';
import { assertBuilt } from './support/dist.js';
import { encodingsOf, filesBelow, findInFiles } from './support/files.js';
import { keychainSecrets } from './support/keychain.js';
import { startDemoServer, startHostProcess, type DemoServer, type HostProcess } from './support/processes.js';

const jwt = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]+/;

let tempDir: string;
let userDataDir: string;
let server: DemoServer;
let host: HostProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;

/** Lena's keychain entries for this test's server: the cache key and the refresh token. */
async function lenasSecrets(): Promise<{ account: string; password: string }[]> {
  return (await keychainSecrets()).filter(({ account }) => account.startsWith(`${server.url}|lena.weber|`));
}

/** Quits the app, does something to its data meanwhile, and starts it again on the same data. */
async function restartApp(whileStopped: () => Promise<void>): Promise<void> {
  await context.close();
  await host.stop();
  await whileStopped();
  host = await startHostProcess({ userDataDir, defaultServerUrl: server.url });
  context = await englishContext(browser);
  page = await context.newPage();
  await page.goto(host.url);
}

async function cacheDatabaseFiles(): Promise<string[]> {
  const files = await filesBelow(path.join(userDataDir, 'cache'));
  return files.filter((file) => !/-(wal|shm|journal)$/.test(file));
}

async function expectDirectoryBack(): Promise<void> {
  await navLink(page, 'Directory').click();
  await search(page, 'jonas');
  await visible(personNamed(page, 'Jonas Becker'), 30_000);
}

beforeAll(async () => {
  assertBuilt();
  tempDir = await mkdtemp(path.join(os.tmpdir(), 'flurfunk-e2e-at-rest-'));
  userDataDir = path.join(tempDir, 'client');
  server = await startDemoServer(path.join(tempDir, 'server'));
  [host, browser] = await Promise.all([
    startHostProcess({ userDataDir, defaultServerUrl: server.url }),
    launchChromium(),
  ]);
  context = await englishContext(browser);
  page = await context.newPage();
  await page.goto(host.url);
  await signIn(page, { username: 'lena.weber', password: demoPassword });
  await navLink(page, 'Directory').click();
  await visible(people(page));
  await visible(page.getByRole('status').filter({ hasText: 'Online' }));
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await server?.stop();
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
});

describe('secrets stay out of the page', () => {
  it('exposes no contract object on window; the bridge serves only contract methods', async () => {
    expect(await page.evaluate(() => 'flurfunk' in window)).toBe(false);
    const globalsWithContract = await page.evaluate((names) => {
      return Object.getOwnPropertyNames(window).filter((key) => {
        const value = (window as unknown as Record<string, unknown>)[key];
        return (
          typeof value === 'object' &&
          value !== null &&
          names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function')
        );
      });
    }, methodNames);
    expect(globalsWithContract).toEqual([]);
  });

  it('has no access or refresh token in the DOM or web storage', async () => {
    await search(page, 'jonas');
    await visible(personNamed(page, 'Jonas Becker'));
    await expectNoSeriousA11yViolations(page);
    const secrets = await lenasSecrets();
    expect(secrets.map(({ account }) => account.split('|').at(-1)).sort()).toEqual([
      'cacheKey',
      'refreshToken',
    ]);
    const pageText = await page.evaluate(() =>
      [
        document.documentElement.outerHTML,
        JSON.stringify({ ...window.localStorage }),
        JSON.stringify({ ...window.sessionStorage }),
      ].join('\n'),
    );
    expect(pageText).toContain('Jonas Becker');
    expect(pageText).not.toMatch(jwt);
    for (const { account, password } of secrets) {
      expect(pageText.includes(password), `${account} is in the page`).toBe(false);
    }
  });
});

describe('the bridge stays closed to other sites', () => {
  it('refuses a page from another origin even when it knows the token', async () => {
    const token = new URL(host.url).searchParams.get('token');
    const bridge = `${host.origin.replace('http:', 'ws:')}/bridge?token=${token}`;
    const foreign = await context.newPage();
    await foreign.goto(`${server.url}/api/v1/health`);
    const outcome = await foreign.evaluate(
      (address) =>
        new Promise<string>((resolve) => {
          const socket = new WebSocket(address);
          socket.onopen = () => resolve('open');
          socket.onclose = () => resolve('refused');
        }),
      bridge,
    );
    await foreign.close();
    expect(outcome).toBe('refused');
  });
});

describe("the page runs under the app's one content security policy", () => {
  it('gets it as a header, and as a meta tag in the built index.html minus frame-ancestors', async () => {
    const { header, meta } = await page.evaluate(async () => {
      const response = await fetch('/', { cache: 'no-store' });
      const tag = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
      return { header: response.headers.get('Content-Security-Policy'), meta: tag?.getAttribute('content') };
    });
    expect(header).toBe(rendererCsp());
    expect(meta).toBe(
      rendererCsp()
        .split('; ')
        .filter((directive) => !directive.startsWith('frame-ancestors'))
        .join('; '),
    );
  });
});

describe('data at rest', () => {
  it('keeps no name, token or key in clear under the user-data dir', async () => {
    const patterns = new Map<string, Buffer[]>([
      ['"Lena Weber"', encodingsOf('Lena Weber')],
      ['"Jonas Becker"', encodingsOf('Jonas Becker')],
      ['"lena.weber"', encodingsOf('lena.weber')],
    ]);
    for (const { account, password } of await lenasSecrets()) patterns.set(account, encodingsOf(password));
    expect(await cacheDatabaseFiles()).not.toEqual([]);
    expect(await findInFiles(userDataDir, patterns)).toEqual([]);
    const filesWithJwt = [];
    for (const file of await filesBelow(userDataDir)) {
      if (jwt.test((await readFile(file)).toString('latin1'))) filesWithJwt.push(file);
    }
    expect(filesWithJwt).toEqual([]);
  });

  it('rebuilds a corrupt cache from the server and says so', async () => {
    await restartApp(async () => {
      for (const file of await cacheDatabaseFiles())
        await writeFile(file, randomBytes((await stat(file)).size));
    });
    // Random bytes fail SQLCipher's page check just like a wrong key would; either story is true.
    const rebuilt =
      /^Your local data (was damaged|could not be unlocked), so Flurfunk set it aside and is reloading it from the server\.$/;
    // Raised while the core opened the cache, before this page existed: the core kept it.
    expect(await textOf(page.getByRole('alert'))).toMatch(rebuilt);
    await page.reload();
    expect(await textOf(page.getByRole('alert'))).toMatch(rebuilt);
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    await page.reload();
    await expectDirectoryBack();
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('starts a fresh cache when its key is gone from the keychain, and says so', async () => {
    const cacheKey = (await lenasSecrets()).find(({ account }) => account.endsWith('|cacheKey'));
    expect(cacheKey).toBeDefined();
    await restartApp(() =>
      keytar.deletePassword(vaultService, cacheKey?.account ?? '').then(() => undefined),
    );
    expect(await textOf(page.getByRole('alert'))).toMatch(/^The key for your local data was missing/);
    await expectDirectoryBack();
  });
});
