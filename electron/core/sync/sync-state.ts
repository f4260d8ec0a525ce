import type { CacheDatabase } from '../cache/database.js';
import { deleteMeta, readMeta, writeMeta } from '../cache/meta.js';

/** Where the cache stands in the server's change log: after `cursor` of the log named `epoch`. */
export function readCursor(db: CacheDatabase): string {
  return readMeta(db, 'sync.cursor') ?? '0';
}

/** The server's name for the change log the cache was filled from; null before the first page. */
export function readEpoch(db: CacheDatabase): string | null {
  return readMeta(db, 'sync.epoch');
}

export function readLastSyncedAt(db: CacheDatabase): string | null {
  return readMeta(db, 'sync.lastSyncedAt');
}

export function writePosition(db: CacheDatabase, epoch: string, cursor: string): void {
  writeMeta(db, 'sync.epoch', epoch);
  writeMeta(db, 'sync.cursor', cursor);
}

export function writeLastSyncedAt(db: CacheDatabase, at: string): void {
  writeMeta(db, 'sync.lastSyncedAt', at);
}

export function clearSyncState(db: CacheDatabase): void {
  for (const key of ['sync.cursor', 'sync.epoch', 'sync.lastSyncedAt'] as const) deleteMeta(db, key);
}
