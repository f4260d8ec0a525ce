import { randomBytes } from 'node:crypto';
import type { Vault } from '../vault/vault.js';
import type { RebuildReason } from './cache-error.js';
import { CacheOpenError } from './cache-error.js';
import type { CacheFiles } from './cache-files.js';
import type { CacheDatabase } from './database.js';
import { openCacheDatabase } from './database.js';

export interface OpenedCache<T> {
  db: CacheDatabase;
  /** The cache's key (hex): the files kept beside it are encrypted under a key made from it. */
  key: string;
  /** Set when an existing cache could not be used and was moved aside for a fresh one. */
  rebuilt: RebuildReason | null;
  /** What `inspect` read from the existing cache; null for a new or rebuilt one. */
  inspected: T | null;
}

/**
 * Opens a user's cache with its key from the vault, creating both on first use. A cache that
 * cannot be used (no key, wrong key, damaged, or content `inspect` rejects with a
 * `CacheOpenError`) is moved aside (never modified, never mixed with new data) and replaced by an
 * empty one under a new key; the caller tells the user and refills it from the server. A cache
 * written by a newer Flurfunk is refused with `CacheOpenError('newerVersion')` and left exactly
 * as it is, for that Flurfunk to use again.
 */
export async function openUserCache<T = never>(
  files: CacheFiles,
  vault: Vault,
  keyAccount: string,
  inspect?: (db: CacheDatabase) => T,
): Promise<OpenedCache<T>> {
  await files.ensureDirectory();
  if (!(await files.databaseExists()))
    return { ...(await createCache(files, vault, keyAccount)), rebuilt: null, inspected: null };

  const key = await vault.get(keyAccount);
  let rebuilt: RebuildReason = 'keyMissing';
  if (key !== null) {
    try {
      return { ...openInspected(files.database, key, inspect), key, rebuilt: null };
    } catch (error) {
      if (!(error instanceof CacheOpenError) || error.problem === 'newerVersion') throw error;
      // SQLCipher cannot tell a wrong key from a damaged first page; the key check can.
      rebuilt = error.problem === 'wrongKey' && (await files.keyMatches(key)) ? 'corrupt' : error.problem;
    }
  }
  await files.moveAside();
  return { ...(await createCache(files, vault, keyAccount)), rebuilt, inspected: null };
}

function openInspected<T>(
  file: string,
  key: string,
  inspect: ((db: CacheDatabase) => T) | undefined,
): { db: CacheDatabase; inspected: T | null } {
  const db = openCacheDatabase(file, key);
  try {
    return { db, inspected: inspect ? inspect(db) : null };
  } catch (error) {
    db.close();
    throw error;
  }
}

async function createCache(
  files: CacheFiles,
  vault: Vault,
  keyAccount: string,
): Promise<{ db: CacheDatabase; key: string }> {
  const key = randomBytes(32).toString('hex');
  // The key is saved before the file exists: a cache whose key was lost could never be read.
  await vault.set(keyAccount, key);
  await files.writeKeyCheck(key);
  // Files kept under an earlier key could never be read again.
  await files.removeKeptFiles();
  return { db: openCacheDatabase(files.database, key), key };
}
