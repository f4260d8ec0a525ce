import type { Queryable } from '../db/database.js';
import { syncEpochName } from './epoch.js';
import { retainedFromName } from './retention.js';

/** Where the change log stands; read in one statement because every sync page needs all of it. */
export interface LogPosition {
  /** The log's name (see `createSyncEpoch`); read for every page, so a rotation reaches all instances at once. */
  epoch: string;
  /** A cursor below this seq may have missed a pruned tombstone ("0" when nothing was pruned). */
  retainedFrom: string;
  /**
   * The newest seq handed out: the log's last row, or a newer tombstone that was pruned (clients
   * that saw it hold its seq as their cursor).
   */
  latest: string;
}

export async function readLogPosition(db: Queryable): Promise<LogPosition> {
  const [row] = await db.query<{ epoch: string | null; retained_from: string; last: string }>(
    `SELECT (SELECT value FROM server_state WHERE name = $1) AS epoch,
            coalesce((SELECT value FROM server_state WHERE name = $2), '0') AS retained_from,
            (SELECT coalesce(max(seq), 0)::text FROM change_log) AS last`,
    [syncEpochName, retainedFromName],
  );
  if (!row?.epoch) throw new Error('the sync epoch is missing; it is created when the server starts');
  const latest = BigInt(row.last) >= BigInt(row.retained_from) ? row.last : row.retained_from;
  return { epoch: row.epoch, retainedFrom: row.retained_from, latest };
}

export async function latestSeq(db: Queryable): Promise<string> {
  return (await readLogPosition(db)).latest;
}
