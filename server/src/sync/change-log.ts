import type { SyncEntity } from '@flurfunk/protocol';
import { AdvisoryLock } from '../db/advisory-locks.js';
import type { Queryable } from '../db/database.js';
import { type ChangeNotice, changeChannel, encodeNotice, publishAfterCommit } from '../live/change-notice.js';

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
 *
 * Live clients hear of the changes once they commit: this server's own through
 * `publishAfterCommit`, other instances on the same PostgreSQL through NOTIFY, which PostgreSQL
 * delivers only on commit and in commit order.
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
  const [inserted] = await tx.query<{ up_to: string }>(
    `WITH inserted AS (
       INSERT INTO change_log (entity_type, entity_id, op, scope_kind, scope_id)
       SELECT x.t, x.id, x.op, 'company', NULL
         FROM json_to_recordset($1::json) AS x(ord int, t text, id uuid, op text)
        ORDER BY x.ord
       RETURNING seq)
     SELECT max(seq)::text AS up_to FROM inserted`,
    [rows],
  );
  if (!inserted) throw new Error('the change log returned no sequence number');
  const notice: ChangeNotice = { upTo: inserted.up_to, scopes: [{ kind: 'company' }] };
  await tx.query('SELECT pg_notify($1, $2)', [changeChannel, encodeNotice(notice)]);
  publishAfterCommit(tx, notice);
}
