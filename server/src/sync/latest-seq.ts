import type { Queryable } from '../db/database.js';
import { readRetainedFrom } from './retention.js';

/**
 * The newest seq handed out: the log's last row, or a newer tombstone that was pruned (clients
 * that saw it hold its seq as their cursor).
 */
export async function latestSeq(db: Queryable): Promise<string> {
  const [row] = await db.query<{ seq: string }>('SELECT coalesce(max(seq), 0)::text AS seq FROM change_log');
  const retainedFrom = await readRetainedFrom(db);
  const last = row?.seq ?? '0';
  return BigInt(last) >= BigInt(retainedFrom) ? last : retainedFrom;
}
