/**
 * The core against the real demo server on loopback, with the real SQLCipher cache and the real
 * keychain (run under scripts/with-keyring.sh): signing in, syncing, searching, working offline,
 * secrets at rest, signing out, and the same in a worker thread built like dist/core/worker.js.
 */
import { randomUUID } from 'node:crypto';
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DirectoryPage, TokenResponse, directorySortKey } from '@flurfunk/protocol';
import type { DirectoryEntry, SyncStatus } from '@flurfunk/protocol';
import keytar from 'keytar';
import { KeytarVault, startCoreWorker } from '@flurfunk/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCoreWorker } from '../support/core-worker-build.js';
import { makePng } from '../support/file-support.js';
import type { DemoServer } from '../support/core-harness.js';
import {
  cacheFileNames,
  closedPortUrl,
  demoPassword,
  expectError,
  keychainOf,
  readAllFiles,
  removeTempDirs,
  signIn,
  startDemoServer,
  startTestCore,
  tempDir,
  testVaultService,
  wrapCore,
} from '../support/core-harness.js';

let server: DemoServer;
let worker: Awaited<ReturnType<typeof buildCoreWorker>>;

beforeAll(async () => {
  [server, worker] = await Promise.all([startDemoServer(), buildCoreWorker()]);
});

afterAll(async () => {
  await server?.stop();
  await worker?.remove();
  await removeTempDirs();
});

describe('signing in', () => {
  it('refuses a wrong password, an address that is not allowed and a server that is not there', async () => {
    const test = await startTestCore(await tempDir('core'));
    const login = (serverUrl: string, password = demoPassword) =>
      test.callRaw('login', { serverUrl, username: 'lena.weber', password });

    await expectError(login(server.url, 'wrong-password'), 'invalid_credentials');
    await expectError(login('http://flurfunk.example.com'), 'invalid_url');
    await expectError(login('not a url'), 'invalid_url');
    await expectError(login(await closedPortUrl()), 'unreachable');
    expect(await test.call('getSession')).toEqual({ status: 'signedOut', serverUrl: null });
    await test.core.close();
  });

  it('reports a rate limit with the time to wait after too many wrong passwords', async () => {
    const test = await startTestCore(await tempDir('core'));
    const attempt = () =>
      test.callRaw('login', { serverUrl: server.url, username: 'petra.koch', password: 'guess' });
    let result = await attempt();
    for (let tries = 0; tries < 15 && !(!result.ok && result.error.code === 'rate_limited'); tries++) {
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_credentials' } });
      result = await attempt();
    }
    const error = await expectError(Promise.resolve(result), 'rate_limited');
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    await test.core.close();
  });
});

