import type {
  CelebrationsConsent,
  Location,
  OrgUnit,
  Person,
  PersonMasterData,
  ProfileEdit,
  Role,
} from '@flurfunk/protocol';
import {
  companyDomain,
  type DemoUnit,
  demoAccounts,
  demoLocations,
  demoUnits,
  femaleFirstNames,
  type LocationKey,
  lastNames,
  maleFirstNames,
  type Title,
} from './company-data.js';
import { Prng } from './prng.js';
import { DemoProfiles } from './profiles.js';

export const defaultDemoSize = 300;

/** Above the default size, departments are split into teams of about this many people. */
const teamSize = 10;
const seed = 0x466c7572; // "Flur"

export interface DemoPerson {
  person: Required<PersonMasterData>;
  /** What the person filled in about themselves (no photo). */
  profile: Omit<ProfileEdit, 'photoFileId'>;
  celebrations: CelebrationsConsent;
  /** Roles of the person's account; every demo person can sign in. */
  roles: Role[];
}

export interface DemoCompany {
  locations: Location[];
  orgUnits: OrgUnit[];
  people: DemoPerson[];
}

/** A demo person as sync delivers them to everyone (for benchmarks that fill a cache directly). */
export function asSyncedPerson({ person, profile, celebrations }: DemoPerson): Person {
  const { privatePhone: _restricted, hiredOn, ...shared } = person;
  return {
    ...shared,
    ...profile,
    photo: null,
    birthday: celebrations.birthday,
    workAnniversary: celebrations.showWorkAnniversary ? hiredOn : null,
    deactivated: false,
  };
}

/** `Jürgen Weiß` → `juergen.weiss`: ASCII usernames and e-mail local parts. */
export function usernameFor(firstName: string, lastName: string): string {
  const ascii = (s: string) =>
    s
      .toLowerCase()
      .replaceAll('ä', 'ae')
      .replaceAll('ö', 'oe')
      .replaceAll('ü', 'ue')
      .replaceAll('ß', 'ss')
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace('ı', 'i')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  return `${ascii(firstName)}.${ascii(lastName)}`;
}

/** Headcount per unit for `size` employees: the 300-person shape scaled, at least one per unit. */
function headcounts(size: number): Map<string, number> {
  const base = demoUnits.reduce((sum, unit) => sum + unit.headcount, 0);
  // Units with a demo account among their staff need someone besides the head.
  const minimum = (key: string) => (demoAccounts.some((a) => a.unit === key && a.slot === 'staff') ? 2 : 1);
  const counts = new Map(
    demoUnits.map((u) => [u.key, Math.max(minimum(u.key), Math.round((u.headcount * size) / base))]),
  );
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  // Rounding leftovers go to (or come from) the largest unit, so the total is exactly `size`.
  const largest = demoUnits.reduce((a, b) => (b.headcount > a.headcount ? b : a));
  counts.set(largest.key, Math.max(1, (counts.get(largest.key) ?? 0) + size - total));
  return counts;
}

class PhoneBook {
  private readonly next = new Map<LocationKey, number>([
    ['hv', 100],
    ['werk', 100],
  ]);

  constructor(private readonly random: Prng) {}

  numberAt(location: LocationKey): string {
    if (location === 'field') {
      return `+49 ${this.random.pick(['151', '152', '160', '170', '171', '175'])} ${this.random.int(1000000, 9999999)}`;
    }
    const extension = this.next.get(location) ?? 100;
    this.next.set(location, extension + 1);
    return location === 'hv' ? `+49 521 58902-${extension}` : `+49 5241 7730-${extension}`;
  }
}

/**
 * The demo company for `size` employees, identical on every call: a German machine builder
 * with a department tree over head office, plant and field service, and the four demo accounts.
 * With `birthdayToday` (MM-DD), a few people celebrate their birthday on that day.
 */
