import { describe, expect, it } from 'vitest';
import { createOrgSearch, withPeople } from '@/features/directory/org-chart/orgChartSearch.js';
import { makeCompany, makeUnit } from './orgChartSupport.js';

const units = [
  makeUnit(1, {
    name: 'Logistik',
    manager: {
      id: '00000000-0000-4000-a000-000000000001',
      displayName: 'Jana Müller',
      title: 'Leitung',
      photoFileId: null,
    },
  }),
  makeUnit(2, { name: 'Straßenbau', manager: null }),
  makeUnit(3, {
    name: 'Café & Kantine',
    manager: {
      id: '00000000-0000-4000-a000-000000000003',
      displayName: 'José Álvarez',
      title: 'Koch',
      photoFileId: null,
    },
  }),
  makeUnit(4, {
    name: 'Vertrieb Süd',
    manager: {
      id: '00000000-0000-4000-a000-000000000004',
      displayName: 'Heinz Mueller',
      title: 'Leitung',
      photoFileId: null,
    },
  }),
  makeUnit(5, { name: 'Südwest-Außendienst', manager: null }),
];
const find = createOrgSearch(units);
const found = (query: string) =>
  find(query).map((hit) =>
    hit.kind === 'manager' ? `${hit.unit.manager!.displayName} (${hit.unit.name})` : hit.unit.name,
  );

describe('org chart search', () => {
  it('finds a manager by name however the umlaut is typed, as the directory search does', () => {
    expect(found('mueller')).toEqual(['Heinz Mueller (Vertrieb Süd)', 'Jana Müller (Logistik)']);
    expect(found('Müller')).toEqual(['Heinz Mueller (Vertrieb Süd)', 'Jana Müller (Logistik)']);
    expect(found('MULLER')).toEqual(['Heinz Mueller (Vertrieb Süd)', 'Jana Müller (Logistik)']);
  });

  it('ignores case, accents and ß, and ranks names that start with the query first', () => {
    expect(found('strasse')).toEqual(['Straßenbau']);
    expect(found('jose alvarez')).toEqual(['José Álvarez (Café & Kantine)']);
    expect(found('cafe kantine')).toEqual(['Café & Kantine']);
    expect(found('sud')).toEqual(['Südwest-Außendienst', 'Vertrieb Süd']);
    expect(found('aussendienst')).toEqual(['Südwest-Außendienst']);
  });

  it('finds nothing for an empty query and at most the asked number of hits', () => {
    expect(found('   ')).toEqual([]);
    const company = createOrgSearch(makeCompany());
    expect(company('team', 8)).toHaveLength(8);
    expect(company('Department 02.04').map((hit) => hit.unit.manager?.displayName)).toEqual(['Jana Müller']);
  });

  it('adds anyone the directory finds at their unit, after the units and without repeating a manager', () => {
    const byId = new Map(units.map((unit) => [unit.id, unit]));
    const people = [
      { id: '00000000-0000-4000-a000-000000000004', displayName: 'Heinz Mueller', orgUnitId: units[3]!.id },
      { id: '00000000-0000-4000-a000-000000000099', displayName: 'Ute Müller', orgUnitId: units[1]!.id },
      { id: '00000000-0000-4000-a000-000000000098', displayName: 'Ohne Einheit', orgUnitId: null },
    ];
    const hits = withPeople(find('mueller'), people, byId);
    expect(
      hits.map((hit) => (hit.kind === 'person' ? `${hit.person.displayName} @ ${hit.unit.name}` : hit.kind)),
    ).toEqual(['manager', 'manager', 'Ute Müller @ Straßenbau']);
    expect(withPeople(find('mueller'), people, byId, 2)).toHaveLength(2);
  });
});
