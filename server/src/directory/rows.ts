import {
  directorySortKey,
  type Location,
  LocationKind,
  type OrgUnit,
  type Person,
  type PersonMasterData,
} from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';
import { fileJson } from '../files/file-rows.js';

/**
 * Each Person field as a SQL expression over `persons` as `a`: the one mapping between the two.
 * A deactivated person shows only their names (messages keep their author); birthday and work
 * anniversary only with consent. Credentials live in `accounts`, so nothing here can leak them.
 */
function personFieldSql(a: string): Record<keyof Person, string> {
  const whileActive = (expression: string, otherwise: string) =>
    `CASE WHEN ${a}.deactivated_at IS NULL THEN ${expression} ELSE ${otherwise} END`;
  return {
    id: `${a}.id`,
    username: `${a}.username`,
    firstName: `${a}.first_name`,
    lastName: `${a}.last_name`,
    displayName: `${a}.display_name`,
    title: whileActive(`${a}.title`, `''`),
    orgUnitId: whileActive(`${a}.org_unit_id`, 'NULL'),
    locationId: whileActive(`${a}.location_id`, 'NULL'),
    managerId: whileActive(`${a}.manager_id`, 'NULL'),
    email: whileActive(`${a}.email`, `''`),
    phone: whileActive(`${a}.phone`, `''`),
    mobile: whileActive(`${a}.mobile`, `''`),
    room: whileActive(`${a}.room`, `''`),
    pronouns: `${a}.pronouns`,
    languages: whileActive(`to_json(${a}.languages)`, `'[]'::json`),
    skills: whileActive(`to_json(${a}.skills)`, `'[]'::json`),
    outOfOffice: whileActive(
      `CASE WHEN ${a}.out_of_office_message IS NULL THEN NULL ELSE json_build_object(
         'message', ${a}.out_of_office_message, 'until', to_char(${a}.out_of_office_until, 'YYYY-MM-DD')) END`,
      'NULL',
    ),
    photo: whileActive(`(SELECT ${fileJson} FROM files f WHERE f.id = ${a}.photo_id)`, 'NULL'),
    birthday: whileActive(`${a}.birthday`, 'NULL'),
    workAnniversary: whileActive(
      `CASE WHEN ${a}.show_work_anniversary THEN to_char(${a}.hired_on, 'YYYY-MM-DD') END`,
      'NULL',
    ),
    deactivated: `${a}.deactivated_at IS NOT NULL`,
  };
}

/** Select list yielding Person-shaped rows from `persons` as `alias`. */
export function selectPerson(alias: string): string {
  return Object.entries(personFieldSql(alias))
    .map(([field, sql]) => `${sql} AS "${field}"`)
    .join(', ');
}

/** A `json_build_object` expression yielding a Person from `persons` as `alias`. */
export function personJson(alias: string): string {
  const pairs = Object.entries(personFieldSql(alias)).map(([field, sql]) => `'${field}', ${sql}`);
  return `json_build_object(${pairs.join(', ')})`;
}

/**
 * Each field HR maintains and the `persons` column that stores it. Writing master data never
 * touches what the person filled in about themselves.
 */
const masterColumnOf = {
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
  mobile: 'mobile',
  room: 'room',
  privatePhone: 'private_phone',
  hiredOn: 'hired_on',
} as const satisfies Record<keyof PersonMasterData, string>;

const masterFields = Object.keys(masterColumnOf) as (keyof typeof masterColumnOf)[];
const sqlTypeOf: Partial<Record<keyof PersonMasterData, string>> = {
  id: 'uuid',
  orgUnitId: 'uuid',
  locationId: 'uuid',
  managerId: 'uuid',
  hiredOn: 'date',
};

/** Master data with every field given, as it is stored. */
export type CompleteMasterData = Required<PersonMasterData>;

/** Master data as `upsertPeopleSql` takes it, with its derived columns. */
export type PersonRecord = CompleteMasterData & { sortKey: string };

export function toPersonRecord(person: CompleteMasterData): PersonRecord {
  return { ...person, username: person.username.toLowerCase(), sortKey: directorySortKey(person) };
}

/** Fills the optional master fields left out from what is stored (empty for someone new). */
export async function completeMasterData(
  tx: Queryable,
  people: readonly PersonMasterData[],
): Promise<CompleteMasterData[]> {
  const incomplete = people.filter(
    (p) => p.mobile === undefined || p.privatePhone === undefined || p.hiredOn === undefined,
  );
  const stored = new Map(
    incomplete.length === 0
      ? []
      : (
          await tx.query<{ id: string; mobile: string; private_phone: string; hired_on: string | null }>(
            `SELECT id, mobile, private_phone, to_char(hired_on, 'YYYY-MM-DD') AS hired_on
               FROM persons WHERE id = ANY($1::uuid[])`,
            [incomplete.map((p) => p.id)],
          )
        ).map((row) => [row.id, row]),
  );
  return people.map((person) => {
    const current = stored.get(person.id);
    return {
      ...person,
      mobile: person.mobile ?? current?.mobile ?? '',
      privatePhone: person.privatePhone ?? current?.private_phone ?? '',
      hiredOn: person.hiredOn === undefined ? (current?.hired_on ?? null) : person.hiredOn,
    };
  });
}

/** Inserts or updates the master data of `$1`, a JSON array of `PersonRecord`s. */
export const upsertPeopleSql = (() => {
  const columns = [...masterFields.map((field) => masterColumnOf[field]), 'sort_key'];
  const fields = [...masterFields, 'sortKey'].map((field) => `"${field}"`);
  const recordType = [
    ...masterFields.map((field) => `"${field}" ${sqlTypeOf[field] ?? 'text'}`),
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
