import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3-multiple-ciphers';
import {
  openCacheDatabase,
  prepareCacheSchema,
  type CacheDatabase,
} from '../electron/core/cache/database.js';

/** Opens a cache database for a benchmark: the real encrypted one, or its unencrypted baseline. */
export type Opener = (file: string) => CacheDatabase;

export const encryptedCache: Opener = (file) => openCacheDatabase(file, randomBytes(32).toString('hex'));

/** The same schema and pragmas without SQLCipher: what the encryption's cost is measured against. */
export const plainCache: Opener = (file) => {
  const db = new Database(file);
  prepareCacheSchema(db);
  return db;
};
