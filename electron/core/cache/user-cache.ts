import { randomBytes } from 'node:crypto';
import type { Vault } from '../vault/vault.js';
import type { RebuildReason } from './cache-error.js';
import { CacheOpenError } from './cache-error.js';
import type { CacheFiles } from './cache-files.js';
import type { CacheDatabase } from './database.js';
import { openCacheDatabase } from './database.js';

export interface OpenedCache {
  db: CacheDatabase;
  /** Set when an existing cache could not be used and was moved aside for a fresh one. */
  rebuilt: RebuildReason | null;
}

/**
 * Opens a user's cache with its key from the vault, creating both on first use. A cache that
 * cannot be used (no key, wrong key, damaged, or content `verify` rejects with a
 * `CacheOpenError`) is moved aside (never modified, never mixed with new data) and replaced by an
 * empty one under a new key; the caller tells the user and refills it from the server. A cache
 * written by a newer Flurfunk is refused with `CacheOpenError('newerVersion')` and left exactly
 * as it is, for that Flurfunk to use again.
 */
export async function openUserCache(
  files: CacheFiles,
  vault: Vault,
  keyAccount: string,
  verify: (db: CacheDatabase) => void = () => undefined,
): Promise<OpenedCache> {
  await files.ensureDirectory();
  if (!(await files.databaseExists()))
    return { db: await createCache(files, vault, keyAccount), rebuilt: null };

  const key = await vault.get(keyAccount);
  let rebuilt: RebuildReason = 'keyMissing';
  if (key !== null) {
    try {
      return { db: openVerified(files.database, key, verify), rebuilt: null };
    } catch (error) {
      if (!(error instanceof CacheOpenError) || error.problem === 'newerVersion') throw error;
      // SQLCipher cannot tell a wrong key from a damaged first page; the key check can.
      rebuilt = error.problem === 'wrongKey' && (await files.keyMatches(key)) ? 'corrupt' : error.problem;
    }
  }
  await files.moveAside();
  return { db: await createCache(files, vault, keyAccount), rebuilt };
}

function openVerified(file: string, key: string, verify: (db: CacheDatabase) => void): CacheDatabase {
  const db = openCacheDatabase(file, key);
  try {
    verify(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

async function createCache(files: CacheFiles, vault: Vault, keyAccount: string): Promise<CacheDatabase> {
  const key = randomBytes(32).toString('hex');
  // The key is saved before the file exists: a cache whose key was lost could never be read.
  await vault.set(keyAccount, key);
  await files.writeKeyCheck(key);
  return openCacheDatabase(files.database, key);
}
