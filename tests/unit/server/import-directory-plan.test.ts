import type { PersonMasterData } from '@flurfunk/protocol';
import { describe, expect, it } from 'vitest';
import type { DirectoryState, ExistingPerson } from '../../../server/src/directory/import/directory-state.js';
import { parseImportText } from '../../../server/src/directory/import/import-directory.js';
import {
  type ImportOptions,
  type ImportPlan,
  planImport,
} from '../../../server/src/directory/import/plan-import.js';
import { describeProblem } from '../../../server/src/directory/import/source.js';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ids = {
  gf: uuid(1),
  produktion: uuid(2),
  werkstatt: uuid(3),
  vertriebA: uuid(4),
  vertriebB: uuid(5),
  werk: uuid(10),
  chef: uuid(20),
  paula: uuid(21),
  lena: uuid(22),
  former: uuid(23),
  admin: uuid(24),
};

function person(data: Partial<PersonMasterData> & Pick<PersonMasterData, 'id' | 'username'>, active = true) {
  const firstName = data.firstName ?? '';
  const lastName = data.lastName ?? '';
  return {
    data: {
      firstName,
      lastName,
      displayName: `${firstName} ${lastName}`.trim(),
      title: '',
      orgUnitId: null,
      locationId: null,
      managerId: null,
      email: '',
      phone: '',
      room: '',
      mobile: '',
      privatePhone: '',
      hiredOn: null,
      ...data,
    },
    active,
  } satisfies ExistingPerson;
}

/** A small company: Geschäftsführung > Produktion > Werkstatt, and two units named Vertrieb. */
const state: DirectoryState = {
  orgUnits: [
    { id: ids.gf, name: 'Geschäftsführung', parentId: null, managerId: ids.chef },
    { id: ids.produktion, name: 'Produktion', parentId: ids.gf, managerId: ids.paula },
    { id: ids.werkstatt, name: 'Werkstatt', parentId: ids.produktion, managerId: null },
    { id: ids.vertriebA, name: 'Vertrieb', parentId: ids.gf, managerId: null },
    { id: ids.vertriebB, name: 'vertrieb', parentId: ids.gf, managerId: null },
  ],
  locations: [{ id: ids.werk, name: 'Werk Gütersloh' }],
  people: [
    person({ id: ids.chef, username: 'chef', firstName: 'Clara', lastName: 'Chef', orgUnitId: ids.gf }),
    person({
      id: ids.paula,
      username: 'paula.prod',
      firstName: 'Paula',
      lastName: 'Prod',
      orgUnitId: ids.produktion,
      managerId: ids.chef,
    }),
    person({
      id: ids.lena,
      username: 'lena.weber',
      firstName: 'Lena',
      lastName: 'Weber',
      title: 'Industriemechanikerin',
      orgUnitId: ids.werkstatt,
      locationId: ids.werk,
      managerId: ids.paula,
      privatePhone: '+49 170 5550123',
      hiredOn: '2019-03-01',
    }),
    person({ id: ids.former, username: 'former', firstName: 'Fritz', lastName: 'Former' }, false),
    person({ id: ids.admin, username: 'admin', displayName: 'Administrator' }),
  ],
  adminIds: [ids.admin],
};

function newIds(): () => string {
  let next = 1000;
  return () => uuid((next += 1));
}

function plan(csv: string, options: Partial<ImportOptions> = {}, from = state) {
  const file = parseImportText('csv', Buffer.from(csv));
  return planImport(file, from, { deactivateMissing: false, ...options }, newIds());
}

function planned(csv: string, options: Partial<ImportOptions> = {}, from = state): ImportPlan {
  const result = plan(csv, options, from);
  if ('problems' in result) throw new Error(result.problems.map(describeProblem).join('\n'));
  return result.plan;
}

function problems(csv: string, options: Partial<ImportOptions> = {}): string[] {
  const result = plan(csv, options);
  if (!('problems' in result)) throw new Error('expected the file to be refused');
  return result.problems.map(describeProblem);
}

const header = 'username;first_name;last_name;department;manages;location;manager;email;hired_on;status';

