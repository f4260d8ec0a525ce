import {
  type ScopeKey,
  type SyncChange,
  type SyncEntity,
  type SyncPage,
  type SyncQuery,
  maxSyncPageBytes,
} from '@flurfunk/protocol';
import type { Database, Queryable } from '../db/database.js';
import { ApiError } from '../http/api-error.js';
import { latestSeq, readLogPosition } from './log-position.js';
import { scopesOf } from './scopes.js';
import type { EntityRef, SyncSources } from './sync-source.js';

interface LogRow {
  seq: string;
  entity_type: SyncEntity;
  entity_id: string;
  op: 'upsert' | 'delete';
  scope: ScopeKey;
}

/**
 * The log rows of scopes $1 after seq $2 up to $3 ($4: upserts only), at most $5, ascending.
 *
 * Each scope is read as a range of (scope, seq), which only the change_log_scope_seq index can
 * serve: with "scope = … AND seq > …" the planner may walk the seq primary key instead and filter
 * it by scope, reading the whole rest of the log for every scope that has nothing new.
 */
export const changesInScopes = `
  SELECT c.seq::text AS seq, c.entity_type, c.entity_id, c.op, c.scope
    FROM unnest($1::text[]) AS s(scope)
    CROSS JOIN LATERAL (
      SELECT seq, entity_type, entity_id, op, scope FROM change_log
       WHERE (scope, seq) > (s.scope, $2::bigint) AND (scope, seq) <= (s.scope, $3::bigint)
         AND (NOT $4 OR op = 'upsert')
       ORDER BY scope, seq LIMIT $5) c
   ORDER BY c.seq
   LIMIT $5`;

/** No `until`: everything. */
const endOfLog = '9223372036854775807';

/**
 * Reads the change log for one person. The page, the person's scopes and the payloads come from
 * one snapshot, so a page never mixes two states of who may see what.
 *
 * One index range scan per scope, each stopping after `limit` rows, then a merge: a page costs
 * what it returns times the number of scopes, however long the log or large the company.
 */
export class SyncStore {
  constructor(
    private readonly db: Database,
    private readonly sources: SyncSources,
  ) {}

  changesFor(personId: string, query: SyncQuery): Promise<SyncPage> {
    const { after, limit, snapshot, scope, until } = query;
    return this.db.snapshot(async (tx) => {
      const { epoch, retainedFrom, latest } = await readLogPosition(tx);
      const scopes = await scopesOf(tx, personId);
      if (!snapshot && after !== '0' && BigInt(after) < BigInt(retainedFrom)) {
        throw new ApiError(
          410,
          'resync_required',
          'Changes after this cursor are no longer kept; sync again from a snapshot',
        );
      }
      const read = scope === undefined ? scopes : scopes.includes(scope) ? [scope] : [];
      const rows = await tx.query<LogRow>(changesInScopes, [
        read,
        after,
        until ?? endOfLog,
        snapshot,
        limit + 1,
      ]);
      const changes = fitToBytes(await this.withPayloads(tx, rows.slice(0, limit)), maxSyncPageBytes);
      const hasMore = rows.length > changes.length;
      // A cursor from the future means the client synced with another (or a reset) database:
      // tell it instead of silently answering "nothing new" forever.
      if (changes.length === 0 && BigInt(after) > BigInt(latest)) {
        throw new ApiError(
          410,
          'resync_required',
          'Cursor is ahead of this server\'s change log; sync again from "0"',
        );
      }
      let cursor = changes.at(-1)?.seq ?? after;
      // The last page holds everything in the caller's scopes up to the end of the log (or
      // `until`): the cursor goes there, past changes in other scopes and past pruned tombstones,
      // so a client in quiet scopes never falls behind `sync_retained_from` into a resync.
      if (!hasMore) cursor = maxSeq(cursor, until === undefined ? latest : minSeq(until, latest));
      return { epoch, scopes, changes, cursor, hasMore };
    });
  }

  /** The newest sequence number handed out so far ("0" for an empty log). */
  latestSeq(): Promise<string> {
    return latestSeq(this.db);
  }

  private async withPayloads(tx: Queryable, rows: readonly LogRow[]): Promise<SyncChange[]> {
    const refsByType = new Map<SyncEntity, EntityRef[]>();
    for (const row of rows) {
      if (row.op !== 'upsert') continue;
      const refs = refsByType.get(row.entity_type) ?? [];
      refs.push({ id: row.entity_id, scope: row.scope });
      refsByType.set(row.entity_type, refs);
    }
    const payloads = new Map<SyncEntity, Map<string, unknown>>();
    for (const [type, refs] of refsByType) payloads.set(type, await this.sources[type](tx, refs));
    return rows.map((row) => {
      const base = { seq: row.seq, id: row.entity_id, scope: row.scope };
      const data = row.op === 'upsert' ? payloads.get(row.entity_type)?.get(row.entity_id) : undefined;
      // The payloads come from the sync sources' SQL, which builds each from typed columns in the
      // protocol's shape (see the route for where pages are checked).
      return (
        data === undefined
          ? { ...base, type: `${row.entity_type}.delete` }
          : { ...base, type: `${row.entity_type}.upsert`, data }
      ) as SyncChange;
    });
  }
}

/** The longest head of `changes` whose JSON fits in `budget` bytes, and never less than one change. */
function fitToBytes(changes: SyncChange[], budget: number): SyncChange[] {
  let bytes = 0;
  for (let i = 0; i < changes.length; i++) {
    bytes += Buffer.byteLength(JSON.stringify(changes[i]));
    if (bytes > budget && i > 0) return changes.slice(0, i);
  }
  return changes;
}

const maxSeq = (a: string, b: string) => (BigInt(a) >= BigInt(b) ? a : b);
const minSeq = (a: string, b: string) => (BigInt(a) <= BigInt(b) ? a : b);
