import type { Person, SyncChange, SyncEntity, SyncPage } from '@flurfunk/protocol';
import type { Database } from '../db/database.js';
import { readSyncEpoch } from './epoch.js';
import { type LocationRow, type OrgUnitRow, personJson, toLocation, toOrgUnit } from '../directory/rows.js';

interface ChangeRow {
  seq: string;
  entity_type: SyncEntity;
  entity_id: string;
  op: 'upsert' | 'delete';
  person: Person | null;
  org_unit: OrgUnitRow | null;
  location: LocationRow | null;
}

/**
 * Reads the change log after a cursor with the current state of each changed entity: the index on
 * (scope, seq) and the LIMIT make a page cost what it returns, however long the log is.
 * An entity that no longer exists is sent as a tombstone.
 */
export class SyncStore {
  constructor(private readonly db: Database) {}

  async changesAfter(after: string, limit: number): Promise<SyncPage> {
    const epoch = await readSyncEpoch(this.db);
    const rows = await this.db.query<ChangeRow>(
      `SELECT c.seq::text AS seq, c.entity_type, c.entity_id, c.op,
              CASE WHEN p.id IS NULL THEN NULL ELSE ${personJson('p')} END AS person,
              CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object(
                'id', u.id, 'name', u.name, 'parent_id', u.parent_id, 'manager_id', u.manager_id) END AS org_unit,
              CASE WHEN l.id IS NULL THEN NULL ELSE json_build_object(
                'id', l.id, 'name', l.name, 'kind', l.kind, 'address', l.address) END AS location
         FROM change_log c
         LEFT JOIN persons p ON c.entity_type = 'person' AND p.id = c.entity_id
         LEFT JOIN org_units u ON c.entity_type = 'orgUnit' AND u.id = c.entity_id
         LEFT JOIN locations l ON c.entity_type = 'location' AND l.id = c.entity_id
        WHERE c.scope_kind = 'company' AND c.scope_id IS NULL AND c.seq > $1::bigint
        ORDER BY c.seq
        LIMIT $2`,
      [after, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      epoch,
      changes: page.map(toSyncChange),
      cursor: last ? last.seq : after,
      hasMore: rows.length > limit,
    };
  }

  /** The newest sequence number handed out so far ("0" for an empty log). */
  async latestSeq(): Promise<string> {
    const [row] = await this.db.query<{ seq: string }>(
      'SELECT coalesce(max(seq), 0)::text AS seq FROM change_log',
    );
    return row?.seq ?? '0';
  }
}

function toSyncChange(row: ChangeRow): SyncChange {
  const base = { seq: row.seq, id: row.entity_id };
  const exists = row.op === 'upsert';
  switch (row.entity_type) {
    case 'person':
      return exists && row.person
        ? { ...base, type: 'person.upsert', data: row.person }
        : { ...base, type: 'person.delete' };
    case 'orgUnit':
      return exists && row.org_unit
        ? { ...base, type: 'orgUnit.upsert', data: toOrgUnit(row.org_unit) }
        : { ...base, type: 'orgUnit.delete' };
    case 'location':
      return exists && row.location
        ? { ...base, type: 'location.upsert', data: toLocation(row.location) }
        : { ...base, type: 'location.delete' };
  }
}
