/**
 * The core recovering from what goes wrong in real life, against the real demo server (access
 * tokens live two seconds here) and the real keychain: a cache whose key is gone, damaged or
 * replaced; a cache from a newer Flurfunk; access tokens expiring; a session the server revoked;
 * a server restored from scratch; the answer to a token refresh lost on the way.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SyncPage, TokenResponse } from '@flurfunk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheDatabase } from '../../../electron/core/cache/database.js';
import { latestVersion } from '../../../electron/core/cache/migrations.js';
import { ServerSession } from '../../../electron/core/session/server-session.js';
import { KeytarVault } from '../../../electron/core/vault/keytar-vault.js';
import type { DemoServer, TestCore } from '../support/core-harness.js';
import type { LossyProxy } from '../support/core-lossy-proxy.js';
import { startLossyProxy } from '../support/core-lossy-proxy.js';
import {
  cacheFileNames,
  demoPassword,
  expectError,
  keychainOf,
  noticesOf,
  readAllFiles,
  removeTempDirs,
  signIn,
  startDemoServer,
  startTestCore,
  tempDir,
  testVaultService,
  withStoppedCache,
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

async function cacheFile(dataDir: string): Promise<string> {
  const name = (await cacheFileNames(dataDir)).find((file) => file.endsWith('.db'));
  return join(dataDir, 'cache', name!);
}

/** Changes the cache of a core that is not running. */
const editCache = (dataDir: string, edit: (db: CacheDatabase) => void) =>
  withStoppedCache(dataDir, server.url, 'lena.weber', edit);

describe('a cache that cannot be opened', () => {
  it.each([
    ['keyMissing', 'its key is gone', (dataDir: string) => keychainOf(dataDir, server.url).deleteCacheKey()],
    [
      'wrongKey',
      'its key was replaced',
      (dataDir: string) => keychainOf(dataDir, server.url).setCacheKey(randomBytes(32).toString('hex')),
    ],
    [
      'corrupt',
      'a page is damaged',
      async (dataDir: string) => {
        const file = await cacheFile(dataDir);
        const bytes = await readFile(file);
        bytes.fill(0x5a, 8192, 12288);
        await writeFile(file, bytes);
      },
    ],
    [
      'corrupt',
      'its signed-in user is unreadable',
      (dataDir: string) =>
        editCache(dataDir, (db) =>
          db.prepare("UPDATE meta SET value = '{\"id\": 42' WHERE key = 'session.user'").run(),
        ),
    ],
  ] as const)(
    'is moved aside and rebuilt from the server after a notice (%s: %s)',
    async (reason, _how, breakCache) => {
      const dataDir = await tempDir('core');
      const first = await startTestCore(dataDir);
      await signIn(first, server.url);
      const synced = await peopleCount(first);
      await first.core.close();
      await breakCache(dataDir);

      // Raised while the core started, before anyone listened: the notice is still there.
      const test = await startTestCore(dataDir);
      expect(await noticesOf(test)).toEqual([{ code: 'cacheRebuilt', reason }]);
      expect(await test.call('getSession')).toMatchObject({
        status: 'signedIn',
        user: { username: 'lena.weber' },
      });
      expect(await test.call('syncNow')).toMatchObject({ connection: 'online', state: 'idle' });
      expect(await peopleCount(test)).toBe(synced);
      expect((await cacheFileNames(dataDir)).some((name) => name.includes('.unreadable-'))).toBe(true);

      const [notice] = await test.call('getNotices');
      expect(await test.call('dismissNotice', { id: notice!.id })).toEqual([]);
      expect(test.events).toContainEqual({ event: 'noticesChanged', payload: [] });

      // The rebuilt cache opens normally next time, without another notice.
      await test.core.close();
      const again = await startTestCore(dataDir);
      expect(await noticesOf(again)).toEqual([]);
      expect(await peopleCount(again)).toBe(synced);
      await again.call('logout');
      expect(await cacheFileNames(dataDir)).toEqual([]);
      await again.core.close();
    },
  );
});