export function generateDemoCompany(
  size: number = defaultDemoSize,
  { birthdayToday = null }: { birthdayToday?: string | null } = {},
): DemoCompany {
  const random = new Prng(seed);
  const profiles = new DemoProfiles(birthdayToday);
  const phones = new PhoneBook(random);
  const takenUsernames = new Set<string>(demoAccounts.map((a) => a.username));
  const locationIds = new Map(demoLocations.map((l) => [l.key, random.uuid()]));
  const locations: Location[] = demoLocations.map((l) => ({
    id: locationIds.get(l.key) ?? '',
    name: l.name,
    kind: l.kind,
    address: l.address,
  }));

  const unitIds = new Map(demoUnits.map((u) => [u.key, random.uuid()]));
  const orgUnits: OrgUnit[] = [];
  const people: DemoPerson[] = [];
  const counts = headcounts(size);
  const headOf = new Map<string, string>();

  const uniqueUsername = (firstName: string, lastName: string) => {
    const base = usernameFor(firstName, lastName);
    let username = base;
    for (let n = 2; takenUsernames.has(username); n++) username = `${base}${n}`;
    takenUsernames.add(username);
    return username;
  };

  const placedAccounts = new Set<string>();
  const addPerson = (
    unit: DemoUnit,
    unitId: string,
    managerId: string | null,
    title: Title,
    slot: 'head' | 'staff' | 'teamLead',
  ) => {
    const id = random.uuid();
    const female = random.next() < 0.42;
    const fixed = demoAccounts.find(
      (a) => a.unit === unit.key && a.slot === slot && !placedAccounts.has(a.username),
    );
    const location = unit.location;
    const extras = profiles.next({ female: fixed ? fixed.female : female, mobileFirst: slot !== 'staff' });
    const common = {
      id,
      orgUnitId: unitId,
      locationId: locationIds.get(location) ?? null,
      managerId,
      phone: phones.numberAt(location),
      room: random.pick(unit.rooms),
      ...extras.master,
    };
    const own = { profile: extras.profile, celebrations: extras.celebrations };
    if (fixed) {
      placedAccounts.add(fixed.username);
      const displayName = 'displayName' in fixed ? fixed.displayName : `${fixed.firstName} ${fixed.lastName}`;
      people.push({
        person: {
          ...common,
          username: fixed.username,
          firstName: fixed.firstName,
          lastName: fixed.lastName,
          displayName,
          title: fixed.title,
          email: `${fixed.username}@${companyDomain}`,
          ...('privatePhone' in fixed ? { privatePhone: fixed.privatePhone } : {}),
        },
        ...own,
        roles: [...fixed.roles],
      });
      return id;
    }
    const firstName = random.pick(female ? femaleFirstNames : maleFirstNames);
    const lastName = random.pick(lastNames);
    const username = uniqueUsername(firstName, lastName);
    people.push({
      person: {
        ...common,
        username,
        firstName,
        lastName,
        displayName: `${firstName} ${lastName}`,
        title: title[female ? 1 : 0],
        email: `${username}@${companyDomain}`,
      },
      ...own,
      // The head of HR holds the role that sees restricted personal data.
      roles: unit.key === 'personal' && slot === 'head' ? ['employee', 'hr'] : ['employee'],
    });
    return id;
  };

  for (const unit of demoUnits) {
    const unitId = unitIds.get(unit.key) ?? '';
    const parentId = unit.parent === null ? null : (unitIds.get(unit.parent) ?? null);
    const parentHead = unit.parent === null ? null : (headOf.get(unit.parent) ?? null);
    const headId = addPerson(unit, unitId, parentHead, unit.head, 'head');
    headOf.set(unit.key, headId);
    orgUnits.push({ id: unitId, name: unit.name, parentId, managerId: headId });

    const staff = (counts.get(unit.key) ?? 1) - 1;
    const teams = size > defaultDemoSize ? Math.ceil(staff / teamSize) : 0;
    if (teams <= 1) {
      for (let i = 0; i < staff; i++) addPerson(unit, unitId, headId, random.pick(unit.staff), 'staff');
      continue;
    }
    for (let t = 0; t < teams; t++) {
      const teamId = random.uuid();
      const members = Math.min(teamSize, staff - t * teamSize);
      const lead: Title = [`Teamleiter ${unit.name}`, `Teamleiterin ${unit.name}`];
      const leadId = addPerson(unit, teamId, headId, lead, 'teamLead');
      orgUnits.push({
        id: teamId,
        name: `${unit.name} – Team ${t + 1}`,
        parentId: unitId,
        managerId: leadId,
      });
      for (let i = 1; i < members; i++) addPerson(unit, teamId, leadId, random.pick(unit.staff), 'staff');
    }
  }
  return { locations, orgUnits, people };
}
