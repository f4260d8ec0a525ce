import { randomBytes } from 'node:crypto';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CacheOpenError } from '../../../electron/core/cache/cache-error.js';
import type { CacheFiles } from '../../../electron/core/cache/cache-files.js';
import { CacheRegistry } from '../../../electron/core/cache/cache-registry.js';
import { openCacheDatabase } from '../../../electron/core/cache/database.js';
import { latestVersion } from '../../../electron/core/cache/migrations.js';
import { openUserCache } from '../../../electron/core/cache/user-cache.js';
import { cacheListAccount } from '../../../electron/core/vault/accounts.js';
import { MemoryVault } from '../../../electron/core/vault/memory-vault.js';

const newKey = (): string => randomBytes(32).toString('hex');
const account = { serverUrl: 'https://flurfunk.example.com', username: 'lena.weber' };
const keyAccount = 'test|cacheKey';

let dataDir: string;
let vault: MemoryVault;
let registry: CacheRegistry;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'flurfunk-cache-'));
  vault = new MemoryVault();
  registry = new CacheRegistry(dataDir, vault, 'profile');
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function problemOf(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof CacheOpenError ? error.problem : `unexpected ${String(error)}`;
  }
}

describe('openCacheDatabase', () => {
  it('creates an encrypted database at the latest schema in WAL mode', async () => {
    const file = join(dataDir, 'c.db');
    const key = newKey();
    const db = openCacheDatabase(file, key);
    db.prepare("INSERT INTO meta (key, value) VALUES ('sync.cursor', 'Lena Weber was here')").run();
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();

    const bytes = await readFile(file);
    expect(bytes.includes('Lena Weber')).toBe(false);
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\u0000');

    const reopened = openCacheDatabase(file, key);
    expect(reopened.prepare('SELECT value FROM meta').pluck().get()).toBe('Lena Weber was here');
    reopened.close();
  });

  it('refuses a different key as wrongKey', () => {
    const file = join(dataDir, 'c.db');
    openCacheDatabase(file, newKey()).close();
    expect(problemOf(() => openCacheDatabase(file, newKey()))).toBe('wrongKey');
    expect(problemOf(() => openCacheDatabase(file, 'not-a-key'))).toBe('wrongKey');
  });

  it('refuses a damaged file as corrupt', async () => {
    const file = join(dataDir, 'c.db');
    const key = newKey();
    const db = openCacheDatabase(file, key);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = await readFile(file);
    expect(bytes.length).toBeGreaterThan(8192);
    bytes.fill(0x41, 4096 + 100, 4096 + 400); // inside page 2
    await writeFile(file, bytes);
    expect(problemOf(() => openCacheDatabase(file, key))).toBe('corrupt');
  });

  it('refuses a cache from a newer version and leaves it untouched', async () => {
    const file = join(dataDir, 'c.db');
    const key = newKey();
    const raw = new Database(file);
    raw.pragma(`cipher = 'sqlcipher'`);
    raw.pragma('legacy = 4');
    raw.pragma(`key = "x'${key}'"`);
    raw.exec('CREATE TABLE future (x)');
    raw.pragma(`user_version = ${latestVersion + 1}`);
    raw.close();
    const before = await readFile(file);

    expect(problemOf(() => openCacheDatabase(file, key))).toBe('newerVersion');
    expect((await readFile(file)).equals(before)).toBe(true);
  });
});