describe('import plan', () => {
  it('creates people, the units of their paths with heads, and locations', () => {
    const result = planned(
      `${header}\n` +
        'Anna.Neu;Anna;Neu;Geschäftsführung / IT / Plattform;Geschäftsführung / IT / Plattform;Homeoffice;chef;anna@example.com;01.03.2024;\n' +
        'bernd.neu;Bernd;Neu;geschäftsführung / it / plattform;;werk gütersloh;anna.neu;;2023-2-1;aktiv\n',
    );
    const [it_, plattform] = result.orgUnits;
    expect(result.orgUnits).toEqual([
      { id: it_?.id, name: 'IT', parentId: ids.gf, managerId: null },
      { id: plattform?.id, name: 'Plattform', parentId: it_?.id, managerId: result.people[0]?.id },
    ]);
    expect(result.locations).toEqual([
      { id: expect.any(String), name: 'Homeoffice', kind: 'other', address: '' },
    ]);
    expect(result.people).toEqual([
      {
        id: expect.any(String),
        username: 'anna.neu',
        firstName: 'Anna',
        lastName: 'Neu',
        displayName: 'Anna Neu',
        title: '',
        orgUnitId: plattform?.id,
        locationId: result.locations[0]?.id,
        managerId: ids.chef,
        email: 'anna@example.com',
        phone: '',
        room: '',
        mobile: '',
        privatePhone: '',
        hiredOn: '2024-03-01',
      },
      expect.objectContaining({
        username: 'bernd.neu',
        orgUnitId: plattform?.id,
        locationId: ids.werk,
        managerId: result.people[0]?.id,
        hiredOn: '2023-02-01',
      }),
    ]);
    expect(result.accountIds).toEqual(result.people.map((p) => p.id));
    expect(result.summary).toMatchObject({
      created: 2,
      updated: 0,
      unchanged: 0,
      unitsCreated: ['Geschäftsführung / IT', 'Geschäftsführung / IT / Plattform'],
      locationsCreated: ['Homeoffice'],
    });
  });

  it('changes nothing for a row that says what the directory holds, and keeps what the file leaves out', () => {
    const result = planned(
      'username;first_name;last_name;department;manager;hired_on\n' +
        'lena.weber;Lena;Weber;Geschäftsführung / Produktion / Werkstatt;paula.prod;01.03.2019\n',
    );
    expect(result.people).toEqual([]);
    expect(result.orgUnits).toEqual([]);
    expect(result.summary).toMatchObject({ created: 0, updated: 0, unchanged: 1, unitHeadsChanged: 0 });
  });

  it('updates only what changed; an empty cell clears a field', () => {
    const result = planned('username;first_name;last_name;title;private_phone\nlena.weber;Lena;Schmidt;;\n');
    expect(result.people).toEqual([
      {
        ...state.people[2]?.data,
        lastName: 'Schmidt',
        displayName: 'Lena Schmidt',
        title: '',
        privatePhone: '',
      },
    ]);
    expect(result.summary).toMatchObject({ updated: 1, unchanged: 0 });
  });

  it('keeps a display name an admin chose when the file has no display_name column', () => {
    const result = planned('username;first_name;last_name\nadmin;;\n');
    expect(result.summary).toMatchObject({ unchanged: 1 });
  });

  it('deactivates inactive rows, reactivates active ones, and removes a deactivated head', () => {
    const result = planned(
      'username;first_name;last_name;status\npaula.prod;Paula;Prod;inaktiv\nformer;Fritz;Former;active\nlena.weber;Lena;Weber;\n',
    );
    expect(result.deactivate).toEqual([ids.paula]);
    expect(result.reactivate).toEqual([ids.former]);
    expect(result.orgUnits).toEqual([{ ...state.orgUnits[1], managerId: null }]);
    expect(result.summary).toMatchObject({
      deactivated: 1,
      reactivated: 1,
      unchanged: 1,
      unitHeadsChanged: 1,
    });
  });

  it('moves the head of a unit to whoever the manages column names', () => {
    const result = planned(
      'username;first_name;last_name;manages\n' +
        'paula.prod;Paula;Prod;\n' +
        'lena.weber;Lena;Weber;Geschäftsführung / Produktion / Werkstatt\n',
    );
    expect(result.orgUnits).toEqual([
      { ...state.orgUnits[1], managerId: null },
      { ...state.orgUnits[2], managerId: ids.lena },
    ]);
  });

  it('with --deactivate-missing deactivates every active person not in the file', () => {
    const result = planned('username;first_name;last_name\nadmin;;\nlena.weber;Lena;Weber\n', {
      deactivateMissing: true,
    });
    expect(result.deactivate).toEqual([ids.chef, ids.paula]);
    expect(result.summary).toMatchObject({ deactivated: 2, deactivatedMissing: ['chef', 'paula.prod'] });
    // Both heads leave their units.
    expect(result.orgUnits.map((unit) => unit.managerId)).toEqual([null, null]);
  });

  it('names the line and column of every problem, in file order', () => {
    expect(
      problems(
        `${header}\n` +
          'a;A;A;;;;b;a@;31.02.2024;vielleicht\n' + // 2
          'b;B;B;;;;a;;;inaktiv\n' + // 3
          'a;A2;A2;;;;;;;\n' + // 4
          'c;C;C;;;;c;;;\n' + // 5
          'd;D;D;;;;nobody;;;\n' + // 6
          'e;E;E;;;;former;;;\n' + // 7
          `f;${'F'.repeat(101)};F;;;;;;;\n` + // 8
          ';G;G;;;;;;;\n' + // 9
          'h h;H;H;;;;;;;\n' + // 10
          'i;;;;;;;;;\n' + // 11
          'j;J;J;;Geschäftsführung / Vertrieb;;;;;\n' + // 12
          'k;K;K;Geschäftsführung //  / X;;;;;;\n' + // 13
          'l;L;L;;Geschäftsführung;;;;;inaktiv\n' + // 14
          'm;M;M;;Geschäftsführung;;;;;\n' + // 15
          'n;N;N;;Geschäftsführung;;;;;\n', // 16
      ),
    ).toEqual([
      'line 2, column "email": "a@" is not an e-mail address',
      'line 2, column "hired_on": "31.02.2024" is not a date (write YYYY-MM-DD or DD.MM.YYYY)',
      'line 2, column "status": "vielleicht" is not a status (write active or inactive; aktiv or inaktiv)',
      'line 2, column "manager": "b" is inactive in this file (line 3)',
      'line 4, column "username": "a" is in the file twice (also at line 2)',
      'line 5, column "manager": "c" cannot be their own manager',
      'line 6, column "manager": "nobody" is neither in this file nor in the directory',
      'line 7, column "manager": "former" is deactivated',
      'line 8, column "first_name": is too long (at most 100 characters)',
      'line 9, column "username": is empty: every row needs a username',
      'line 10, column "username": "h h" contains a space or control character',
      'line 11: has no name: fill in first_name and last_name, or display_name',
      'line 12, column "manages": "Vertrieb" is ambiguous: 2 org units of that name are below "Geschäftsführung" (rename one with the admin API)',
      'line 13, column "department": "Geschäftsführung //  / X" has an empty unit name (separate units with " / ", e.g. "Produktion / Werkstatt")',
      'line 14, column "manages": an inactive person cannot head an org unit',
      'line 16, column "manages": "Geschäftsführung" is already headed by "m" (line 15)',
    ]);
  });

  it('finds cycles of managers, also through people already in the directory', () => {
    expect(
      problems(
        'username;first_name;last_name;manager\nx;X;X;y\ny;Y;Y;z\nz;Z;Z;x\nchef;Clara;Chef;lena.weber\n',
      ),
    ).toEqual([
      'line 2, column "manager": managers form a cycle: "x" → "y" → "z" → "x" (the arrow points to the manager)',
      'line 5, column "manager": managers form a cycle: "chef" → "lena.weber" → "paula.prod" → "chef" (the arrow points to the manager)',
    ]);
  });

  it('refuses a manager that --deactivate-missing would deactivate, and deactivating every admin', () => {
    expect(
      problems('username;first_name;last_name;manager\nlena.weber;Lena;Weber;paula.prod\n', {
        deactivateMissing: true,
      }),
    ).toEqual([
      'line 2, column "manager": "paula.prod" is not in this file, so --deactivate-missing would deactivate them',
      'the import would deactivate every admin (admin); keep at least one of them active (add them to the file: --deactivate-missing deactivates everyone not in it)',
    ]);
    expect(problems('username;status\nadmin;inaktiv\n')).toEqual([
      'the import would deactivate every admin (admin); keep at least one of them active',
    ]);
  });

  it('creates org units the JSON file lists without people', () => {
    const file = parseImportText(
      'json',
      Buffer.from(
        JSON.stringify({ people: [], orgUnits: [{ path: 'Geschäftsführung / Neu' }, { path: '' }] }),
      ),
    );
    const result = planImport(file, state, { deactivateMissing: false }, newIds());
    expect('problems' in result && result.problems.map(describeProblem)).toEqual([
      'orgUnits[1].path: is empty',
    ]);
    const valid = planImport(
      parseImportText(
        'json',
        Buffer.from(JSON.stringify({ people: [], orgUnits: [{ path: 'Geschäftsführung / Neu' }] })),
      ),
      state,
      { deactivateMissing: false },
      newIds(),
    );
    expect('plan' in valid && valid.plan.orgUnits).toEqual([
      { id: expect.any(String), name: 'Neu', parentId: ids.gf, managerId: null },
    ]);
  });

  it('names JSON paths in problems found when checking the people', () => {
    const file = parseImportText(
      'json',
      Buffer.from(
        JSON.stringify({ people: [{ username: 'x', firstName: 'X', hiredOn: '31.02.2024', manager: 'x' }] }),
      ),
    );
    const result = planImport(file, state, { deactivateMissing: false }, newIds());
    expect('problems' in result && result.problems.map(describeProblem)).toEqual([
      'people[0].hiredOn: "31.02.2024" is not a date (write YYYY-MM-DD or DD.MM.YYYY)',
      'people[0].manager: "x" cannot be their own manager',
    ]);
  });
});

describe('import plan of a large file', () => {
  it('checks 10 000 rows in seconds', () => {
    const lines = ['username;first_name;last_name;department;manages;manager;email;hired_on'];
    for (let i = 0; i < 10_000; i++) {
      const team = `Geschäftsführung / Bereich ${i % 10} / Team ${i % 100}`;
      const head = i < 100;
      lines.push(
        `user${i};Vor${i};Nach${i};${team};${head ? team : ''};${head ? 'chef' : `user${i % 100}`};user${i}@example.com;01.02.2020`,
      );
    }
    const started = performance.now();
    const result = planned(`${lines.join('\n')}\n`);
    expect(result.summary).toMatchObject({ created: 10_000 });
    expect(result.orgUnits).toHaveLength(110);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
