import { existsSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { CacheOpenError } from './cache-error.js';
import { registerSearchFunctions } from '../directory/search-words.js';
import { latestVersion, migrations } from './migrations.js';

export type CacheDatabase = Database.Database;

/** A cache key is 32 random bytes, written as 64 hex digits. */
const cacheKeyPattern = /^[0-9a-f]{64}$/;

/**
 * Opens (or creates) the SQLCipher cache at `file` with a raw 256-bit key and brings its schema up
 * to date. Throws `CacheOpenError` when the key does not open the file, the file is damaged, or
 * it was written by a newer Flurfunk; in that last case the file is left exactly as it was.
 */
export function openCacheDatabase(file: string, keyHex: string): CacheDatabase {
  if (!cacheKeyPattern.test(keyHex))
    throw new CacheOpenError('wrongKey', 'the cache key is not 64 hex digits');
  if (existsSync(file)) inspect(file, keyHex);
  const db = new Database(file);
  try {
    unlock(db, keyHex);
    prepareCacheSchema(db);
    return db;
  } catch (error) {
    db.close();
    throw asCacheOpenError(error);
  }
}

/**
 * Checks an existing file read-only before anything may write to it: a read-write connection
 * would checkpoint a newer Flurfunk's write-ahead log into the file when it closes.
 */
function inspect(file: string, keyHex: string): void {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    unlock(db, keyHex);
    // Each page carries an HMAC: check them all now rather than fail on a random query later.
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new CacheOpenError('corrupt', 'the cache file failed its integrity check');
    refuseNewerVersion(db);
  } catch (error) {
    throw asCacheOpenError(error);
  } finally {
    db.close();
  }
}

function unlock(db: CacheDatabase, keyHex: string): void {
  db.pragma(`cipher = 'sqlcipher'`); // the SQLCipher 4 format, readable by standard tools
  db.pragma('legacy = 4');
  // A blob literal is used as the key itself: no passphrase, so no slow KDF is needed.
  db.pragma(`key = "x'${keyHex}'"`);
  // The key pragma never fails by itself; reading page 1 proves the key opens this file.
  db.prepare('SELECT count(*) FROM sqlite_master').get();
}

function refuseNewerVersion(db: CacheDatabase): void {
  const version = userVersion(db);
  if (version > latestVersion) {
    throw new CacheOpenError(
      'newerVersion',
      `the cache has schema version ${version}, this Flurfunk knows up to ${latestVersion}`,
    );
  }
}

/** Applies the cache's pragmas and migrations to an opened (and, in the app, unlocked) database. */
export function prepareCacheSchema(db: CacheDatabase): void {
  configure(db);
  registerSearchFunctions(db);
  migrate(db);
}

function configure(db: CacheDatabase): void {
  db.pragma('journal_mode = WAL'); // readers (the UI) never wait for the sync writer
  db.pragma('synchronous = NORMAL'); // safe with WAL: a power cut loses at most the last commit, never the file
  db.pragma('foreign_keys = ON'); // declared relations hold; SQLite leaves them off by default
  db.pragma('temp_store = MEMORY'); // sorts and temp tables never spill to disk outside the cipher
  // 32 MiB of decrypted pages (default 2 MiB): searches and feed pages reread the same index
  // pages, and each page read from disk is decrypted again.
  db.pragma('cache_size = -32768');
  db.pragma('secure_delete = ON'); // deleted rows are zeroed, so logout and purges leave no remnants
}

function migrate(db: CacheDatabase): void {
  const current = userVersion(db);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}

function userVersion(db: CacheDatabase): number {
  return Number(db.pragma('user_version', { simple: true }));
}

const unreadableCodes = new Set(['SQLITE_NOTADB']);
const damagedCodes = new Set(['SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB', 'SQLITE_IOERR_SHORT_READ']);

function asCacheOpenError(error: unknown): unknown {
  if (error instanceof CacheOpenError) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && unreadableCodes.has(code)) {
    return new CacheOpenError('wrongKey', 'the cache key does not open the cache file');
  }
  if (typeof code === 'string' && damagedCodes.has(code)) {
    return new CacheOpenError('corrupt', 'the cache file is damaged');
  }
  return error;
}
