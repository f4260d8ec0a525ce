/**
 * The core recovering from what goes wrong in real life, against the real demo server (access
 * tokens live two seconds here) and the real keychain: a cache whose key is gone, damaged or
 * replaced; access tokens expiring; a session the server revoked.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SyncPage, TokenResponse } from '@flurfunk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerSession } from '../../../electron/core/session/server-session.js';
import { KeytarVault } from '../../../electron/core/vault/keytar-vault.js';
import type { DemoServer, TestCore } from '../support/core-harness.js';
import {
  cacheFileNames,
  demoPassword,
  keychainOf,
  removeTempDirs,
  signIn,
  startDemoServer,
  startTestCore,
  tempDir,
  testVaultService,
} from '../support/core-harness.js';

const accessTokenTtlSeconds = 2;
let server: DemoServer;

beforeAll(async () => {
  server = await startDemoServer({ accessTokenTtlSeconds });
});

afterAll(async () => {
  await server.stop();
  await removeTempDirs();
});

const tokensExpired = () => new Promise((resolve) => setTimeout(resolve, accessTokenTtlSeconds * 1000 + 200));

async function peopleCount(test: TestCore): Promise<number> {
  return (await test.call('listPeople', { limit: 1 })).total;
}

describe('a cache that cannot be opened', () => {
  async function cacheFile(dataDir: string): Promise<string> {
    const name = (await cacheFileNames(dataDir)).find((file) => file.endsWith('.db'));
    return join(dataDir, 'cache', name!);
  }

  it.each([
    ['keyMissing', (dataDir: string) => keychainOf(dataDir, server.url).deleteCacheKey()],
    [
      'wrongKey',
      (dataDir: string) => keychainOf(dataDir, server.url).setCacheKey(randomBytes(32).toString('hex')),
    ],
    [
      'corrupt',
      async (dataDir: string) => {
        const file = await cacheFile(dataDir);
        const bytes = await readFile(file);
        bytes.fill(0x5a, 8192, 12288);
        await writeFile(file, bytes);
      },
    ],
  ] as const)(
    'is moved aside and rebuilt from the server after a notice (%s)',
    async (reason, breakCache) => {
      const dataDir = await tempDir('core');
      const first = await startTestCore(dataDir);
      await signIn(first, server.url);
      const synced = await peopleCount(first);
      await first.core.close();
      await breakCache(dataDir);

      const test = await startTestCore(dataDir);
      expect(test.events).toContainEqual({ event: 'notice', payload: { code: 'cacheRebuilt', reason } });
      expect(await test.call('getSession')).toMatchObject({
        status: 'signedIn',
        user: { username: 'lena.weber' },
      });
      expect(await test.call('syncNow')).toMatchObject({ connection: 'online', state: 'idle' });
      expect(await peopleCount(test)).toBe(synced);
      expect((await cacheFileNames(dataDir)).some((name) => name.includes('.unreadable-'))).toBe(true);

      // The rebuilt cache opens normally next time, without another notice.
      await test.core.close();
      const again = await startTestCore(dataDir);
      expect(again.events).toEqual([]);
      expect(await peopleCount(again)).toBe(synced);
      await again.call('logout');
      expect(await cacheFileNames(dataDir)).toEqual([]);
      await again.core.close();
    },
  );
});

describe('tokens', () => {
  it('renews an expired access token transparently and rotates the refresh token in the keychain', async () => {
    const dataDir = await tempDir('core');
    const test = await startTestCore(dataDir);
    await signIn(test, server.url);
    const keychain = keychainOf(dataDir, server.url);
    const before = await keychain.refreshToken();

    await tokensExpired();
    expect(await test.call('syncNow')).toMatchObject({ connection: 'online', state: 'idle', error: null });
    const after = await keychain.refreshToken();
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    expect(await test.call('getSession')).toMatchObject({ status: 'signedIn' });
    await test.core.close();
  });

  it('shares one refresh between concurrent requests (a second would be refused as reuse)', async () => {
    const response = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: 'jonas.becker',
        password: demoPassword,
        deviceName: 'single-flight test',
      }),
    });
    const tokens = TokenResponse.parse(await response.json());
    const vault = new KeytarVault(testVaultService);
    const account = `single-flight-${randomBytes(4).toString('hex')}|refreshToken`;
    await vault.set(account, tokens.refreshToken);
    const session = new ServerSession(server.url, vault, account, tokens);

    await tokensExpired();
    const pages = await Promise.all(
      Array.from({ length: 5 }, () => session.get('/api/v1/sync?after=0&limit=1', SyncPage, 'sync page')),
    );
    expect(pages).toHaveLength(5);
    expect(await vault.get(account)).not.toBe(tokens.refreshToken);
    await session.logout();
    await vault.delete(account);
  });

  it('signs out with a notice when the server revoked the session, keeping the cache for the next sign-in', async () => {
    const dataDir = await tempDir('core');
    const test = await startTestCore(dataDir);
    await signIn(test, server.url);
    const synced = await peopleCount(test);
    const keychain = keychainOf(dataDir, server.url);

    // Someone else presents the refresh token first: when the core presents it too, the server
    // sees a reused token and revokes the whole session.
    const stolen = await fetch(`${server.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: await keychain.refreshToken() }),
    });
    expect(stolen.status).toBe(200);
    await tokensExpired();

    expect(await test.call('syncNow')).toMatchObject({ state: 'error', error: 'session_expired' });
    await test.waitForEvent(
      'sessionChanged',
      (payload) => (payload as { status: string }).status === 'signedOut',
    );
    expect(test.events).toContainEqual({ event: 'notice', payload: { code: 'sessionExpired' } });
    expect(await test.call('getSession')).toEqual({ status: 'signedOut', serverUrl: server.url });
    expect(await keychain.refreshToken()).toBeNull();
    expect(await keychain.cacheKey()).toMatch(/^[0-9a-f]{64}$/);

    await test.call('login', { serverUrl: server.url, username: 'lena.weber', password: demoPassword });
    expect(await peopleCount(test)).toBe(synced);
    expect(test.events.filter((entry) => entry.event === 'notice')).toHaveLength(1);
    await test.call('logout');
    await test.core.close();
  });
});