describe('openUserCache', () => {
  async function createFilled(): Promise<CacheFiles> {
    const files = await registry.filesFor(account);
    await registry.register(files);
    const { db, rebuilt } = await openUserCache(files, vault, keyAccount);
    expect(rebuilt).toBeNull();
    db.prepare("INSERT INTO meta (key, value) VALUES ('sync.cursor', '42')").run();
    db.close();
    return files;
  }

  async function cacheNames(): Promise<string[]> {
    return (await readdir(join(dataDir, 'cache'))).sort();
  }

  it('creates the key on first use and keeps it in the vault, not on disk', async () => {
    const files = await createFilled();
    const key = await vault.get(keyAccount);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    for (const name of await cacheNames()) {
      const bytes = await readFile(join(dataDir, 'cache', name));
      expect(bytes.includes(key!)).toBe(false);
      expect(bytes.includes(Buffer.from(key!, 'hex'))).toBe(false);
    }
    expect(files.database).not.toContain('lena');

    const again = await openUserCache(files, vault, keyAccount);
    expect(again.rebuilt).toBeNull();
    expect(again.db.prepare('SELECT value FROM meta').pluck().get()).toBe('42');
    again.db.close();
  });

  it.each([
    ['keyMissing', () => vault.delete(keyAccount)],
    ['wrongKey', () => vault.set(keyAccount, newKey())],
  ] as const)('moves the cache aside and starts empty when the key is %s', async (problem, breakKey) => {
    const files = await createFilled();
    const oldKey = await vault.get(keyAccount);
    await breakKey();

    const reopened = await openUserCache(files, vault, keyAccount);
    expect(reopened.rebuilt).toBe(problem);
    expect(reopened.db.prepare('SELECT count(*) FROM meta').pluck().get()).toBe(0);
    reopened.db.close();
    const newKeyValue = await vault.get(keyAccount);
    expect(newKeyValue).toMatch(/^[0-9a-f]{64}$/);
    expect(newKeyValue).not.toBe(oldKey);

    const movedAside = (await cacheNames()).filter((name) => name.includes('.unreadable-'));
    expect(movedAside.some((name) => name.endsWith('.db'))).toBe(true);
    // The moved-aside copy is the old data, still readable with the old key only.
    if (oldKey && problem === 'wrongKey') {
      const old = openCacheDatabase(
        join(
          dataDir,
          'cache',
          movedAside.find((n) => n.endsWith('.db'))!,
        ),
        oldKey,
      );
      expect(old.prepare('SELECT value FROM meta').pluck().get()).toBe('42');
      old.close();
    }
  });

  it.each([
    ['in its first page', 100],
    ['in a later page', 4096 + 100],
  ])('moves a file damaged %s aside as corrupt', async (_where, offset) => {
    const files = await createFilled();
    const bytes = await readFile(files.database);
    bytes.fill(0x41, offset, offset + 300);
    await writeFile(files.database, bytes);

    const reopened = await openUserCache(files, vault, keyAccount);
    expect(reopened.rebuilt).toBe('corrupt');
    expect(reopened.db.prepare('SELECT count(*) FROM meta').pluck().get()).toBe(0);
    reopened.db.close();
  });

  it('moves a cache whose content the caller rejects aside as corrupt', async () => {
    const files = await createFilled();
    const reopened = await openUserCache(files, vault, keyAccount, (db) => {
      if (db.prepare('SELECT count(*) FROM meta').pluck().get() !== 0) {
        throw new CacheOpenError('corrupt', 'unexpected content');
      }
    });
    expect(reopened.rebuilt).toBe('corrupt');
    expect(reopened.db.prepare('SELECT count(*) FROM meta').pluck().get()).toBe(0);
    reopened.db.close();
  });

  it('keeps only the newest moved-aside copy of a cache', async () => {
    const files = await createFilled();
    for (let round = 0; round < 3; round++) {
      await vault.delete(keyAccount);
      const reopened = await openUserCache(files, vault, keyAccount);
      reopened.db.prepare("INSERT INTO meta (key, value) VALUES ('sync.cursor', ?)").run(`round ${round}`);
      reopened.db.close();
      await new Promise((resolve) => setTimeout(resolve, 5)); // copies are named by the time
    }
    const copies = (await cacheNames()).filter(
      (name) => name.includes('.unreadable-') && name.endsWith('.db'),
    );
    expect(copies).toHaveLength(1);
  });

  it('refuses a cache from a newer version and leaves every file and the key as they were', async () => {
    const files = await createFilled();
    const key = (await vault.get(keyAccount))!;
    const db = openCacheDatabase(files.database, key);
    db.pragma(`user_version = ${latestVersion + 5}`);
    db.close();
    const before = await readFile(files.database);
    const namesBefore = await cacheNames();

    await expect(openUserCache(files, vault, keyAccount)).rejects.toMatchObject({ problem: 'newerVersion' });
    expect((await readFile(files.database)).equals(before)).toBe(true);
    expect((await cacheNames()).filter((name) => !/\.db-(wal|shm)$/.test(name))).toEqual(namesBefore);
    expect(await vault.get(keyAccount)).toBe(key);
  });

  it('wipes every file of the user, moved-aside copies included, and nothing else', async () => {
    const files = await createFilled();
    await vault.delete(keyAccount);
    (await openUserCache(files, vault, keyAccount)).db.close();
    const other = await registry.filesFor({ ...account, username: 'jonas.becker' });
    (await openUserCache(other, vault, 'other|cacheKey')).db.close();

    await files.wipe();
    const left = await cacheNames();
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((name) => name.startsWith(`${other.stem}.`))).toBe(true);
  });

  it('deletes what it can when a file cannot be deleted, and says so', async () => {
    const files = await createFilled();
    // A directory where a cache file would be: no plain delete removes it, for root neither.
    await mkdir(join(dataDir, 'cache', `${files.stem}.unreadable-blocked.db`));
    await expect(files.wipe()).rejects.toThrow(/1 cache file/);
    expect(await cacheNames()).toEqual([`${files.stem}.unreadable-blocked.db`]);
  });
});

