/**
 * A real client core in this process, driven through its contract as the renderer drives it, with
 * secrets in memory (no keychain needed) and only the pulls the benchmark asks for.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { DataChanged, MethodArgs, MethodName, MethodResult } from '@flurfunk/protocol';
import { type Core, MemoryVault, createCore } from '@flurfunk/core';
import { type CacheDatabase, openCacheDatabase } from '../../electron/core/cache/database.js';
import { normalizeServerUrl } from '../../electron/core/session/server-url.js';
import { cacheKeyAccount, profileId } from '../../electron/core/vault/accounts.js';
import type { Resources } from './resources.js';

export const demoPassword = 'flurfunk-demo';

export interface BenchCore {
  core: Core;
  dataDir: string;
  vault: MemoryVault;
  call<M extends MethodName>(method: M, args?: MethodArgs<M>): Promise<MethodResult<M>>;
  /** Calls `listener` with each `dataChanged` event until the core closes. */
  onDataChanged(listener: (event: DataChanged) => void): void;
  close(): Promise<void>;
}

/**
 * Starts a core on `dataDir`; a `vault` of an earlier core on the same dir restores its session.
 * The periodic pull is off: pulls happen on sign-in, on live notices and when asked.
 */
export async function openBenchCore(
  resources: Resources,
  dataDir: string,
  vault = new MemoryVault(),
): Promise<BenchCore> {
  const core = await createCore({
    dataDir,
    deviceName: 'Benchmark',
    appVersion: '0.0.0-bench',
    host: 'browser',
    defaultServerUrl: null,
    vault,
    syncIntervalMs: 3_600_000,
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await core.close();
  };
  resources.hold('a client core', core, close);
  return {
    core,
    dataDir,
    vault,
    async call(method, args) {
      const result = await core.invoke(method, args ?? {});
      if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
      return result.value as never;
    },
    onDataChanged(listener) {
      core.onEvent((event, payload) => {
        if (event === 'dataChanged') listener(payload as DataChanged);
      });
    },
    close,
  };
}

/** Signs in with the demo password and pulls until the cache holds everything (the first full sync). */
export async function signInAndSync(client: BenchCore, serverUrl: string, username: string): Promise<void> {
  await client.call('login', { serverUrl, username, password: demoPassword });
  await syncUntilIdle(client);
}

export async function syncUntilIdle(client: BenchCore): Promise<void> {
  const status = await client.call('syncNow');
  if (status.state !== 'idle' || status.error !== null) {
    throw new Error(`the sync ended ${status.state} (${status.error ?? 'no error'})`);
  }
}

export interface MessageArrivals {
  /** When a `dataChanged` event first named message `id`; rejects after `timeoutMs`. */
  waitFor(id: string, timeoutMs: number): Promise<number>;
}

/** Watches a core's `dataChanged` events for message ids, noting when each was first named. */
export function messageArrivals(client: BenchCore, clock: () => number): MessageArrivals {
  const arrivals = new Map<string, number>();
  const waiters = new Map<string, (at: number) => void>();
  client.onDataChanged((event) => {
    const at = clock();
    for (const change of event.changes) {
      if (change.entity !== 'message' || change.ids === null) continue;
      for (const id of change.ids) {
        if (arrivals.has(id)) continue;
        arrivals.set(id, at);
        waiters.get(id)?.(at);
      }
    }
  });
  return {
    waitFor: (id, timeoutMs) => {
      const known = arrivals.get(id);
      if (known !== undefined) return Promise.resolve(known);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(id);
          reject(new Error(`message ${id} did not arrive within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.set(id, (at) => {
          clearTimeout(timer);
          waiters.delete(id);
          resolve(at);
        });
      });
    },
  };
}

/**
 * Opens a closed core's cache file directly with the key from its vault: for checking what a sync
 * stored, and for copying the cache's state. Only while no core has the cache open.
 */
export async function openClosedCache(
  client: BenchCore,
  serverUrl: string,
  username: string,
  file?: string,
): Promise<CacheDatabase> {
  const account = { serverUrl: normalizeServerUrl(serverUrl), username };
  const key = await client.vault.get(cacheKeyAccount(profileId(client.dataDir), account));
  if (key === null) throw new Error(`the vault holds no cache key for ${username}`);
  return openCacheDatabase(file ?? (await cacheFileOf(client.dataDir)), key);
}

/** The one user cache database in a core's data dir. */
export async function cacheFileOf(dataDir: string): Promise<string> {
  const directory = path.join(dataDir, 'cache');
  const databases = (await readdir(directory)).filter((name) => /^[0-9a-f]{32}\.db$/.test(name));
  if (databases.length !== 1)
    throw new Error(`expected one cache in ${directory}, found ${databases.length}`);
  return path.join(directory, databases[0] ?? '');
}
