import {
  companyScope,
  type Location,
  type OrgUnit,
  type Person,
  type PersonMasterData,
} from '@flurfunk/protocol';
import type { Database, Queryable } from '../db/database.js';
import { followChannelMembership, scopesBefore } from '../chat/read-on-join.js';
import { departingReaderChanges } from '../feed/changes.js';
import { ApiError } from '../http/api-error.js';
import { type EntityChange, recordChanges } from '../sync/change-log.js';
import { userScope } from '../sync/scopes.js';
import type { DirectoryPosition } from './cursor.js';
import { privateContactChanges, privateContactReaders } from './private-contact.js';
import { completeMasterData, selectPerson, toPersonRecord, upsertPeopleSql } from './rows.js';

type PersonWithSortKey = Person & { sortKey: string };

/**
 * People, org units and locations. Every write records its change in the change log in the same
 * transaction, including people and units whose references a deletion clears.
 */
export class DirectoryStore {
  constructor(private readonly db: Database) {}

  /** One page of active people in directory order and the last person on it, if more follow. */
  async listPeople(
    after: DirectoryPosition | null,
    limit: number,
  ): Promise<{ people: Person[]; last: { id: string; sortKey: string } | null }> {
    const columns = `${selectPerson('p')}, p.sort_key AS "sortKey"`;
    // One row more than asked tells whether another page follows.
    const rows = after
      ? await this.db.query<PersonWithSortKey>(
          `SELECT ${columns} FROM persons p
            WHERE (p.sort_key, p.id) > ($1, $2::uuid) AND p.deactivated_at IS NULL
            ORDER BY p.sort_key, p.id LIMIT $3`,
          [await this.anchorKey(after), after.id, limit + 1],
        )
      : await this.db.query<PersonWithSortKey>(
          `SELECT ${columns} FROM persons p WHERE p.deactivated_at IS NULL
            ORDER BY p.sort_key, p.id LIMIT $1`,
          [limit + 1],
        );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      people: page.map(({ sortKey: _, ...person }) => person),
      last: rows.length > limit && last ? { id: last.id, sortKey: last.sortKey } : null,
    };
  }

  /**
   * The sort key to continue after. A cursor that holds only the start of a (very long) key
   * continues after the person it names; if they are gone, after the prefix, which repeats a few
   * people rather than skipping any.
   */
  private async anchorKey(after: DirectoryPosition): Promise<string> {
    if (!after.keyIsPrefix) return after.sortKey;
    const [row] = await this.db.query<{ sort_key: string }>(
      'SELECT sort_key FROM persons WHERE id = $1 AND starts_with(sort_key, $2)',
      [after.id, after.sortKey],
    );
    return row?.sort_key ?? after.sortKey;
  }

  async exists(personId: string): Promise<boolean> {
    const rows = await this.db.query('SELECT 1 FROM persons WHERE id = $1', [personId]);
    return rows.length > 0;
  }

  upsertPerson(person: PersonMasterData): Promise<void> {
    return this.db.transaction((tx) => writePeople(tx, [person]));
  }

  /** Deactivates (signs out everywhere, hides from the directory) or reactivates people. */
  setActive(ids: readonly string[], active: boolean): Promise<number> {
    return this.db.transaction((tx) => setPeopleActive(tx, ids, active));
  }

  deletePerson(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const readers = await privateContactReaders(tx, [id]);
      const cleared = [
        ...(await clearReferences(tx, 'persons.manager_id', id)),
        ...(await clearReferences(tx, 'org_units.manager_id', id)),
      ];
      // Their read states go with them: the posts' counts change for the authors and readers.
      const counts = await departingReaderChanges(tx, id);
      const deleted = await tx.query('DELETE FROM persons WHERE id = $1 RETURNING id', [id]);
      if (deleted.length === 0) return false;
      await recordChanges(tx, [
        ...cleared,
        ...counts,
        ...privateContactChanges(readers, new Map()),
        { entityType: 'person', entityId: id, op: 'delete', scope: companyScope },
      ]);
      return true;
    });
  }

  upsertOrgUnit(unit: OrgUnit): Promise<void> {
    return this.db.transaction((tx) => writeOrgUnit(tx, unit));
  }

  deleteOrgUnit(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const cleared = [
        ...(await clearReferences(tx, 'org_units.parent_id', id)),
        ...(await clearReferences(tx, 'persons.org_unit_id', id)),
      ];
      const affected = (await peopleInTree(tx, id)).map(userScope);
      const deleted = await tx.query('DELETE FROM org_units WHERE id = $1 RETURNING id', [id]);
      if (deleted.length === 0) return false;
      await recordChanges(
        tx,
        [...cleared, { entityType: 'orgUnit', entityId: id, op: 'delete', scope: companyScope }],
        affected,
      );
      return true;
    });
  }

  upsertLocation(location: Location): Promise<void> {
    return this.db.transaction((tx) => writeLocation(tx, location));
  }

  deleteLocation(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const cleared = await clearReferences(tx, 'persons.location_id', id);
      const affected = cleared.map((change) => userScope(change.entityId));
      const deleted = await tx.query('DELETE FROM locations WHERE id = $1 RETURNING id', [id]);
      if (deleted.length === 0) return false;
      await recordChanges(
        tx,
        [...cleared, { entityType: 'location', entityId: id, op: 'delete', scope: companyScope }],
        affected,
      );
      return true;
    });
  }
}