describe('a signed-in user', () => {
  let dataDir: string;
  let everyone: DirectoryEntry[];

  beforeAll(async () => {
    dataDir = await tempDir('core');
    const test = await startTestCore(dataDir);
    await signIn(test, server.url);
    const first = await test.call('listPeople', { limit: 200 });
    const second = await test.call('listPeople', { offset: 200, limit: 200 });
    everyone = [...first.people, ...second.people];
    expect(test.events.map((entry) => entry.event)).toEqual(
      expect.arrayContaining(['sessionChanged', 'syncStatusChanged', 'dataChanged']),
    );
    await test.core.close();
  });

  it('has the whole demo directory, in the same order as the server lists it', async () => {
    expect(everyone.length).toBeGreaterThanOrEqual(250);
    const lena = everyone.find((entry) => entry.username === 'lena.weber');
    expect(lena).toMatchObject({ displayName: 'Lena Weber' });
    expect(lena?.orgUnitName).toBeTruthy();
    expect(lena?.locationName).toBeTruthy();
    for (let i = 1; i < everyone.length; i++) {
      const [a, b] = [directorySortKey(everyone[i - 1]!), directorySortKey(everyone[i]!)];
      expect(Buffer.compare(Buffer.from(a), Buffer.from(b)), `${a} before ${b}`).toBeLessThanOrEqual(0);
    }
    expect(everyone.map((entry) => entry.id)).toEqual(await serverDirectoryOrder());
  });

  it('finds colleagues by name, department and location, with or without umlauts', async () => {
    const test = await startTestCore(dataDir);
    const search = async (query: string) => (await test.call('listPeople', { query, limit: 200 })).people;

    const becker = await search('becker');
    expect(becker.map((entry) => entry.username)).toContain('jonas.becker');
    const unit = becker.find((entry) => entry.username === 'jonas.becker')!.orgUnitName!;
    expect((await search(`becker ${unit.split(' ')[0]}`)).map((entry) => entry.username)).toContain(
      'jonas.becker',
    );

    const withUmlaut = everyone.find((entry) => /[äöü]/i.test(entry.lastName));
    expect(withUmlaut, 'the demo company has a last name with an umlaut').toBeDefined();
    const name = withUmlaut!.lastName;
    const spelledOut = name
      .replace(/ä/g, 'ae')
      .replace(/ö/g, 'oe')
      .replace(/ü/g, 'ue')
      .replace(/Ä/g, 'Ae')
      .replace(/Ö/g, 'Oe')
      .replace(/Ü/g, 'Ue');
    const plain = name.normalize('NFD').replace(/\p{M}/gu, '');
    for (const query of [name, name.toUpperCase(), plain, spelledOut]) {
      expect(
        (await search(query)).map((entry) => entry.id),
        query,
      ).toContain(withUmlaut!.id);
    }
    expect(await test.call('getPerson', { id: withUmlaut!.id })).toMatchObject(withUmlaut!);
    await test.core.close();
  });

  it('keeps names, tokens and the cache key out of every file in the user-data dir', async () => {
    const keychain = keychainOf(dataDir, server.url);
    const key = await keychain.cacheKey();
    const refreshToken = await keychain.refreshToken();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(refreshToken).toBeTruthy();
    expect(await keychain.sessionPointer()).toContain(server.url);

    const needles = [
      key!,
      Buffer.from(key!, 'hex'),
      refreshToken!,
      // Every access token is a JWT whose header starts like this.
      'eyJhbGciOi',
      'lena.weber',
      ...everyone.map((entry) => entry.displayName),
    ];
    // Scanned while the core runs, so the write-ahead log is there too.
    const test = await startTestCore(dataDir);
    await test.call('syncNow');
    const files = await readAllFiles(dataDir);
    await test.core.close();
    expect(files.map((file) => file.path).some((path) => path.endsWith('.db'))).toBe(true);
    expect(files.find((file) => file.path.endsWith('.db-wal'))?.bytes.length).toBeGreaterThan(0);
    for (const { path } of files) expect(path.slice(dataDir.length)).not.toMatch(/lena|weber/i);
    for (const { path, bytes } of files) {
      for (const needle of needles) {
        expect(bytes.includes(needle), `${path} contains a secret or a name`).toBe(false);
      }
    }
  });

  it('comes back signed in without the server, reads and searches offline, and syncs again later', async () => {
    await server.stop();
    try {
      const test = await startTestCore(dataDir);
      expect(await test.call('getSession')).toMatchObject({
        status: 'signedIn',
        user: { username: 'lena.weber' },
      });
      const offline: SyncStatus = await test.call('syncNow');
      expect(offline).toMatchObject({ connection: 'offline', state: 'error', error: 'unreachable' });
      expect(offline.lastSyncedAt).not.toBeNull();
      expect((await test.call('listPeople', { limit: 1 })).total).toBe(everyone.length);
      expect((await test.call('listPeople', { query: 'weber lena' })).people[0]?.username).toBe('lena.weber');

      await server.start();
      expect(await test.call('syncNow')).toMatchObject({ connection: 'online', state: 'idle', error: null });
      expect(test.events).toContainEqual({
        event: 'syncStatusChanged',
        payload: expect.objectContaining({ connection: 'online', state: 'idle' }),
      });
      expect((await test.call('listPeople', { limit: 1 })).total).toBe(everyone.length);
      await test.core.close();
    } finally {
      await server.start().catch(() => undefined);
    }
  });
});

