import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.js';
import { loadOrCreateServerState } from '../db/server-state.js';

export const syncEpochName = 'sync_epoch';

/**
 * Names this database's change log, so a client's cursor from another log is recognised as
 * meaningless instead of skipping or repeating changes. A new database gets a new epoch. A
 * restored backup brings its old epoch back with it, although clients may have synced past the
 * backup: run `rotate-sync-epoch` after restoring one (see `rotateSyncEpoch`).
 */
export function createSyncEpoch(db: Queryable): Promise<string> {
  return loadOrCreateServerState(db, syncEpochName, randomUUID());
}

/**
 * Gives the change log a new epoch: every client discards its synced data and syncs from "0".
 * Null when the database has none yet, i.e. no server has ever run on it.
 */
export async function rotateSyncEpoch(db: Queryable): Promise<string | null> {
  const rows = await db.query<{ value: string }>(
    'UPDATE server_state SET value = $2 WHERE name = $1 RETURNING value',
    [syncEpochName, randomUUID()],
  );
  return rows[0]?.value ?? null;
}
