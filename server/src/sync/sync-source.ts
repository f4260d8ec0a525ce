import type { ScopeKey, SyncEntity } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';

/** One row of the change log a page carries: which entity, in which scope. */
export interface EntityRef {
  id: string;
  scope: ScopeKey;
}

/**
 * Reads the current state of entities of one type for a sync page, keyed by id. An id missing from
 * the result no longer exists and is sent as a tombstone. Each feature provides the sources of
 * its entities; one query per type and page, never one per entity.
 */
export type SyncSource = (db: Queryable, refs: readonly EntityRef[]) => Promise<Map<string, unknown>>;

export type SyncSources = Readonly<Record<SyncEntity, SyncSource>>;

/** A source reading `SELECT id, <json> AS data … WHERE id = ANY($1::uuid[])`. */
export function sourceById(sql: string): SyncSource {
  return async (db, refs) => {
    const rows = await db.query<{ id: string; data: unknown }>(sql, [refs.map((ref) => ref.id)]);
    return new Map(rows.map((row) => [row.id, row.data]));
  };
}