describe('signing out', () => {
  it('revokes the device and wipes the cache files and keychain entries', async () => {
    const dataDir = await tempDir('core');
    const test = await startTestCore(dataDir);
    await signIn(test, server.url);
    const keychain = keychainOf(dataDir, server.url);
    const refreshToken = await keychain.refreshToken();
    expect(await cacheFileNames(dataDir)).not.toEqual([]);

    expect(await test.call('logout')).toEqual({ status: 'signedOut', serverUrl: server.url });
    expect(await cacheFileNames(dataDir)).toEqual([]);
    expect(await keychain.cacheKey()).toBeNull();
    expect(await keychain.refreshToken()).toBeNull();
    await expectError(test.callRaw('listPeople', {}), 'not_signed_in');
    await expectError(test.callRaw('syncNow', {}), 'not_signed_in');
    expect(await test.call('getSyncStatus')).toEqual({
      connection: 'unknown',
      state: 'idle',
      lastSyncedAt: null,
      error: null,
    });

    expect((await refreshWith(refreshToken!)).status).toBe(401);

    await test.core.close();
    const restarted = await startTestCore(dataDir);
    expect(await restarted.call('getSession')).toEqual({ status: 'signedOut', serverUrl: server.url });
    await restarted.core.close();
  });

  it('forgets the secrets even when a cache file cannot be deleted, and tries again at the next start', async () => {
    const dataDir = await tempDir('core');
    const test = await startTestCore(dataDir);
    await signIn(test, server.url);
    const keychain = keychainOf(dataDir, server.url);
    const cacheDir = join(dataDir, 'cache');
    const [stem] = (await cacheFileNames(dataDir))[0]!.split('.');
    // A directory where a cache file would be: no plain delete removes it, not even as root.
    const blocker = `${stem}.unreadable-blocked.db`;
    await mkdir(join(cacheDir, blocker));
    const stderr = captureStderr();

    try {
      expect(await test.call('logout')).toEqual({ status: 'signedOut', serverUrl: server.url });
    } finally {
      stderr.restore();
    }
    expect(stderr.text()).toContain('deleting a cache');
    expect(await keychain.refreshToken()).toBeNull();
    expect(await keychain.cacheKey()).toBeNull();
    expect(JSON.parse((await keychain.sessionPointer())!)).toEqual({ serverUrl: server.url, username: null });
    expect(await keychain.cacheList()).not.toContain(stem);
    expect(await cacheFileNames(dataDir)).toEqual([blocker]);
    await test.core.close();

    const restartLog = captureStderr();
    let restarted;
    try {
      restarted = await startTestCore(dataDir);
    } finally {
      restartLog.restore();
    }
    expect(restartLog.text()).toContain('sweeping left-over cache files');
    expect(await restarted.call('getSession')).toEqual({ status: 'signedOut', serverUrl: server.url });
    await restarted.core.close();
  });

  it('signs out for good even when the keychain fails to delete the refresh token', async () => {
    const dataDir = await tempDir('core');
    const keychain = keychainOf(dataDir, server.url);
    const test = await startTestCore(dataDir, {
      vault: new VaultFailingToDelete(testVaultService, keychain.refreshTokenAccount),
    });
    await signIn(test, server.url);
    const stderr = captureStderr();

    try {
      expect(await test.call('logout')).toEqual({ status: 'signedOut', serverUrl: server.url });
    } finally {
      stderr.restore();
    }
    expect(stderr.text()).toContain('deleting a secret at sign-out');
    expect(test.events.slice(-2)).toEqual([
      { event: 'sessionChanged', payload: { status: 'signedOut', serverUrl: server.url } },
      { event: 'syncStatusChanged', payload: expect.objectContaining({ connection: 'unknown' }) },
    ]);
    expect(await keychain.refreshToken()).not.toBeNull();
    expect(await keychain.cacheKey()).toBeNull();
    expect(JSON.parse((await keychain.sessionPointer())!)).toEqual({ serverUrl: server.url, username: null });
    expect(await cacheFileNames(dataDir)).toEqual([]);
    await test.core.close();

    // The token left in the keychain does not sign the user back in.
    const restarted = await startTestCore(dataDir);
    expect(await restarted.call('getSession')).toEqual({ status: 'signedOut', serverUrl: server.url });
    await restarted.core.close();
    await keytar.deletePassword(testVaultService, keychain.refreshTokenAccount);
  });

  it('deletes cache files a sign-out left behind when the core starts again', async () => {
    const dataDir = await tempDir('core');
    const test = await startTestCore(dataDir);
    await signIn(test, server.url);
    await test.call('syncNow');
    // What a sign-out that could not delete the files leaves: the secrets are gone, the files not.
    const leftBehind = await tempDir('left-behind');
    await cp(join(dataDir, 'cache'), leftBehind, { recursive: true });
    await test.call('logout');
    await test.core.close();
    await cp(leftBehind, join(dataDir, 'cache'), { recursive: true });
    expect((await cacheFileNames(dataDir)).some((name) => name.endsWith('.db'))).toBe(true);

    const restarted = await startTestCore(dataDir);
    expect(await cacheFileNames(dataDir)).toEqual([]);
    expect(await restarted.call('getSession')).toEqual({ status: 'signedOut', serverUrl: server.url });
    await restarted.core.close();
  });

  it('signs the current user out properly before another user signs in', async () => {
    const dataDir = await tempDir('core');
    const test = await startTestCore(dataDir);
    await signIn(test, server.url);
    const lena = keychainOf(dataDir, server.url);
    const lenaToken = await lena.refreshToken();
    const lenaFiles = await cacheFileNames(dataDir);

    await signIn(test, server.url, 'jonas.becker');
    expect(await lena.refreshToken()).toBeNull();
    expect(await lena.cacheKey()).toBeNull();
    const files = await cacheFileNames(dataDir);
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((name) => lenaFiles.includes(name))).toEqual([]);
    expect((await refreshWith(lenaToken!)).status).toBe(401);
    expect(
      test.events.filter((entry) => entry.event === 'sessionChanged').map((entry) => entry.payload),
    ).toEqual([
      expect.objectContaining({
        status: 'signedIn',
        user: expect.objectContaining({ username: 'lena.weber' }),
      }),
      { status: 'signedOut', serverUrl: server.url },
      expect.objectContaining({
        status: 'signedIn',
        user: expect.objectContaining({ username: 'jonas.becker' }),
      }),
    ]);
    expect((await test.call('listPeople', { query: 'jonas becker' })).total).toBe(1);
    await test.call('logout');
    expect(await cacheFileNames(dataDir)).toEqual([]);
    await test.core.close();
  });

  it('still wipes everything local when the server cannot be reached', async () => {
    const dataDir = await tempDir('core');
    const test = await startTestCore(dataDir);
    await signIn(test, server.url, 'jonas.becker');
    await server.stop();
    try {
      expect(await test.call('logout')).toMatchObject({ status: 'signedOut' });
      expect(await cacheFileNames(dataDir)).toEqual([]);
      const keychain = keychainOf(dataDir, server.url, 'jonas.becker');
      expect(await keychain.cacheKey()).toBeNull();
      expect(await keytar.getPassword(testVaultService, keychain.refreshTokenAccount)).toBeNull();
    } finally {
      await server.start();
      await test.core.close();
    }
  });
});

