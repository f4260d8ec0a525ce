import type { Queryable } from '../db/database.js';

export const retainedFromName = 'sync_retained_from';

/**
 * Tombstones older than the retention are deleted; an upsert row is the entity's current state
 * and stays. `sync_retained_from` records the newest deleted tombstone: a client whose cursor is
 * behind it may have missed a delete and must resync from a snapshot.
 */
export async function pruneTombstones(db: Queryable, olderThanMs: number): Promise<number> {
  const [row] = await db.query<{ pruned: number; newest: string | null }>(
    `WITH pruned AS (
       DELETE FROM change_log WHERE op = 'delete' AND changed_at < now() - make_interval(secs => $1::double precision / 1000)
       RETURNING seq)
     SELECT count(*)::int AS pruned, max(seq)::text AS newest FROM pruned`,
    [olderThanMs],
  );
  if (row?.newest) {
    await db.query(
      `INSERT INTO server_state (name, value) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET value = greatest(server_state.value::bigint, excluded.value::bigint)::text`,
      [retainedFromName, row.newest],
    );
  }
  return row?.pruned ?? 0;
}