/**
 * Writes HR's master data of these people in the caller's transaction and records what their
 * readers must learn: everyone the person, the private contact's readers, and the people whose
 * channels changed with a new unit or location.
 */
export async function writePeople(tx: Queryable, people: readonly PersonMasterData[]): Promise<void> {
  if (people.length === 0) return;
  const ids = people.map((person) => person.id);
  const before = await scopesBefore(tx, ids);
  const readersBefore = await privateContactReaders(tx, ids);
  const complete = await completeMasterData(tx, people);
  await tx.query(upsertPeopleSql, [JSON.stringify(complete.map(toPersonRecord))]);
  // A person's unit or location decides their scopes: their devices must pull now.
  await recordChanges(
    tx,
    [
      ...ids.map((id): EntityChange => ({
        entityType: 'person',
        entityId: id,
        op: 'upsert',
        scope: companyScope,
      })),
      ...privateContactChanges(readersBefore, await privateContactReaders(tx, ids)),
      ...(await followChannelMembership(tx, before)),
    ],
    ids.map(userScope),
  );
}

/**
 * Deactivating signs a person out of every device and leaves only their names in the directory,
 * so past messages keep their author; reactivating brings the rest back. Returns how many changed.
 */
export async function setPeopleActive(
  tx: Queryable,
  ids: readonly string[],
  active: boolean,
): Promise<number> {
  const readersBefore = await privateContactReaders(tx, ids);
  const changed = await tx.query<{ id: string }>(
    active
      ? `UPDATE persons SET deactivated_at = NULL, updated_at = now()
          WHERE id = ANY($1::uuid[]) AND deactivated_at IS NOT NULL RETURNING id`
      : `UPDATE persons SET deactivated_at = now(), updated_at = now()
          WHERE id = ANY($1::uuid[]) AND deactivated_at IS NULL RETURNING id`,
    [ids],
  );
  if (changed.length === 0) return 0;
  const changedIds = changed.map((row) => row.id);
  if (!active) {
    await tx.query(
      `UPDATE devices SET revoked_at = now(), revoked_reason = 'deactivated'
        WHERE person_id = ANY($1::uuid[]) AND revoked_at IS NULL`,
      [changedIds],
    );
  }
  await recordChanges(
    tx,
    [
      ...changedIds.map((id): EntityChange => ({
        entityType: 'person',
        entityId: id,
        op: 'upsert',
        scope: companyScope,
      })),
      ...privateContactChanges(readersBefore, await privateContactReaders(tx, ids)),
    ],
    changedIds.map(userScope),
  );
  return changedIds.length;
}

