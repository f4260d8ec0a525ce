import type { CacheDatabase } from '../cache/database.js';
import { readMeta, writeMeta } from '../cache/meta.js';

export function readCursor(db: CacheDatabase): string {
  return readMeta(db, 'sync.cursor') ?? '0';
}

export function readLastSyncedAt(db: CacheDatabase): string | null {
  return readMeta(db, 'sync.lastSyncedAt');
}

export function writeCursor(db: CacheDatabase, cursor: string): void {
  writeMeta(db, 'sync.cursor', cursor);
}

export function writeLastSyncedAt(db: CacheDatabase, at: string): void {
  writeMeta(db, 'sync.lastSyncedAt', at);
}
