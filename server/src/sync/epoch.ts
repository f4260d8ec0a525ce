import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.js';
import { loadOrCreateServerState } from '../db/server-state.js';

/**
 * Names this database's change log. A new or restored database gets a new one, so a client's
 * cursor from another log is recognised as meaningless instead of skipping or repeating changes.
 */
export function loadSyncEpoch(db: Database): Promise<string> {
  return loadOrCreateServerState(db, 'sync_epoch', randomUUID());
}