/** Creates or replaces an org unit in the caller's transaction; refuses a loop. */
export async function writeOrgUnit(tx: Queryable, unit: OrgUnit): Promise<void> {
  if (unit.parentId !== null && (await isAncestorOrSelf(tx, unit.id, unit.parentId))) {
    throw new ApiError(400, 'bad_request', 'An org unit cannot be placed below itself');
  }
  const people = await peopleInTree(tx, unit.id);
  const [old] = await tx.query<{ parent_id: string | null }>(
    'SELECT parent_id FROM org_units WHERE id = $1',
    [unit.id],
  );
  // Only moving a unit changes the tree scopes of everyone in and below it.
  const moved = old !== undefined && old.parent_id !== unit.parentId;
  const before = moved ? await scopesBefore(tx, people) : new Map();
  await tx.query(
    `INSERT INTO org_units (id, name, parent_id, manager_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, parent_id = excluded.parent_id,
         manager_id = excluded.manager_id, updated_at = now()`,
    [unit.id, unit.name, unit.parentId, unit.managerId],
  );
  await recordChanges(
    tx,
    [
      { entityType: 'orgUnit', entityId: unit.id, op: 'upsert', scope: companyScope },
      ...(await followChannelMembership(tx, before)),
    ],
    people.map(userScope),
  );
}

export async function writeLocation(tx: Queryable, location: Location): Promise<void> {
  await tx.query(
    `INSERT INTO locations (id, name, kind, address) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
         address = excluded.address, updated_at = now()`,
    [location.id, location.name, location.kind, location.address],
  );
  await recordChanges(tx, [
    { entityType: 'location', entityId: location.id, op: 'upsert', scope: companyScope },
  ]);
}

type ReferenceColumn =
  | 'persons.manager_id'
  | 'persons.org_unit_id'
  | 'persons.location_id'
  | 'org_units.manager_id'
  | 'org_units.parent_id';

/** Sets a reference to a row about to be deleted to NULL and returns the upserts clients need to learn that. */
async function clearReferences(
  tx: Queryable,
  reference: ReferenceColumn,
  id: string,
): Promise<EntityChange[]> {
  const [table, column] = reference.split('.') as [string, string];
  const rows = await tx.query<{ id: string }>(
    `UPDATE ${table} SET ${column} = NULL, updated_at = now() WHERE ${column} = $1 RETURNING id`,
    [id],
  );
  const entityType = table === 'persons' ? 'person' : 'orgUnit';
  return rows.map((row) => ({ entityType, entityId: row.id, op: 'upsert', scope: companyScope }));
}

/** The ids of everyone in a unit and the units below it. */
async function peopleInTree(tx: Queryable, unitId: string): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    `WITH RECURSIVE down(id) AS (
       SELECT $1::uuid
       UNION
       SELECT o.id FROM org_units o JOIN down d ON o.parent_id = d.id
     )
     SELECT p.id FROM persons p JOIN down ON p.org_unit_id = down.id`,
    [unitId],
  );
  return rows.map((row) => row.id);
}

async function isAncestorOrSelf(tx: Queryable, unitId: string, candidateParentId: string): Promise<boolean> {
  const rows = await tx.query(
    `WITH RECURSIVE ancestors(id, parent_id) AS (
       SELECT id, parent_id FROM org_units WHERE id = $2
       UNION
       SELECT o.id, o.parent_id FROM org_units o JOIN ancestors a ON o.id = a.parent_id
     )
     SELECT 1 FROM ancestors WHERE id = $1 LIMIT 1`,
    [unitId, candidateParentId],
  );
  return unitId === candidateParentId || rows.length > 0;
}
