import type { SyncEntity } from '@flurfunk/protocol';
import { AdvisoryLock } from '../db/advisory-locks.js';
import type { Queryable } from '../db/database.js';

export interface EntityChange {
  entityType: SyncEntity;
  entityId: string;
  op: 'upsert' | 'delete';
}

/**
 * Records changes in the caller's transaction, in the company scope (everything the directory
 * holds is visible company-wide for now).
 *
 * The advisory lock serializes writers until they commit, so sequence numbers become visible in
 * ascending order: a client that has seen seq N can never later miss a smaller one that was
 * still uncommitted.
 */
export async function recordChanges(tx: Queryable, changes: readonly EntityChange[]): Promise<void> {
  const latest = new Map(changes.map((c) => [`${c.entityType}:${c.entityId}`, c]));
  if (latest.size === 0) return;
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLock.changeLog]);
  const rows = JSON.stringify(
    [...latest.values()].map((c, ord) => ({ ord, t: c.entityType, id: c.entityId, op: c.op })),
  );
  await tx.query(
    `DELETE FROM change_log c
      USING json_to_recordset($1::json) AS x(t text, id uuid)
      WHERE c.entity_type = x.t AND c.entity_id = x.id`,
    [rows],
  );
  await tx.query(
    `INSERT INTO change_log (entity_type, entity_id, op, scope_kind, scope_id)
     SELECT x.t, x.id, x.op, 'company', NULL
       FROM json_to_recordset($1::json) AS x(ord int, t text, id uuid, op text)
      ORDER BY x.ord`,
    [rows],
  );
}