describe('a cache whose signed-in user was written by another Flurfunk version', () => {
  it('is kept, and the server says who is signed in', async () => {
    const dataDir = await tempDir('core');
    const first = await startTestCore(dataDir);
    await signIn(first, server.url);
    const synced = await peopleCount(first);
    await first.core.close();
    await editCache(dataDir, (db) => {
      const stored = db.prepare("SELECT value FROM meta WHERE key = 'session.user'").pluck().get() as string;
      const fromLaterVersion = { ...JSON.parse(stored), displayName: 'Lena W.', pronouns: 'sie/ihr' };
      db.prepare("UPDATE meta SET value = ? WHERE key = 'session.user'").run(
        JSON.stringify(fromLaterVersion),
      );
    });

    const test = await startTestCore(dataDir);
    expect(await noticesOf(test)).toEqual([]);
    expect(await test.call('getSession')).toMatchObject({
      status: 'signedIn',
      user: { username: 'lena.weber', displayName: 'Lena Weber' },
    });
    expect((await cacheFileNames(dataDir)).some((name) => name.includes('.unreadable-'))).toBe(false);
    expect(await peopleCount(test)).toBe(synced);
    await test.call('logout');
    await test.core.close();
  });
});

describe('notices', () => {
  /** A signed-in core that has just told its user that their cache was rebuilt. */
  async function coreWithRebuiltCache(): Promise<{ test: TestCore; dataDir: string }> {
    const dataDir = await tempDir('core');
    const first = await startTestCore(dataDir);
    await signIn(first, server.url);
    await first.core.close();
    await keychainOf(dataDir, server.url).deleteCacheKey();
    const test = await startTestCore(dataDir);
    expect(await noticesOf(test)).toEqual([{ code: 'cacheRebuilt', reason: 'keyMissing' }]);
    return { test, dataDir };
  }

  it('are not shown to whoever uses the computer after the user signed out', async () => {
    const { test } = await coreWithRebuiltCache();
    await test.call('logout');
    expect(await noticesOf(test)).toEqual([]);
    expect(test.events).toContainEqual({ event: 'noticesChanged', payload: [] });

    await test.call('login', { serverUrl: server.url, username: 'jonas.becker', password: demoPassword });
    expect(await noticesOf(test)).toEqual([]);
    await test.call('logout');
    await test.core.close();
  });

  it('leave only the one saying so when the server signed the device out', async () => {
    const { test, dataDir } = await coreWithRebuiltCache();
    await test.call('syncNow');
    await reuseRefreshToken((await keychainOf(dataDir, server.url).refreshToken())!);
    await tokensExpired();

    expect(await test.call('syncNow')).toMatchObject({ state: 'error', error: 'device_revoked' });
    await test.waitForEvent(
      'sessionChanged',
      (payload) => (payload as { status: string }).status === 'signedOut',
    );
    expect(await noticesOf(test)).toEqual([{ code: 'deviceRevoked' }]);
    await test.core.close();
  });
});

/**
 * Presents the refresh token and then the one it got, as someone who stole it would: when the core
 * presents it too, the server sees a reused token and revokes the whole session.
 */
