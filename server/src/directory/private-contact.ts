import type { Queryable } from '../db/database.js';
import type { EntityChange } from '../sync/change-log.js';
import { userScope } from '../sync/scopes.js';

/** Who reads each person's private contact data: person id → reader ids. */
export type PrivateContactReaders = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * The readers of these people's private contact data right now: the person, their manager and
 * everyone with the `hr` role. Someone deactivated or without private data has none.
 */
export async function privateContactReaders(
  tx: Queryable,
  personIds: readonly string[],
): Promise<PrivateContactReaders> {
  if (personIds.length === 0) return new Map();
  const rows = await tx.query<{ id: string; readers: string[] }>(
    `WITH hr AS (
       SELECT coalesce(array_agg(a.person_id), '{}') AS ids
         FROM accounts a JOIN persons h ON h.id = a.person_id AND h.deactivated_at IS NULL
        WHERE a.roles @> ARRAY['hr'])
     SELECT p.id, array_remove(ARRAY[p.id, p.manager_id], NULL) || hr.ids AS readers
       FROM persons p, hr
      WHERE p.id = ANY($1::uuid[]) AND p.private_phone <> '' AND p.deactivated_at IS NULL`,
    [personIds],
  );
  return new Map(rows.map((row) => [row.id, new Set(row.readers)]));
}

/**
 * The changes that bring every reader's copy up to date after a write: a fresh copy for each
 * reader now, a tombstone for each reader who lost access.
 */
export function privateContactChanges(
  before: PrivateContactReaders,
  after: PrivateContactReaders,
): EntityChange[] {
  const changes: EntityChange[] = [];
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const now = after.get(id) ?? new Set<string>();
    for (const reader of before.get(id) ?? []) {
      if (!now.has(reader)) changes.push(privateContactChange(id, reader, 'delete'));
    }
    for (const reader of now) changes.push(privateContactChange(id, reader, 'upsert'));
  }
  return changes;
}

/**
 * A person gaining or losing the `hr` role gains or loses everyone's private contact data, except
 * what they read anyway (their own, their direct reports').
 */
export async function privateContactChangesForHrRole(
  tx: Queryable,
  readerId: string,
  op: 'upsert' | 'delete',
): Promise<EntityChange[]> {
  const rows = await tx.query<{ id: string }>(
    `SELECT p.id FROM persons p
      WHERE p.private_phone <> '' AND p.deactivated_at IS NULL
        AND p.id <> $1 AND p.manager_id IS DISTINCT FROM $1`,
    [readerId],
  );
  return rows.map((row) => privateContactChange(row.id, readerId, op));
}

function privateContactChange(personId: string, readerId: string, op: 'upsert' | 'delete'): EntityChange {
  return { entityType: 'privateContact', entityId: personId, op, scope: userScope(readerId) };
}
