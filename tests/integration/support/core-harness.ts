/**
 * Helpers for the core's integration tests: the real demo server on loopback, a core in this
 * process on a fresh user-data dir with the real keychain, and a record of the core's events.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName, IpcResult, MethodName, MethodResult, Notice } from '@flurfunk/protocol';
import { createCore, KeytarVault } from '@flurfunk/core';
import type { Core, CoreOptions } from '@flurfunk/core';
import { startServer } from '@flurfunk/server';
import type { RunningServer, ServerOptions } from '@flurfunk/server';
import keytar from 'keytar';
import { expect } from 'vitest';
import { type CacheDatabase, openCacheDatabase } from '../../../electron/core/cache/database.js';
import { newPgliteDataDir } from './pglite-data-dir.js';
import {
  cacheKeyAccount,
  cacheListAccount,
  profileId,
  refreshTokenAccount,
  sessionPointerAccount,
} from '../../../electron/core/vault/accounts.js';

/** Keychain service of in-process test cores: a developer's real Flurfunk entries stay untouched. */
export const testVaultService = 'Flurfunk-test';
export const demoPassword = 'flurfunk-demo';

const tempDirs: string[] = [];

export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `flurfunk-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** A new server database directory, removed with the other temporary directories. */
async function serverDataDir(): Promise<string> {
  const dir = await newPgliteDataDir('flurfunk-server-');
  tempDirs.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  // A server's files live next to its data directory (`<dir>-files`).
  await Promise.all(
    tempDirs
      .splice(0)
      .flatMap((dir) => [dir, `${dir}-files`])
      .map((dir) => rm(dir, { recursive: true, force: true })),
  );
}

/** A demo server that can be stopped and started again on the same port and data. */
export class DemoServer {
  private running: RunningServer | null = null;
  private port = 0;

  constructor(
    private dataDir: string,
    private readonly options: Omit<ServerOptions, 'dataDir' | 'port'> = {},
  ) {}

  get url(): string {
    if (this.port === 0) throw new Error('the server has not been started');
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.running = await startServer({
      demo: true,
      logLevel: 'silent',
      ...this.options,
      dataDir: this.dataDir,
      port: this.port,
    });
    this.port = Number(new URL(this.running.url).port);
  }

  async stop(): Promise<void> {
    await this.running?.close();
    this.running = null;
  }

  /** The server restored from scratch: same address, a new database and so a new change log. */
  async replaceWithFreshServer(): Promise<void> {
    await this.stop();
    this.dataDir = await serverDataDir();
    await this.start();
  }
}

export async function startDemoServer(
  options: Omit<ServerOptions, 'dataDir' | 'port'> = {},
): Promise<DemoServer> {
  const server = new DemoServer(await serverDataDir(), options);
  await server.start();
  return server;
}

/** A loopback address where nothing listens. */
export async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

export interface TestCore {
  core: Core;
  dataDir: string;
  events: Array<{ event: EventName; payload: unknown }>;
  call<M extends MethodName>(method: M, args?: unknown): Promise<MethodResult<M>>;
  callRaw(method: string, args?: unknown): Promise<IpcResult<unknown>>;
  waitForEvent(event: EventName, matches?: (payload: unknown) => boolean): Promise<unknown>;
}

export async function startTestCore(dataDir: string, options: Partial<CoreOptions> = {}): Promise<TestCore> {
  const core = await createCore({
    dataDir,
    deviceName: 'Integration test',
    appVersion: '0.0.0-test',
    host: 'browser',
    defaultServerUrl: null,
    vault: new KeytarVault(testVaultService),
    // Tests pull with syncNow; the periodic pull must not race them.
    syncIntervalMs: 3_600_000,
    ...options,
  });
  return wrapCore(core, dataDir);
}

export function wrapCore(core: Core, dataDir: string): TestCore {
  const events: TestCore['events'] = [];
  const waiters: Array<() => void> = [];
  core.onEvent((event, payload) => {
    events.push({ event, payload });
    for (const wake of waiters.splice(0)) wake();
  });
  const callRaw = (method: string, args: unknown = {}) => core.invoke(method, args);
  return {
    core,
    dataDir,
    events,
    callRaw,
    async call(method, args) {
      const result = await callRaw(method, args);
      if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
      return result.value as never;
    },
    async waitForEvent(event, matches = () => true) {
      for (;;) {
        const found = events.find((entry) => entry.event === event && matches(entry.payload));
        if (found) return found.payload;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

/**
 * The cores one test file starts, each in a fresh data dir unless given one, all closed by
 * `closeAll` (in `afterAll`).
 */
export function testCores() {
  const cores: TestCore[] = [];
  return {
    async start(dataDir?: string, options: Partial<CoreOptions> = {}): Promise<TestCore> {
      const test = await startTestCore(dataDir ?? (await tempDir('core')), options);
      cores.push(test);
      return test;
    },
    /** A core signed in as a demo user, after its first full pull. */
    async signedIn(serverUrl: string, username: string, dataDir?: string): Promise<TestCore> {
      const test = await this.start(dataDir);
      await signIn(test, serverUrl, username);
      return test;
    },
    async closeAll(): Promise<void> {
      await Promise.all(cores.splice(0).map((test) => test.core.close()));
    },
  };
}

export async function expectError(
  result: Promise<IpcResult<unknown>>,
  code: string,
): Promise<Record<string, unknown>> {
  const settled = await result;
  expect(settled).toMatchObject({ ok: false, error: { code } });
  return (settled as { error: Record<string, unknown> }).error;
}

/** Signs in as a demo user and waits for the first full pull. */
export async function signIn(test: TestCore, serverUrl: string, username = 'lena.weber'): Promise<void> {
  const session = await test.call('login', { serverUrl, username, password: demoPassword });
  expect(session).toMatchObject({ status: 'signedIn', user: { username } });
  expect(await test.call('syncNow')).toMatchObject({ connection: 'online', state: 'idle', error: null });
}

/** The keychain entries of a user of a core's profile, read with keytar directly. */
export function keychainOf(
  dataDir: string,
  serverUrl: string,
  username = 'lena.weber',
  service = testVaultService,
) {
  const profile = profileId(dataDir);
  const account = { serverUrl, username };
  return {
    cacheKeyAccount: cacheKeyAccount(profile, account),
    refreshTokenAccount: refreshTokenAccount(profile, account),
    sessionPointerAccount: sessionPointerAccount(profile),
    cacheKey: () => keytar.getPassword(service, cacheKeyAccount(profile, account)),
    refreshToken: () => keytar.getPassword(service, refreshTokenAccount(profile, account)),
    sessionPointer: () => keytar.getPassword(service, sessionPointerAccount(profile)),
    cacheList: () => keytar.getPassword(service, cacheListAccount(profile)),
    setCacheKey: (key: string) => keytar.setPassword(service, cacheKeyAccount(profile, account), key),
    deleteCacheKey: () => keytar.deletePassword(service, cacheKeyAccount(profile, account)),
  };
}

/** The notices the core shows now. */
export async function noticesOf(test: TestCore): Promise<Notice[]> {
  return (await test.call('getNotices')).map((active) => active.notice);
}

/** Every file below `dir`, with its bytes. */
export async function readAllFiles(dir: string): Promise<Array<{ path: string; bytes: Buffer }>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  return Promise.all(files.map(async (path) => ({ path, bytes: await readFile(path) })));
}

export async function cacheFileNames(dataDir: string): Promise<string[]> {
  return (await readdir(join(dataDir, 'cache')).catch(() => [] as string[])).sort();
}

/** Opens the cache of a core that is not running, with its key from the keychain, to read or change it. */
export async function withStoppedCache<T>(
  dataDir: string,
  serverUrl: string,
  username: string,
  use: (db: CacheDatabase) => T,
): Promise<T> {
  const name = (await cacheFileNames(dataDir)).find((file) => file.endsWith('.db'));
  const key = await keychainOf(dataDir, serverUrl, username).cacheKey();
  if (!name || !key) throw new Error(`no cache of ${username} in ${dataDir}`);
  const db = openCacheDatabase(join(dataDir, 'cache', name), key);
  try {
    return use(db);
  } finally {
    db.close();
  }
}
