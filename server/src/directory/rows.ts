import type { Location, OrgUnit, Person } from '@flurfunk/protocol';
import { LocationKind } from '@flurfunk/protocol';

/** Columns of `persons` that make up the public Person (never credentials). */
export const personColumns = `id, username, first_name, last_name, display_name, title, org_unit_id,
  location_id, manager_id, email, phone, room`;

export interface PersonRow {
  id: string;
  username: string;
  first_name: string;
  last_name: string;
  display_name: string;
  title: string;
  org_unit_id: string | null;
  location_id: string | null;
  manager_id: string | null;
  email: string;
  phone: string;
  room: string;
}

export function toPerson(row: PersonRow): Person {
  return {
    id: row.id,
    username: row.username,
    firstName: row.first_name,
    lastName: row.last_name,
    displayName: row.display_name,
    title: row.title,
    orgUnitId: row.org_unit_id,
    locationId: row.location_id,
    managerId: row.manager_id,
    email: row.email,
    phone: row.phone,
    room: row.room,
  };
}

export const orgUnitColumns = 'id, name, parent_id, manager_id';

export interface OrgUnitRow {
  id: string;
  name: string;
  parent_id: string | null;
  manager_id: string | null;
}

export function toOrgUnit(row: OrgUnitRow): OrgUnit {
  return { id: row.id, name: row.name, parentId: row.parent_id, managerId: row.manager_id };
}

export const locationColumns = 'id, name, kind, address';

export interface LocationRow {
  id: string;
  name: string;
  kind: string;
  address: string;
}

export function toLocation(row: LocationRow): Location {
  return { id: row.id, name: row.name, kind: LocationKind.parse(row.kind), address: row.address };
}
