import { directorySortKey, type Location, LocationKind, type OrgUnit, type Person } from '@flurfunk/protocol';

/**
 * Each Person field and the `persons` column that stores it: the one mapping between the two.
 * Credentials live in `accounts`, so nothing here can leak them.
 */
const personColumnOf = {
  id: 'id',
  username: 'username',
  firstName: 'first_name',
  lastName: 'last_name',
  displayName: 'display_name',
  title: 'title',
  orgUnitId: 'org_unit_id',
  locationId: 'location_id',
  managerId: 'manager_id',
  email: 'email',
  phone: 'phone',
  room: 'room',
} as const satisfies Record<keyof Person, string>;

const personFields = Object.keys(personColumnOf) as (keyof typeof personColumnOf)[];
const uuidFields = new Set<keyof Person>(['id', 'orgUnitId', 'locationId', 'managerId']);

/** Select list yielding Person-shaped rows from `persons` as `alias`. */
export function selectPerson(alias: string): string {
  return personFields.map((field) => `${alias}.${personColumnOf[field]} AS "${field}"`).join(', ');
}

/** A `json_build_object` expression yielding a Person from `persons` as `alias`. */
export function personJson(alias: string): string {
  return `json_build_object(${personFields.map((field) => `'${field}', ${alias}.${personColumnOf[field]}`).join(', ')})`;
}

/** A person as `upsertPeopleSql` takes it: the Person plus its derived columns. */
export type PersonRecord = Person & { sortKey: string };

export function toPersonRecord(person: Person): PersonRecord {
  return { ...person, username: person.username.toLowerCase(), sortKey: directorySortKey(person) };
}

/** Inserts or replaces the people of `$1`, a JSON array of `PersonRecord`s. */
export const upsertPeopleSql = (() => {
  const columns = [...personFields.map((field) => personColumnOf[field]), 'sort_key'];
  const fields = [...personFields, 'sortKey'].map((field) => `"${field}"`);
  const recordType = [
    ...personFields.map((field) => `"${field}" ${uuidFields.has(field) ? 'uuid' : 'text'}`),
    '"sortKey" text',
  ];
  const updates = columns
    .filter((column) => column !== 'id')
    .map((column) => `${column} = excluded.${column}`);
  return `INSERT INTO persons (${columns.join(', ')})
    SELECT ${fields.join(', ')} FROM json_to_recordset($1::json) AS x(${recordType.join(', ')})
    ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')}, updated_at = now()`;
})();

export interface OrgUnitRow {
  id: string;
  name: string;
  parent_id: string | null;
  manager_id: string | null;
}

export function toOrgUnit(row: OrgUnitRow): OrgUnit {
  return { id: row.id, name: row.name, parentId: row.parent_id, managerId: row.manager_id };
}

export interface LocationRow {
  id: string;
  name: string;
  kind: string;
  address: string;
}

export function toLocation(row: LocationRow): Location {
  return { id: row.id, name: row.name, kind: LocationKind.parse(row.kind), address: row.address };
}
