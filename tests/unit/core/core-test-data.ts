import { randomUUID } from 'node:crypto';
import type { Location, OrgUnit, Person, SyncChange } from '@flurfunk/protocol';

/** Small directory for tests of the cache: realistic names, umlauts included. */
export const plant: Location = {
  id: randomUUID(),
  name: 'Werk Heilbronn',
  kind: 'plant',
  address: 'Industriestr. 4',
};
export const headOffice: Location = {
  id: randomUUID(),
  name: 'Zentrale Stuttgart',
  kind: 'headOffice',
  address: 'Königstr. 1',
};
export const workshop: OrgUnit = { id: randomUUID(), name: 'Werkstatt', parentId: null, managerId: null };
export const communications: OrgUnit = {
  id: randomUUID(),
  name: 'Interne Kommunikation',
  parentId: null,
  managerId: null,
};

export function person(firstName: string, lastName: string, extra: Partial<Person> = {}): Person {
  return {
    id: randomUUID(),
    username: `${firstName}.${lastName}`.toLowerCase(),
    firstName,
    lastName,
    displayName: `${firstName} ${lastName}`,
    title: 'Mitarbeiter',
    orgUnitId: workshop.id,
    locationId: plant.id,
    managerId: null,
    email: `${firstName}.${lastName}@example.com`.toLowerCase(),
    phone: '+49 7131 555-100',
    mobile: '',
    room: 'H1',
    pronouns: '',
    languages: [],
    skills: [],
    outOfOffice: null,
    photo: null,
    birthday: null,
    workAnniversary: null,
    deactivated: false,
    ...extra,
  };
}

export const lena = person('Lena', 'Weber', { title: 'Industriemechanikerin', phone: '+49 7131 555-123' });
export const jonas = person('Jonas', 'Becker', {
  title: 'Redakteur',
  orgUnitId: communications.id,
  locationId: headOffice.id,
});
export const juergen = person('Jürgen', 'Müller', { title: 'Meister Qualitätsprüfung' });
export const anna = person('Anna', 'Müller', { title: 'Schichtleiterin' });
export const oezlem = person('Özlem', 'Öztürk', { title: 'Elektronikerin' });
export const klaus = person('Klaus', 'Weiß', { title: 'Lagerist' });

export const people = [lena, jonas, juergen, anna, oezlem, klaus];

/** A change log entry before the server numbers it. */
export type UnnumberedChange = SyncChange extends infer C
  ? C extends SyncChange
    ? Omit<C, 'seq'>
    : never
  : never;

/** Change log entries numbered from `firstSeq` on. */
export function changesFor(entries: UnnumberedChange[], firstSeq = 1): SyncChange[] {
  return entries.map((entry, index) => ({ ...entry, seq: String(firstSeq + index) }) as SyncChange);
}

export function upsertAll(): UnnumberedChange[] {
  return [
    { type: 'location.upsert', id: plant.id, scope: 'company', data: plant },
    { type: 'location.upsert', id: headOffice.id, scope: 'company', data: headOffice },
    { type: 'orgUnit.upsert', id: workshop.id, scope: 'company', data: workshop },
    { type: 'orgUnit.upsert', id: communications.id, scope: 'company', data: communications },
    ...people.map((p) => ({ type: 'person.upsert' as const, id: p.id, scope: 'company', data: p })),
  ];
}
