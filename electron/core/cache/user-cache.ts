import { randomBytes } from 'node:crypto';
import type { Vault } from '../vault/vault.js';
import type { CacheProblem } from './cache-error.js';
import { CacheOpenError } from './cache-error.js';
import type { CacheFiles } from './cache-files.js';
import type { CacheDatabase } from './database.js';
import { openCacheDatabase } from './database.js';

export interface OpenedCache {
  db: CacheDatabase;
  /** Set when an existing cache could not be used and was moved aside for a fresh one. */
  problem: CacheProblem | null;
}

/**
 * Opens a user's cache with its key from the vault, creating both on first use. A cache that
 * cannot be used is moved aside (never modified, never mixed with new data) and replaced by an
 * empty one under a new key; the caller tells the user and refills it from the server.
 */
export async function openUserCache(
  files: CacheFiles,
  vault: Vault,
  keyAccount: string,
): Promise<OpenedCache> {
  await files.ensureDirectory();
  if (!(await files.databaseExists()))
    return { db: await createCache(files, vault, keyAccount), problem: null };

  const key = await vault.get(keyAccount);
  let problem: CacheProblem = 'keyMissing';
  if (key !== null) {
    try {
      return { db: openCacheDatabase(files.database, key), problem: null };
    } catch (error) {
      if (!(error instanceof CacheOpenError)) throw error;
      // SQLCipher cannot tell a wrong key from a damaged first page; the key check can.
      problem = error.problem === 'wrongKey' && (await files.keyMatches(key)) ? 'corrupt' : error.problem;
    }
  }
  await files.moveAside();
  return { db: await createCache(files, vault, keyAccount), problem };
}

async function createCache(files: CacheFiles, vault: Vault, keyAccount: string): Promise<CacheDatabase> {
  const key = randomBytes(32).toString('hex');
  // The key is saved before the file exists: a cache whose key was lost could never be read.
  await vault.set(keyAccount, key);
  await files.writeKeyCheck(key);
  return openCacheDatabase(files.database, key);
}