describe('staying up to date', () => {
  it('pulls changes by itself and keeps search in step with them', async () => {
    const admin = await adminRequests();
    const dataDir = await tempDir('core');
    const test = await startTestCore(dataDir, { syncIntervalMs: 250 });
    await signIn(test, server.url);
    const search = async (query: string) =>
      (await test.call('listPeople', { query })).people.map((p) => p.displayName);
    const unitId = randomUUID();
    const personId = randomUUID();
    const changed = () => {
      const seen = test.events.filter((entry) => entry.event === 'dataChanged').length;
      return test.waitForEvent(
        'dataChanged',
        () => test.events.filter((e) => e.event === 'dataChanged').length > seen,
      );
    };

    let next = changed();
    await admin.put(`/api/v1/admin/org-units/${unitId}`, {
      name: 'Qualitätsprüfung Nord',
      parentId: null,
      managerId: null,
    });
    await admin.put(`/api/v1/admin/people/${personId}`, {
      username: 'bjoern.schaefer',
      firstName: 'Björn',
      lastName: 'Schäfer',
      displayName: 'Björn Schäfer',
      title: 'Prüftechniker',
      orgUnitId: unitId,
      locationId: null,
      managerId: null,
      email: 'bjoern.schaefer@example.com',
      phone: '+49 5241 555-987',
      room: 'Q1',
    });
    await next;
    await expect.poll(() => search('schaefer qualitaetspruef')).toEqual(['Björn Schäfer']);

    next = changed();
    await admin.put(`/api/v1/admin/org-units/${unitId}`, {
      name: 'Qualitätslabor',
      parentId: null,
      managerId: null,
    });
    await next;
    await expect.poll(() => search('qualitätslabor')).toEqual(['Björn Schäfer']);
    expect(await search('qualitätsprüfung nord')).toEqual([]);

    next = changed();
    await admin.delete(`/api/v1/admin/people/${personId}`);
    await next;
    await expect.poll(() => search('schäfer björn')).toEqual([]);
    expect(await test.call('getPerson', { id: personId })).toBeNull();
    await test.call('logout');
    await test.core.close();
  });
});

