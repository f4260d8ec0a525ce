import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foldForSearch } from '@flurfunk/protocol';
import type { OrgUnit, Person, SyncChange } from '@flurfunk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheDatabase } from '../../../electron/core/cache/database.js';
import { openCacheDatabase } from '../../../electron/core/cache/database.js';
import { DirectoryStore } from '../../../electron/core/directory/directory-store.js';
import { phoneSearchForms } from '../../../electron/core/directory/search-words.js';
import { headOffice, person, plant } from './core-test-data.js';

const company: OrgUnit = { id: randomUUID(), name: 'Brenner Maschinenbau', parentId: null, managerId: null };
const production: OrgUnit = { id: randomUUID(), name: 'Produktion', parentId: company.id, managerId: null };
const workshop: OrgUnit = { id: randomUUID(), name: 'Werkstatt', parentId: production.id, managerId: null };
const communication: OrgUnit = {
  id: randomUUID(),
  name: 'Interne Kommunikation',
  parentId: company.id,
  managerId: null,
};

const at = (unit: OrgUnit, extra: Partial<Person> = {}) => ({ orgUnitId: unit.id, ...extra });

const chef = person(
  'Sabine',
  'Krüger',
  at(production, { title: 'Produktionsleiterin', locationId: plant.id }),
);
const everyone = [
  chef,
  person('Hans', 'Müller', at(workshop, { title: 'Schlosser', managerId: chef.id, skills: ['Schweißen'] })),
  person('Petra', 'Mueller', at(workshop, { title: 'Mechatronikerin', managerId: chef.id })),
  person('Tim', 'Muller', at(workshop, { title: 'Azubi', managerId: chef.id })),
  person('Klaus', 'Weiß', at(workshop, { title: 'Lagerist', languages: ['Deutsch', 'Polnisch'] })),
  person('Erika', 'Weiss', at(communication, { title: 'Redakteurin', locationId: headOffice.id })),
  person('Jörg', 'Becker', at(communication, { title: 'Leiter Kommunikation', locationId: headOffice.id })),
  person(
    'Jonas',
    'Becker',
    at(workshop, { title: 'Kommunikationselektroniker', phone: '+49 521 58902-417' }),
  ),
  person('Françoise', 'Lefèvre', at(communication, { title: 'Übersetzerin', locationId: headOffice.id })),
  person('Łukasz', 'Nowak', at(workshop, { title: 'Schweißer' })),
  person('Dieter', 'Roth', at(workshop, { title: 'Klempner', skills: ['Weißblech'] })),
  person('Gone', 'Away', at(workshop, { deactivated: true, title: '' })),
];
const [, hans, petra, tim, klaus, erika, , jonas, francoise, lukasz, , gone] = everyone as [
  Person,
  ...Person[],
];

/** Search runs on the in-memory word index, and on FTS5 alone while that is being built. */
const searchModes = ['immediate', 'off'] as const;
type SearchMode = (typeof searchModes)[number];

let dir: string;
let db: CacheDatabase;
let store: DirectoryStore;
const storeWith = {} as Record<SearchMode, DirectoryStore>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flurfunk-directory-search-'));
  db = openCacheDatabase(join(dir, 'c.db'), randomBytes(32).toString('hex'));
  for (const mode of searchModes) storeWith[mode] = new DirectoryStore(db, { searchIndex: mode });
  store = storeWith.immediate;
  const changes: SyncChange[] = [
    ...[plant, headOffice].map((data) => ({ type: 'location.upsert', id: data.id, data }) as const),
    ...[company, production, workshop, communication].map(
      (data) => ({ type: 'orgUnit.upsert', id: data.id, data }) as const,
    ),
    ...everyone.map((data) => ({ type: 'person.upsert', id: data.id, data }) as const),
  ].map((change) => ({ ...change, seq: '1', scope: 'company' }) as SyncChange);
  db.transaction(() => {
    for (const change of changes) store.apply(change);
  })();
});

