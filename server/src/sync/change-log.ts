import type { ScopeKey, SyncEntity } from '@flurfunk/protocol';
import { AdvisoryLock } from '../db/advisory-locks.js';
import type { Queryable } from '../db/database.js';
import {
  type ChangeNotice,
  changeChannel,
  encodeNotice,
  noticeScopes,
  publishAfterCommit,
} from '../live/change-notice.js';
import { latestSeq } from './log-position.js';

export interface EntityChange {
  entityType: SyncEntity;
  entityId: string;
  op: 'upsert' | 'delete';
  /** The scope the entity is in now (for a delete: the one it was in). */
  scope: ScopeKey;
  /** The scope it was in before, when it moved: its clients there get a tombstone. */
  previousScope?: ScopeKey;
}

interface LogRow {
  t: SyncEntity;
  id: string;
  op: 'upsert' | 'delete';
  scope: ScopeKey;
}

/**
 * Records changes in the caller's transaction. The log keeps one row per entity and scope: the
 * latest change replaces the older row, so a page never carries an entity twice and the log
 * stays about as large as the data. An entity's row in its current scope is always its newest,
 * so a client in both an old and a new scope sees the tombstone before the upsert.
 *
 * `alsoNotify` names scopes whose live clients must hear of the commit although no row lands in
 * them, e.g. `user:<id>` of a person added to a chat: their scopes changed, so they must pull.
 *
 * The advisory lock serializes writers until they commit, so sequence numbers become visible in
 * ascending order: a client that has seen seq N can never later miss a smaller one that was
 * still uncommitted. Live clients hear of the changes once they commit: this server's own through
 * `publishAfterCommit`, other instances on the same PostgreSQL through NOTIFY, which PostgreSQL
 * delivers only on commit and in commit order.
 */
export async function recordChanges(
  tx: Queryable,
  changes: readonly EntityChange[],
  alsoNotify: readonly ScopeKey[] = [],
): Promise<string | null> {
  const rows = new Map<string, LogRow>();
  const put = (row: LogRow) => {
    const key = `${row.t}:${row.id}:${row.scope}`;
    rows.delete(key);
    rows.set(key, row);
  };
  for (const c of changes) {
    if (c.previousScope !== undefined && c.previousScope !== c.scope) {
      put({ t: c.entityType, id: c.entityId, op: 'delete', scope: c.previousScope });
    }
    put({ t: c.entityType, id: c.entityId, op: c.op, scope: c.scope });
  }
  if (rows.size === 0 && alsoNotify.length === 0) return null;
  if (rows.size === 0) {
    // Only someone's scopes changed (e.g. a role): their clients pull to learn it.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLock.changeLog]);
    await announce(tx, { upTo: await latestSeq(tx), scopes: [...new Set(alsoNotify)] });
    return null;
  }
  const scopes = noticeScopes([...new Set([...[...rows.values()].map((row) => row.scope), ...alsoNotify])]);
  // One statement, as writes wait for each other on the lock: `x` needs the lock's row, so the
  // lock is held before the old rows go and the new ones draw their seqs.
  const [inserted] = await tx.query<{ up_to: string }>(
    `WITH locked AS MATERIALIZED (SELECT pg_advisory_xact_lock($2)),
          x AS (SELECT x.* FROM locked, json_to_recordset($1::json) AS x(ord int, t text, id uuid, op text, scope text)),
          replaced AS (
            DELETE FROM change_log c USING x WHERE c.entity_type = x.t AND c.entity_id = x.id AND c.scope = x.scope),
          inserted AS (
            INSERT INTO change_log (entity_type, entity_id, op, scope)
            SELECT t, id, op, scope FROM x ORDER BY ord
            RETURNING seq)
     SELECT up_to, pg_notify($3, json_build_object('upTo', up_to, 'scopes', $4::json)::text)
       FROM (SELECT max(seq)::text AS up_to FROM inserted) last`,
    [
      JSON.stringify([...rows.values()].map((row, ord) => ({ ord, ...row }))),
      AdvisoryLock.changeLog,
      changeChannel,
      JSON.stringify(scopes),
    ],
  );
  if (!inserted?.up_to) throw new Error('the change log returned no sequence number');
  publishAfterCommit(tx, { upTo: inserted.up_to, scopes });
  return inserted.up_to;
}

async function announce(tx: Queryable, notice: ChangeNotice): Promise<void> {
  await tx.query('SELECT pg_notify($1, $2)', [changeChannel, encodeNotice(notice)]);
  publishAfterCommit(tx, notice);
}