describe('the core in a worker thread', () => {
  it('serves the contract and its events across the thread boundary', async () => {
    const dataDir = await tempDir('worker');
    const test = wrapCore(
      await startCoreWorker(
        {
          dataDir,
          deviceName: 'Worker test',
          appVersion: '9.9.9',
          host: 'electron',
          defaultServerUrl: server.url,
          syncIntervalMs: 3_600_000,
        },
        worker.url,
      ),
      dataDir,
    );

    expect(await test.call('getAppInfo')).toEqual({
      version: '9.9.9',
      host: 'electron',
      defaultServerUrl: server.url,
    });
    await expectError(test.callRaw('getPerson', { id: 'not-a-uuid' }), 'invalid_args');
    await expectError(test.callRaw('dropTables', {}), 'unknown_method');
    await expectError(test.callRaw('getSession'.repeat(50), {}), 'unknown_method');
    await expectError(test.callRaw('listPeople', {}), 'not_signed_in');
    await expectError(
      test.callRaw('login', { serverUrl: server.url, username: 'lena.weber', password: 'nope' }),
      'invalid_credentials',
    );

    expect(
      await test.call('login', { serverUrl: server.url, username: 'lena.weber', password: demoPassword }),
    ).toMatchObject({
      status: 'signedIn',
      user: { displayName: 'Lena Weber' },
    });
    expect(await test.call('syncNow')).toMatchObject({ connection: 'online', state: 'idle' });
    const found = await test.call('listPeople', { query: 'lena weber' });
    expect(found.people.map((entry) => entry.username)).toEqual(['lena.weber']);
    await test.waitForEvent('dataChanged');
    expect(test.events).toContainEqual({
      event: 'sessionChanged',
      payload: expect.objectContaining({ status: 'signedIn' }),
    });

    // Files cross the thread boundary too: an upload, kept encrypted, and read back.
    const png = makePng(5, 4);
    const uploaded = await test.core.uploadMedia({ name: 'Skizze.png', mediaType: 'image/png', bytes: png });
    if (!uploaded.ok) throw new Error(JSON.stringify(uploaded.error));
    expect(uploaded.value).toMatchObject({ name: 'Skizze.png', width: 5, height: 4 });
    const read = await test.core.readMedia(uploaded.value.id);
    expect(read.ok && Buffer.from(read.value.bytes).equals(png)).toBe(true);
    expect(await test.core.readMedia('not-a-uuid')).toMatchObject({
      ok: false,
      error: { code: 'invalid_args' },
    });
    expect(await test.core.readMedia(randomUUID())).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect((await cacheFileNames(dataDir)).some((name) => name.endsWith('.files'))).toBe(true);

    // So do the branding route's files and an admin's uploads (Lena is no admin: refused).
    expect(await test.core.readAppearanceFile('/appearance.css')).toMatchObject({
      ok: true,
      value: { mediaType: 'text/css' },
    });
    expect(await test.core.readAppearanceFile(`/branding/${'0'.repeat(64)}`)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await test.core.uploadBrandAsset('logo', { mediaType: 'image/png', bytes: png })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });

    // The worker keeps its secrets in the OS keychain under the real service name.
    const keychain = keychainOf(dataDir, server.url, 'lena.weber', 'Flurfunk');
    expect(await keychain.cacheKey()).toMatch(/^[0-9a-f]{64}$/);
    await test.call('logout');
    expect(await keychain.refreshToken()).toBeNull();
    expect(await cacheFileNames(dataDir)).toEqual([]);

    await test.core.close();
    await expectError(test.callRaw('getAppInfo', {}), 'internal');
  });
});

async function adminRequests() {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: demoPassword, deviceName: 'admin in a test' }),
  });
  const { accessToken } = TokenResponse.parse(await login.json());
  const send = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${accessToken}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    expect(response.ok, `${method} ${path}: ${response.status}`).toBe(true);
  };
  return {
    put: (path: string, body: unknown) => send('PUT', path, body),
    delete: (path: string) => send('DELETE', path),
  };
}

function refreshWith(refreshToken: string): Promise<Response> {
  return fetch(`${server.url}/api/v1/auth/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
  });
}

/** The ids of the whole directory as the server lists it, page by page. */
async function serverDirectoryOrder(): Promise<string[]> {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'lena.weber', password: demoPassword, deviceName: 'order test' }),
  });
  const { accessToken } = TokenResponse.parse(await login.json());
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const response = await fetch(`${server.url}/api/v1/directory?limit=500${query}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const page = DirectoryPage.parse(await response.json());
    ids.push(...page.people.map((person) => person.id));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return ids;
}

/** The real keychain, except that deleting one entry fails (a locked or misbehaving keychain). */
class VaultFailingToDelete extends KeytarVault {
  constructor(
    service: string,
    private readonly failingAccount: string,
  ) {
    super(service);
  }

  override async delete(account: string): Promise<void> {
    if (account === this.failingAccount) throw new Error('the keychain refused to delete the entry');
    await super.delete(account);
  }
}

/** Collects what the core logs to stderr (one JSON line per error) instead of printing it. */
function captureStderr() {
  const write = process.stderr.write.bind(process.stderr);
  let text = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  return { text: () => text, restore: () => void (process.stderr.write = write) };
}
