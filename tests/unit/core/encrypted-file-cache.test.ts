import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheFiles } from '../../../electron/core/cache/cache-files.js';
import { openUserCache } from '../../../electron/core/cache/user-cache.js';
import { EncryptedFileCache } from '../../../electron/core/files/encrypted-file-cache.js';
import { MemoryVault } from '../../../electron/core/vault/memory-vault.js';

let dir: string;
const key = randomBytes(32).toString('hex');
const plan = Buffer.from('Betriebsanweisung Presse 3: Schutzbrille und Gehörschutz tragen.');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flurfunk-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('files kept on the device', () => {
  it('gives back what was kept, and keeps nothing readable on disk', async () => {
    const cache = new EncryptedFileCache(dir, key);
    const id = v7();
    await cache.put(id, plan);
    expect(await cache.get(id)).toEqual(plan);
    const [name, ...others] = await readdir(dir);
    expect(others).toEqual([]);
    const onDisk = await readFile(join(dir, name ?? ''));
    expect(onDisk.includes(Buffer.from('Schutzbrille'))).toBe(false);
    expect(onDisk.length).toBe(plan.length + 4 + 12 + 16);
    // The same bytes kept twice look different: each file has its own IV.
    await cache.put(id, plan);
    expect((await readFile(join(dir, id))).equals(onDisk)).toBe(false);
  });

  it('reads a missing, altered, swapped or foreign file as missing, and drops it', async () => {
    const cache = new EncryptedFileCache(dir, key);
    expect(await cache.get(v7())).toBeNull();

    const altered = v7();
    await cache.put(altered, plan);
    const bytes = await readFile(join(dir, altered));
    bytes[30] = (bytes[30] ?? 0) ^ 0xff;
    await writeFile(join(dir, altered), bytes);
    expect(await cache.get(altered)).toBeNull();
    expect(await readdir(dir)).not.toContain(altered);

    // One file's bytes under another's name: the id is sealed with them.
    const [a, b] = [v7(), v7()];
    await cache.put(a, plan);
    await cache.put(b, Buffer.from('anders'));
    await copyFile(join(dir, a), join(dir, b));
    expect(await cache.get(b)).toBeNull();
    expect(await cache.get(a)).toEqual(plan);

    const foreign = new EncryptedFileCache(dir, randomBytes(32).toString('hex'));
    expect(await foreign.get(a)).toBeNull();
    await writeFile(join(dir, b), 'kein Cache-Format');
    expect(await cache.get(b)).toBeNull();
  });

  it('takes only ids, never a path', async () => {
    const cache = new EncryptedFileCache(dir, key);
    await expect(cache.put('../../etc/passwd', plan)).rejects.toThrow();
    await expect(cache.get('../x')).rejects.toThrow();
  });

  it('goes with the cache: a cache rebuilt under a new key drops the files kept under the old one', async () => {
    const files = new CacheFiles(dir, 'ab'.repeat(16));
    const vault = new MemoryVault();
    const first = await openUserCache(files, vault, 'user|cacheKey');
    const id = v7();
    await new EncryptedFileCache(files.keptFiles, first.key).put(id, plan);
    first.db.close();
    const again = await openUserCache(files, vault, 'user|cacheKey');
    expect(await new EncryptedFileCache(files.keptFiles, again.key).get(id)).toEqual(plan);
    again.db.close();

    await vault.delete('user|cacheKey');
    const rebuilt = await openUserCache(files, vault, 'user|cacheKey');
    expect(rebuilt.rebuilt).toBe('keyMissing');
    expect(await readdir(files.keptFiles).catch(() => [])).toEqual([]);
    rebuilt.db.close();

    await new EncryptedFileCache(files.keptFiles, rebuilt.key).put(id, plan);
    await files.wipe();
    expect((await readdir(dir)).filter((name) => name.startsWith(files.stem))).toEqual([]);
  });
});