describe('CacheRegistry', () => {
  it('names cache files with a salted hash that cannot be recomputed from server and user alone', async () => {
    const files = await registry.filesFor(account);
    expect(files.stem).toMatch(/^[0-9a-f]{32}$/);
    expect((await registry.filesFor(account)).stem).toBe(files.stem);
    const unsalted = createHash('sha256').update(`${account.serverUrl}|${account.username}`).digest('hex');
    expect(unsalted.startsWith(files.stem)).toBe(false);

    const otherProfile = new CacheRegistry(dataDir, new MemoryVault(), 'profile');
    expect((await otherProfile.filesFor(account)).stem).not.toBe(files.stem);
    expect((await registry.filesFor({ ...account, username: 'jonas.becker' })).stem).not.toBe(files.stem);
  });

  it('sweeps the files of caches it does not list, and nothing else', async () => {
    const kept = await registry.filesFor(account);
    await registry.register(kept);
    (await openUserCache(kept, vault, keyAccount)).db.close();
    const signedOut = await registry.filesFor({ ...account, username: 'jonas.becker' });
    await registry.register(signedOut);
    (await openUserCache(signedOut, vault, 'other|cacheKey')).db.close();
    await writeFile(join(dataDir, 'cache', 'README.txt'), 'not a cache file');

    await registry.sweep();
    expect((await readdir(join(dataDir, 'cache'))).some((name) => name.startsWith(signedOut.stem))).toBe(
      true,
    );

    await registry.unregister(signedOut);
    await registry.sweep();
    const left = await readdir(join(dataDir, 'cache'));
    expect(left.some((name) => name.startsWith(signedOut.stem))).toBe(false);
    expect(left.filter((name) => name.startsWith(kept.stem)).length).toBeGreaterThan(0);
    expect(left).toContain('README.txt');
  });

  it('sweeps nothing when the list of caches cannot be read, and says so', async () => {
    const active = await registry.filesFor(account);
    await registry.register(active);
    (await openUserCache(active, vault, keyAccount)).db.close();
    const before = await readdir(join(dataDir, 'cache'));
    await vault.set(cacheListAccount('profile'), '["not a stem"');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let logged: string;
    try {
      await registry.sweep();
    } finally {
      logged = stderr.mock.calls.map(([chunk]) => String(chunk)).join('');
      stderr.mockRestore();
    }
    expect(logged).toContain('the list of caches cannot be read');
    expect(await readdir(join(dataDir, 'cache'))).toEqual(before);
  });
});
