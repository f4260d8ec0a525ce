import type { CacheDatabase } from '../cache/database.js';
import type { DirectoryStore } from '../directory/directory-store.js';
import { clearSyncState } from './sync-state.js';

/**
 * Forgets everything pulled from the change log, with the cursor and the log's epoch, in one
 * transaction: the next pull starts from "0" on an empty cache, so data of two logs never mixes.
 */
export function discardSyncedData(db: CacheDatabase, directory: DirectoryStore): void {
  db.transaction(() => {
    directory.clear();
    clearSyncState(db);
  }).immediate();
}
