import type { ScopeKey } from '@flurfunk/protocol';
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

/** The generation every row delivered now is stamped with. */
export function readGeneration(db: CacheDatabase): number {
  return Number(readMeta(db, 'sync.generation') ?? '0');
}

/** Whether a full resync is under way: pages are snapshots, and its end sweeps what it did not deliver. */
export function isResyncing(db: CacheDatabase): boolean {
  return readMeta(db, 'sync.resyncing') !== null;
}

/**
 * Starts a full resync: the cursor goes back to "0" (of whatever log the server has now) under a
 * new generation, while the data stays readable until the resync has delivered its replacement.
 * Call inside a transaction.
 */
export function beginResync(db: CacheDatabase): void {
  writeMeta(db, 'sync.generation', String(readGeneration(db) + 1));
  writeMeta(db, 'sync.resyncing', '1');
  deleteMeta(db, 'sync.cursor');
  deleteMeta(db, 'sync.epoch');
  db.prepare('DELETE FROM sync_backfills').run();
}

export function endResync(db: CacheDatabase): void {
  deleteMeta(db, 'sync.resyncing');
}

/**
 * Change types a newer server sent that this app did not know, and so skipped; the cursor moved
 * past them. Remembered so that an updated app that knows them fetches everything again.
 */
export function recordSkippedTypes(db: CacheDatabase, types: readonly string[]): void {
  const skipped = new Set([...readSkippedTypes(db), ...types]);
  writeMeta(db, 'sync.skippedTypes', JSON.stringify([...skipped].sort()));
}

function readSkippedTypes(db: CacheDatabase): string[] {
  try {
    const stored: unknown = JSON.parse(readMeta(db, 'sync.skippedTypes') ?? '[]');
    return Array.isArray(stored) ? stored.filter((type): type is string => typeof type === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Starts a full resync when this app knows a change type an older one skipped: the data of that
 * type was never stored. Call inside a transaction; true when a resync began.
 */
export function resyncForSkippedTypes(db: CacheDatabase, isKnown: (type: string) => boolean): boolean {
  const skipped = readSkippedTypes(db);
  if (!skipped.some(isKnown)) return false;
  const stillUnknown = skipped.filter((type) => !isKnown(type));
  if (stillUnknown.length > 0) writeMeta(db, 'sync.skippedTypes', JSON.stringify(stillUnknown));
  else deleteMeta(db, 'sync.skippedTypes');
  beginResync(db);
  return true;
}

export function readKnownScopes(db: CacheDatabase): Set<ScopeKey> {
  return new Set(db.prepare<[], ScopeKey>('SELECT scope FROM sync_scopes').pluck().all());
}

export function writeKnownScopes(db: CacheDatabase, scopes: readonly ScopeKey[]): void {
  db.prepare('DELETE FROM sync_scopes').run();
  const insert = db.prepare<[ScopeKey]>('INSERT OR IGNORE INTO sync_scopes (scope) VALUES (?)');
  for (const scope of scopes) insert.run(scope);
}

/** A scope whose changes from `after` up to `until` still have to be fetched. */
export interface Backfill {
  scope: ScopeKey;
  after: string;
  until: string;
}

export function readBackfills(db: CacheDatabase): Backfill[] {
  return db.prepare<[], Backfill>('SELECT scope, after, until FROM sync_backfills ORDER BY scope').all();
}

export function writeBackfill(db: CacheDatabase, backfill: Backfill): void {
  db.prepare(
    `INSERT INTO sync_backfills (scope, after, until) VALUES (@scope, @after, @until)
     ON CONFLICT (scope) DO UPDATE SET after = excluded.after, until = excluded.until`,
  ).run(backfill);
}

export function deleteBackfill(db: CacheDatabase, scope: ScopeKey): void {
  db.prepare('DELETE FROM sync_backfills WHERE scope = ?').run(scope);
}