afterAll(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

type PeopleFilters = Partial<Parameters<DirectoryStore['listPeople']>[0]>;

describe.each(searchModes)('search (word index: %s)', (mode) => {
  const found = (query: string, filters: PeopleFilters = {}) =>
    storeWith[mode]
      .listPeople({ query, offset: 0, limit: 50, ...filters })
      .people.map((entry) => entry.displayName);

  describe('German matching rules', () => {
    it.each([
      // typed, and everyone it must find, in directory order ("mueller" sorts before "muller")
      ['Müller', ['Petra Mueller', 'Hans Müller', 'Tim Muller']],
      ['Mueller', ['Petra Mueller', 'Hans Müller', 'Tim Muller']],
      ['Muller', ['Petra Mueller', 'Hans Müller', 'Tim Muller']],
      ['MÜLLER', ['Petra Mueller', 'Hans Müller', 'Tim Muller']],
      ['mül', ['Petra Mueller', 'Hans Müller', 'Tim Muller']],
      ['Weiß', ['Erika Weiss', 'Klaus Weiß', 'Dieter Roth']],
      ['weiss', ['Erika Weiss', 'Klaus Weiß', 'Dieter Roth']],
      ['Joerg', ['Jörg Becker']],
      ['jörg', ['Jörg Becker']],
      ['Krueger', ['Sabine Krüger']],
      ['francoise lefevre', ['Françoise Lefèvre']],
      ['Lukasz', ['Łukasz Nowak']],
      ['ubersetzer', ['Françoise Lefèvre']],
    ])('"%s" finds %j', (typed, expected) => {
      expect(found(typed)).toEqual(expected);
    });

    it('takes several words in any order, each a prefix', () => {
      expect(found('becker kommunikation')).toEqual(['Jonas Becker', 'Jörg Becker']);
      expect(found('kommunikation becker')).toEqual(['Jonas Becker', 'Jörg Becker']);
      expect(found('kommu beck jö')).toEqual(['Jonas Becker', 'Jörg Becker']);
      expect(found('kommu beck jör')).toEqual(['Jörg Becker']);
    });

    it('ranks names above other fields, then keeps directory order', () => {
      // Roth sorts before Weiss, but only his skill says "Weißblech".
      expect(found('weiss')).toEqual(['Erika Weiss', 'Klaus Weiß', 'Dieter Roth']);
      // Both Beckers are named Becker; the one named Jörg as well comes first.
      expect(found('becker jö')).toEqual(['Jonas Becker', 'Jörg Becker']);
      expect(found('becker jör')).toEqual(['Jörg Becker']);
      expect(found('jör becker kommunikation')).toEqual(['Jörg Becker']);
      // Nobody is named so: everyone who has it elsewhere, in directory order.
      expect(found('kommunikation')).toEqual([
        'Jonas Becker',
        'Jörg Becker',
        'Françoise Lefèvre',
        'Erika Weiss',
      ]);
    });

    it('searches title, department, location, skills, languages, phone and email', () => {
      expect(found('Lagerist')).toEqual([klaus?.displayName]);
      expect(found('werkstatt')).toHaveLength(7);
      expect(found('klempner')).toEqual(['Dieter Roth']);
      expect(found('zentrale')).toEqual(['Jörg Becker', 'Françoise Lefèvre', 'Erika Weiss']);
      expect(found('schweißen')).toEqual([hans?.displayName]);
      expect(found('polnisch')).toEqual([klaus?.displayName]);
      expect(found('58902-417')).toEqual([jonas?.displayName]);
      expect(found('0521 58902')).toEqual([jonas?.displayName]);
      expect(found('052158902417')).toEqual([jonas?.displayName]);
      expect(found(petra?.email ?? '')).toEqual([petra?.displayName]);
    });

    it('never finds deactivated people, though their name stays for old messages', () => {
      expect(found('gone')).toEqual([]);
      expect(found('')).not.toContain('Gone Away');
      expect(store.getPerson(gone?.id ?? '')?.displayName).toBe('Gone Away');
    });

    it('folds words once, the same for the index and the query', () => {
      expect(foldForSearch('Straße Øre İlhan Æble')).toBe('strasse ore ilhan able');
      expect(phoneSearchForms('+49 521 58902-417')).toBe('+49 521 58902-417 4952158902417 052158902417');
      expect(phoneSearchForms('intern 417')).toBe('intern 417 417');
      expect(phoneSearchForms('')).toBe('');
    });
  });

  describe('filters and order', () => {
    it('filters by a unit with or without its sub-units, and by location', () => {
      expect(found('', { orgUnitId: production.id, includeSubUnits: false })).toEqual(['Sabine Krüger']);
      expect(found('', { orgUnitId: production.id })).toHaveLength(8);
      expect(found('', { orgUnitId: workshop.id })).toHaveLength(7);
      expect(found('müller', { orgUnitId: communication.id })).toEqual([]);
      expect(found('', { locationId: headOffice.id })).toEqual([
        'Jörg Becker',
        'Françoise Lefèvre',
        'Erika Weiss',
      ]);
      const page = storeWith[mode].listPeople({
        query: 'becker',
        offset: 0,
        limit: 10,
        orgUnitId: company.id,
      });
      expect(page.total).toBe(2);
    });

    it('sorts by department or location, people without one last', () => {
      const byDepartment = found('', { sort: 'department' });
      expect(byDepartment.slice(0, 3)).toEqual(['Jörg Becker', 'Françoise Lefèvre', 'Erika Weiss']);
      expect(byDepartment[3]).toBe('Sabine Krüger');
      const byLocation = found('', { sort: 'location' });
      // Werk Heilbronn, then Zentrale Stuttgart.
      expect(byLocation.slice(0, 2)).toEqual(['Jonas Becker', 'Sabine Krüger']);
      expect(byLocation.slice(-3)).toEqual(['Jörg Becker', 'Françoise Lefèvre', 'Erika Weiss']);
    });
  });
});

describe('profile', () => {
  it('shows the path to the top, the manager and the direct reports', () => {
    const profile = store.getProfile(hans?.id ?? '');
    expect(profile?.unitPath.map((unit) => unit.name)).toEqual([
      'Brenner Maschinenbau',
      'Produktion',
      'Werkstatt',
    ]);
    expect(profile?.manager?.displayName).toBe('Sabine Krüger');
    expect(profile?.privatePhone).toBeNull();
    const boss = store.getProfile(chef.id);
    expect(boss?.directReports.map((report) => report.displayName)).toEqual([
      'Petra Mueller',
      'Hans Müller',
      'Tim Muller',
    ]);
  });

  it('holds private contact data only as sync delivered it, and drops it with its tombstone', () => {
    const id = tim?.id ?? '';
    db.transaction(() =>
      store.apply({
        type: 'privateContact.upsert',
        seq: '2',
        id,
        scope: `user:${chef.id}`,
        data: { id, privatePhone: '+49 170 1234567' },
      }),
    )();
    expect(store.getProfile(id)?.privatePhone).toBe('+49 170 1234567');
    db.transaction(() =>
      store.apply({ type: 'privateContact.delete', seq: '3', id, scope: `user:${chef.id}` }),
    )();
    expect(store.getProfile(id)?.privatePhone).toBeNull();
  });
});

describe('org chart, celebrations and phone book', () => {
  it('lists every unit with its manager and active members', () => {
    const units = store.orgChart();
    expect(units.map((unit) => unit.name)).toEqual([
      'Brenner Maschinenbau',
      'Interne Kommunikation',
      'Produktion',
      'Werkstatt',
    ]);
    expect(units.find((unit) => unit.id === workshop.id)?.memberCount).toBe(7);
    expect(units.find((unit) => unit.id === company.id)?.memberCount).toBe(0);
  });

  it('lists who celebrates today, with the years at the company, leap days on 28 February', () => {
    const withDates = [
      { ...(erika as Person), birthday: '02-29' },
      { ...(francoise as Person), workAnniversary: '2016-03-01' },
      { ...(lukasz as Person), birthday: '03-01', workAnniversary: '2026-03-01' },
    ];
    db.transaction(() => {
      for (const data of withDates)
        store.apply({ type: 'person.upsert', seq: '4', id: data.id, scope: 'company', data });
    })();
    expect(store.celebrations('2027-02-28')).toEqual([
      { person: expect.objectContaining({ displayName: 'Erika Weiss' }), kind: 'birthday', years: null },
    ]);
    expect(store.celebrations('2028-02-28')).toEqual([]);
    const march = store.celebrations('2026-03-01');
    expect(march).toEqual([
      { person: expect.objectContaining({ displayName: 'Łukasz Nowak' }), kind: 'birthday', years: null },
      {
        person: expect.objectContaining({ displayName: 'Françoise Lefèvre' }),
        kind: 'workAnniversary',
        years: 10,
      },
    ]);
  });

  it('groups the phone book by location, in directory order within each', () => {
    const book = store.phoneBook({ groupBy: 'location', orgUnitId: null, locationId: null });
    expect(book.groups.map((group) => group.name)).toEqual(['Werk Heilbronn', 'Zentrale Stuttgart']);
    expect(book.groups[1]?.entries.map((entry) => entry.displayName)).toEqual([
      'Jörg Becker',
      'Françoise Lefèvre',
      'Erika Weiss',
    ]);
    const byUnit = store.phoneBook({ groupBy: 'orgUnit', orgUnitId: communication.id, locationId: null });
    expect(byUnit.groups).toHaveLength(1);
    expect(byUnit.groups[0]?.name).toBe('Interne Kommunikation');
  });
});

describe.each(searchModes)('searches that match many people (word index: %s)', (mode) => {
  it('lists at most a thousand in directory order, says more match, and pages to the end', async () => {
    const bigDir = await mkdtemp(join(tmpdir(), 'flurfunk-directory-big-'));
    const big = openCacheDatabase(join(bigDir, 'c.db'), randomBytes(32).toString('hex'));
    try {
      const store = new DirectoryStore(big, { searchIndex: mode });
      const crowd = Array.from({ length: 2500 }, (_, i) =>
        person(i % 7 === 0 ? 'Beate' : 'Anna', `Muster${String(i).padStart(4, '0')}`, {
          title: i % 2 === 0 ? 'Beraterin' : 'Monteurin',
        }),
      );
      big.transaction(() => {
        for (const data of crowd)
          store.apply({ type: 'person.upsert', seq: '1', id: data.id, scope: 'company', data });
      })();
      const sortKeys = (people: { lastName: string }[]) => people.map((p) => p.lastName);

      // "b": 358 named Beate (tier 1, few: sorted), then 1,250 Beraterinnen (tier 3, many: walked).
      const first = store.listPeople({ query: 'b', offset: 0, limit: 400 });
      expect(first).toMatchObject({ total: 1000, more: true });
      const beates = crowd.filter((p) => p.firstName === 'Beate').map((p) => p.lastName);
      expect(sortKeys(first.people.slice(0, beates.length))).toEqual(beates);
      expect(
        first.people.slice(beates.length).every((p) => p.title === 'Beraterin' && p.firstName === 'Anna'),
      ).toBe(true);
      expect(sortKeys(first.people.slice(beates.length))).toEqual(
        [...sortKeys(first.people.slice(beates.length))].sort(),
      );
      // The last page ends at the thousandth.
      const last = store.listPeople({ query: 'b', offset: 950, limit: 100 });
      expect(last.people).toHaveLength(50);
      expect(store.listPeople({ query: 'b', offset: 1000, limit: 100 }).people).toEqual([]);
      // Pages line up: no one twice, no one skipped.
      const pages = [0, 100, 200, 300, 400, 500, 600, 700, 800, 900].flatMap(
        (offset) => store.listPeople({ query: 'b', offset, limit: 100 }).people,
      );
      expect(new Set(pages.map((p) => p.id)).size).toBe(1000);

      // Fewer than a thousand: the exact number, nothing more.
      expect(store.listPeople({ query: 'beate', offset: 0, limit: 10 })).toMatchObject({
        total: beates.length,
        more: false,
      });
      // A typed address is found by its own part; the company's domain is not searched.
      expect(
        store.listPeople({ query: crowd[3]!.email, offset: 0, limit: 10 }).people.map((p) => p.id),
      ).toEqual([crowd[3]!.id]);
      expect(store.listPeople({ query: 'example', offset: 0, limit: 10 }).total).toBe(0);
    } finally {
      big.close();
      await rm(bigDir, { recursive: true, force: true });
    }
  });
});
