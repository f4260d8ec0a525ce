import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheOpenError } from '../../../electron/core/cache/cache-error.js';
import { CacheFiles } from '../../../electron/core/cache/cache-files.js';
import { openCacheDatabase } from '../../../electron/core/cache/database.js';
import { latestVersion } from '../../../electron/core/cache/migrations.js';
import { openUserCache } from '../../../electron/core/cache/user-cache.js';
import { MemoryVault } from '../../../electron/core/vault/memory-vault.js';

const newKey = (): string => randomBytes(32).toString('hex');
const account = { serverUrl: 'https://flurfunk.example.com', username: 'lena.weber' };
const keyAccount = 'test|cacheKey';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'flurfunk-cache-'));
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
  async function createFilled(vault: MemoryVault): Promise<CacheFiles> {
    const files = new CacheFiles(dataDir, account);
    const { db, problem } = await openUserCache(files, vault, keyAccount);
    expect(problem).toBeNull();
    db.prepare("INSERT INTO meta (key, value) VALUES ('sync.cursor', '42')").run();
    db.close();
    return files;
  }

  async function cacheNames(): Promise<string[]> {
    return (await readdir(join(dataDir, 'cache'))).sort();
  }

  it('creates the key on first use and keeps it in the vault, not on disk', async () => {
    const vault = new MemoryVault();
    const files = await createFilled(vault);
    const key = await vault.get(keyAccount);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    for (const name of await cacheNames()) {
      const bytes = await readFile(join(dataDir, 'cache', name));
      expect(bytes.includes(key!)).toBe(false);
      expect(bytes.includes(Buffer.from(key!, 'hex'))).toBe(false);
    }
    expect(files.database).not.toContain('lena');

    const again = await openUserCache(files, vault, keyAccount);
    expect(again.problem).toBeNull();
    expect(again.db.prepare('SELECT value FROM meta').pluck().get()).toBe('42');
    again.db.close();
  });

  it.each([
    ['keyMissing', (vault: MemoryVault) => vault.delete(keyAccount)],
    ['wrongKey', (vault: MemoryVault) => vault.set(keyAccount, newKey())],
  ] as const)('moves the cache aside and starts empty when the key is %s', async (problem, breakKey) => {
    const vault = new MemoryVault();
    const files = await createFilled(vault);
    const oldKey = await vault.get(keyAccount);
    await breakKey(vault);

    const reopened = await openUserCache(files, vault, keyAccount);
    expect(reopened.problem).toBe(problem);
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
    const vault = new MemoryVault();
    const files = await createFilled(vault);
    const bytes = await readFile(files.database);
    bytes.fill(0x41, offset, offset + 300);
    await writeFile(files.database, bytes);

    const reopened = await openUserCache(files, vault, keyAccount);
    expect(reopened.problem).toBe('corrupt');
    expect(reopened.db.prepare('SELECT count(*) FROM meta').pluck().get()).toBe(0);
    reopened.db.close();
  });

  it('moves a cache from a newer version aside unchanged', async () => {
    const vault = new MemoryVault();
    const files = await createFilled(vault);
    const db = openCacheDatabase(files.database, (await vault.get(keyAccount))!);
    db.pragma(`user_version = ${latestVersion + 5}`);
    db.close();
    const before = await readFile(files.database);

    const reopened = await openUserCache(files, vault, keyAccount);
    expect(reopened.problem).toBe('newerVersion');
    reopened.db.close();
    const moved = (await cacheNames()).find((name) => name.includes('.unreadable-') && name.endsWith('.db'))!;
    expect((await readFile(join(dataDir, 'cache', moved))).equals(before)).toBe(true);
  });

  it('wipes every file of the user, moved-aside copies included, and nothing else', async () => {
    const vault = new MemoryVault();
    const files = await createFilled(vault);
    await vault.delete(keyAccount);
    (await openUserCache(files, vault, keyAccount)).db.close();
    const other = new CacheFiles(dataDir, { ...account, username: 'jonas.becker' });
    (await openUserCache(other, vault, 'other|cacheKey')).db.close();

    await files.wipe();
    const left = await cacheNames();
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((name) => name.startsWith(`${other.stem}.`))).toBe(true);
  });
});