async function reuseRefreshToken(refreshToken: string): Promise<void> {
  const refresh = async (token: string) => {
    const response = await fetch(`${server.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: token }),
    });
    expect(response.status).toBe(200);
    return TokenResponse.parse(await response.json()).refreshToken;
  };
  await refresh(await refresh(refreshToken));
}

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

  it('wipes the cache and secrets with a notice when the server revoked the device after a token reuse', async () => {
    const dataDir = await tempDir('core');
    const test = await startTestCore(dataDir);
    await signIn(test, server.url);
    const synced = await peopleCount(test);
    const keychain = keychainOf(dataDir, server.url);

    await reuseRefreshToken((await keychain.refreshToken())!);
    await tokensExpired();

    expect(await test.call('syncNow')).toMatchObject({ state: 'error', error: 'device_revoked' });
    await test.waitForEvent(
      'sessionChanged',
      (payload) => (payload as { status: string }).status === 'signedOut',
    );
    expect(test.events).toContainEqual({
      event: 'noticesChanged',
      payload: [expect.objectContaining({ notice: { code: 'deviceRevoked' } })],
    });
    expect(await noticesOf(test)).toEqual([{ code: 'deviceRevoked' }]);
    expect(await test.call('getSession')).toEqual({ status: 'signedOut', serverUrl: server.url });
    expect(await keychain.refreshToken()).toBeNull();
    expect(await keychain.cacheKey()).toBeNull();
    expect(await cacheFileNames(dataDir)).toEqual([]);

    // Signing in again starts from an empty cache, synced anew, and the notice has done its job.
    await test.call('login', { serverUrl: server.url, username: 'lena.weber', password: demoPassword });
    await test.call('syncNow');
    expect(await peopleCount(test)).toBe(synced);
    expect(await noticesOf(test)).toEqual([]);
    expect(test.events).toContainEqual({ event: 'noticesChanged', payload: [] });
    await test.call('logout');
    await test.core.close();
  });
});

describe('a refresh whose answer is lost', () => {
  let proxy: LossyProxy;

  beforeAll(async () => {
    proxy = await startLossyProxy(server.url);
  });

  afterAll(async () => {
    await proxy.close();
  });

  /** A session of a demo user that reaches the server through the proxy and has no access token yet. */
  async function sessionBehindProxy(username: string) {
    const response = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: demoPassword, deviceName: 'lost answer test' }),
    });
    const { refreshToken } = TokenResponse.parse(await response.json());
    const vault = new KeytarVault(testVaultService);
    const account = `lost-answer-${randomBytes(4).toString('hex')}|refreshToken`;
    await vault.set(account, refreshToken);
    proxy.refreshes.length = 0;
    return { session: new ServerSession(proxy.url, vault, account), vault, account, refreshToken };
  }

  it('is asked for again with the same token, and the user stays signed in', async () => {
    const dataDir = await tempDir('core');
    const first = await startTestCore(dataDir);
    await signIn(first, proxy.url);
    await first.core.close();
    const keychain = keychainOf(dataDir, proxy.url);
    const stored = await keychain.refreshToken();

    // Started again, the core has no access token: its first pull begins with a refresh.
    proxy.refreshes.length = 0;
    proxy.loseRefreshAnswers = 1;
    const test = await startTestCore(dataDir);
    expect(await test.call('syncNow')).toMatchObject({ connection: 'online', state: 'idle', error: null });
    expect(proxy.refreshes).toEqual([
      { presented: stored, issued: expect.any(String), delivered: false },
      { presented: stored, issued: expect.any(String), delivered: true },
    ]);
    expect(await keychain.refreshToken()).toBe(proxy.refreshes[1]!.issued);
    expect(await test.call('getSession')).toMatchObject({ status: 'signedIn' });
    await test.call('logout');
    await test.core.close();
  });

  it('is given up after two more tries, leaving the session to the next sync', async () => {
    const { session, vault, account, refreshToken } = await sessionBehindProxy('petra.koch');
    proxy.loseRefreshAnswers = 3;
    await expect(session.renew()).rejects.toMatchObject({ code: 'unreachable' });
    expect(proxy.refreshes.map((seen) => [seen.presented, seen.delivered])).toEqual([
      [refreshToken, false],
      [refreshToken, false],
      [refreshToken, false],
    ]);
    expect(await vault.get(account)).toBe(refreshToken);

    // The server still takes the same token as a retry.
    expect(await session.renew()).toMatchObject({ username: 'petra.koch' });
    expect(await vault.get(account)).toBe(proxy.refreshes[3]!.issued);
    await session.logout();
    await vault.delete(account);
  });

  it('is not retried once the user signs out', async () => {
    const { session, vault, account } = await sessionBehindProxy('jonas.becker');
    proxy.loseRefreshAnswers = Number.POSITIVE_INFINITY;
    try {
      const pull = session.get('/api/v1/sync?after=0&limit=1', SyncPage, 'sync page');
      await expect.poll(() => proxy.refreshes.length).toBe(1);
      await session.logout();
      await expect(pull).rejects.toMatchObject({ code: 'unreachable' });
      // Retried, the refresh would have been presented twice more before the sign-out finished.
      expect(proxy.refreshes).toHaveLength(1);
    } finally {
      proxy.loseRefreshAnswers = 0;
      await vault.delete(account);
    }
  });
});

describe('a cache written by a newer Flurfunk', () => {
  it('is left exactly as it is: signed out with a notice, and signing in is refused', async () => {
    const dataDir = await tempDir('core');
    const first = await startTestCore(dataDir);
    await signIn(first, server.url);
    await first.core.close();
    await editCache(dataDir, (db) => db.pragma(`user_version = ${latestVersion + 1}`));
    const keychain = keychainOf(dataDir, server.url);
    const secretsBefore = [await keychain.cacheKey(), await keychain.refreshToken()];
    const filesBefore = await cacheFilesWithoutJournals(dataDir);

    const test = await startTestCore(dataDir);
    expect(await test.call('getSession')).toEqual({ status: 'signedOut', serverUrl: server.url });
    expect(await noticesOf(test)).toEqual([{ code: 'cacheFromNewerVersion' }]);
    await expectError(
      test.callRaw('login', { serverUrl: server.url, username: 'lena.weber', password: demoPassword }),
      'cache_newer_version',
    );
    expect(await test.call('getSession')).toEqual({ status: 'signedOut', serverUrl: server.url });
    await test.core.close();

    expect(await cacheFilesWithoutJournals(dataDir)).toEqual(filesBefore);
    expect([await keychain.cacheKey(), await keychain.refreshToken()]).toEqual(secretsBefore);
  });

  /** Names and bytes of the cache files; empty journals SQLite may add next to the file do not count. */
  async function cacheFilesWithoutJournals(dataDir: string) {
    const files = await readAllFiles(join(dataDir, 'cache'));
    return files
      .filter(
        (file) =>
          !file.path.endsWith('.db-shm') && !(file.path.endsWith('.db-wal') && file.bytes.length === 0),
      )
      .map((file) => ({ path: file.path, bytes: file.bytes.toString('hex') }))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
  }
});

describe('a server restored from scratch', () => {
  it('is synced again from the start, without a trace of the old change log', async () => {
    const dataDir = await tempDir('core');
    const test = await startTestCore(dataDir);
    await signIn(test, server.url);
    const synced = await peopleCount(test);
    const onlyBeforeTheRestore = await addPerson(server.url, 'Vera', 'Vorher');
    expect((await test.call('syncNow')).error).toBeNull();
    expect(await peopleCount(test)).toBe(synced + 1);

    // The restored log has grown past the cache's cursor: without its epoch, the cache would take
    // the restored log's later changes as the next ones, miss the earlier, and keep Vera.
    await server.replaceWithFreshServer();
    const onlyAfter = [
      await addPerson(server.url, 'Nina', 'Neu'),
      await addPerson(server.url, 'Nils', 'Neumann'),
    ];

    // The restored server knows neither the tokens nor the session: the user signs in again and
    // keeps the cache (the same person), whose position means nothing in the new change log.
    // The live socket (reconnecting to the new server) or the next pull finds out, whichever
    // comes first: either way the user is signed out with a notice, and the cache stays.
    void test.callRaw('syncNow', {});
    await test.waitForEvent(
      'sessionChanged',
      (payload) => (payload as { status: string }).status === 'signedOut',
    );
    expect(await noticesOf(test)).toEqual([{ code: 'sessionExpired' }]);
    await test.call('login', { serverUrl: server.url, username: 'lena.weber', password: demoPassword });
    expect(await test.call('syncNow')).toMatchObject({ connection: 'online', state: 'idle', error: null });

    expect(await peopleCount(test)).toBe(synced + 2);
    expect(await test.call('getPerson', { id: onlyBeforeTheRestore })).toBeNull();
    for (const id of onlyAfter) expect(await test.call('getPerson', { id })).not.toBeNull();
    expect((await test.call('listPeople', { query: 'lena weber' })).people).toHaveLength(1);
    await test.call('logout');
    await test.core.close();
  });

  async function addPerson(serverUrl: string, firstName: string, lastName: string): Promise<string> {
    const login = await fetch(`${serverUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: demoPassword, deviceName: 'admin in a test' }),
    });
    const { accessToken } = TokenResponse.parse(await login.json());
    const id = randomUUID();
    const response = await fetch(`${serverUrl}/api/v1/admin/people/${id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        username: `${firstName}.${lastName}`.toLowerCase(),
        firstName,
        lastName,
        displayName: `${firstName} ${lastName}`,
        title: 'Testperson',
        orgUnitId: null,
        locationId: null,
        managerId: null,
        email: `${firstName}.${lastName}@example.com`.toLowerCase(),
        phone: '+49 5241 555-000',
        room: 'T1',
      }),
    });
    expect(response.ok).toBe(true);
    return id;
  }
});
