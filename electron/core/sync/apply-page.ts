import type { SyncPage } from '@flurfunk/protocol';
import type { CacheDatabase } from '../cache/database.js';
import type { DirectoryStore } from '../directory/directory-store.js';
import { CoreError, SyncLogReplacedError } from '../errors.js';
import { readCursor, readEpoch, writeLastSyncedAt, writePosition } from './sync-state.js';

/**
 * Applies one page of the change log and its cursor in a single transaction: either the whole
 * page and the new cursor are stored, or nothing is. A page that does not continue from the
 * stored cursor in ascending order is refused before anything is written, and so is a page of
 * another change log than the one the cache holds (`SyncLogReplacedError`).
 */
export function applySyncPage(
  db: CacheDatabase,
  directory: DirectoryStore,
  page: SyncPage,
  syncedAt: string | null,
): void {
  db.transaction(() => {
    const epoch = readEpoch(db);
    if (epoch !== null && epoch !== page.epoch) throw new SyncLogReplacedError('its epoch changed');
    checkOrder(readCursor(db), page);
    for (const change of page.changes) directory.apply(change);
    writePosition(db, page.epoch, page.cursor);
    if (syncedAt !== null) writeLastSyncedAt(db, syncedAt);
  }).immediate();
}

function checkOrder(after: string, page: SyncPage): void {
  let previous = BigInt(after);
  for (const change of page.changes) {
    const seq = BigInt(change.seq);
    if (seq <= previous) throw malformed(`change ${change.seq} does not follow ${previous}`);
    previous = seq;
  }
  if (BigInt(page.cursor) < previous) throw malformed(`cursor ${page.cursor} is behind change ${previous}`);
  // Otherwise the next request would ask for the same page again, forever.
  if (page.hasMore && BigInt(page.cursor) <= BigInt(after))
    throw malformed('more pages announced, cursor not advanced');
}

function malformed(detail: string): CoreError {
  return new CoreError('server_error', `the server sent an inconsistent sync page: ${detail}`);
}
