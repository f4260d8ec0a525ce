import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directorySortKey } from '@flurfunk/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheDatabase } from '../../../electron/core/cache/database.js';
import { openCacheDatabase } from '../../../electron/core/cache/database.js';
import { DirectoryStore } from '../../../electron/core/directory/directory-store.js';
import {
  anna,
  communications,
  jonas,
  juergen,
  klaus,
  lena,
  oezlem,
  people,
  person,
  upsertAll,
  workshop,
} from './core-test-data.js';

let dir: string;
let db: CacheDatabase;
let store: DirectoryStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flurfunk-directory-'));
  db = openCacheDatabase(join(dir, 'c.db'), randomBytes(32).toString('hex'));
  store = new DirectoryStore(db);
  // People first, their units and locations later: the order the change log may use.
  const changes = upsertAll();
  db.transaction(() => {
    for (const change of [...changes.slice(4), ...changes.slice(0, 4)])
      store.apply({ ...change, seq: '1' } as never);
  })();
});

afterAll(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

const names = (query: string): string[] =>
  store.listPeople({ query, offset: 0, limit: 50 }).people.map((entry) => entry.displayName);

describe('listPeople', () => {
  it('lists everyone by last name, first name, with unit and location names', () => {
    const page = store.listPeople({ query: '', offset: 0, limit: 50 });
    expect(page.total).toBe(people.length);
    expect(page.people.map((entry) => entry.displayName)).toEqual([
      'Jonas Becker',
      'Anna Müller',
      'Jürgen Müller',
      'Özlem Öztürk',
      'Lena Weber',
      'Klaus Weiß',
    ]);
    const { photo: _photo, ...listed } = jonas;
    expect(page.people[0]).toMatchObject({
      ...listed,
      photoFileId: null,
      orgUnitName: 'Interne Kommunikation',
      locationName: 'Zentrale Stuttgart',
    });
  });

  it('pages with offset and limit and reports the total', () => {
    const page = store.listPeople({ query: '', offset: 2, limit: 2 });
    expect(page.people.map((entry) => entry.displayName)).toEqual(['Jürgen Müller', 'Özlem Öztürk']);
    expect(page.total).toBe(people.length);
  });

  it('finds people by prefixes of name, title, department, location, phone and email', () => {
    expect(names('web')).toEqual(['Lena Weber']);
    expect(names('becker kommu')).toEqual(['Jonas Becker']);
    expect(names('industriemech')).toEqual(['Lena Weber']);
    expect(names('stuttgart')).toEqual(['Jonas Becker']);
    expect(names('555-123')).toEqual(['Lena Weber']);
    expect(names('jonas.becker@example')).toEqual(['Jonas Becker']);
    expect(store.listPeople({ query: 'werkstatt', offset: 0, limit: 2 }).total).toBe(5);
  });

  it('ignores case and accents and understands spelled-out umlauts', () => {
    for (const query of ['müller', 'MÜLLER', 'muller', 'mueller', 'Mu\u0308ller']) {
      expect(names(query), query).toEqual(['Anna Müller', 'Jürgen Müller']);
    }
    expect(names('jurgen')).toEqual(['Jürgen Müller']);
    expect(names('oeztuerk')).toEqual(['Özlem Öztürk']);
    expect(names('weiss')).toEqual(['Klaus Weiß']);
  });

  it('understands spelled-out umlauts in titles, units and locations too', () => {
    expect(names('qualitaetspruefung')).toEqual(['Jürgen Müller']);
    expect(names('qualitatsprufung')).toEqual(['Jürgen Müller']);
    expect(names('meister muel')).toEqual(['Jürgen Müller']);
  });

  it('never fails on hostile input', { timeout: 30_000 }, () => {
    for (const query of [
      '"',
      '*',
      'OR',
      'AND NOT',
      'NEAR(',
      '"weber" OR "x',
      'name:lena',
      '^lena',
      '-',
      '()',
      '\u0301',
    ]) {
      expect(() => names(query), query).not.toThrow();
    }
    expect(names('"weber')).toEqual(['Lena Weber']);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (query) => {
        const page = store.listPeople({ query, offset: 0, limit: 5 });
        expect(page.people.length).toBeLessThanOrEqual(5);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (query) => {
        store.listPeople({ query, offset: 0, limit: 5 });
      }),
      { numRuns: 500 },
    );
  });
});

describe('keeping search in step with changes', () => {
  it('finds people under the new name of their unit and forgets deleted people', () => {
    db.transaction(() => {
      store.apply({
        type: 'orgUnit.upsert',
        seq: '2',
        id: workshop.id,
        scope: 'company',
        data: { ...workshop, name: 'Instandhaltung' },
      });
      store.apply({
        type: 'person.upsert',
        seq: '3',
        id: klaus.id,
        scope: 'company',
        data: { ...klaus, title: 'Staplerfahrer' },
      });
      store.apply({ type: 'person.delete', seq: '4', id: oezlem.id, scope: 'company' });
    })();
    expect(names('werkstatt')).toEqual([]);
    expect(names('instandhaltung')).toEqual(['Anna Müller', 'Jürgen Müller', 'Lena Weber', 'Klaus Weiß']);
    expect(names('stapler')).toEqual(['Klaus Weiß']);
    expect(names('lagerist')).toEqual([]);
    expect(names('öztürk')).toEqual([]);
    expect(store.getPerson(oezlem.id)).toBeNull();
  });

  it('shows people of a deleted unit without a department', () => {
    db.transaction(() =>
      store.apply({ type: 'orgUnit.delete', seq: '5', id: communications.id, scope: 'company' }),
    )();
    expect(store.getPerson(jonas.id)).toMatchObject({ orgUnitName: null, orgUnitId: communications.id });
    expect(names('kommunikation')).toEqual([]);
  });
});

describe('getPerson', () => {
  it('returns one entry with names resolved', () => {
    expect(store.getPerson(lena.id)).toMatchObject({
      displayName: 'Lena Weber',
      locationName: 'Werk Heilbronn',
    });
    expect(store.getPerson(anna.id)?.lastName).toBe('Müller');
    expect(store.getPerson(juergen.id)?.firstName).toBe('Jürgen');
  });
});

describe('the directory order', () => {
  it('is the protocol sort key compared byte-wise, the same order the server uses', async () => {
    const orderDir = await mkdtemp(join(tmpdir(), 'flurfunk-order-'));
    const orderDb = openCacheDatabase(join(orderDir, 'c.db'), randomBytes(32).toString('hex'));
    try {
      const ordered = new DirectoryStore(orderDb);
      const reception = person('', '', { displayName: 'Empfang Werk' });
      const team = [
        person('Sven', 'Strauß'),
        person('Olaf', 'Oberle'),
        person('Ida', 'de Vries'),
        reception,
        person('Emre', 'Ölmez'),
        person('Jan', 'Deutsch'),
        person('Anke', 'Strausberg'),
        person('Björn', 'Strauss'),
      ];
      orderDb.transaction(() => {
        team.forEach((member, index) =>
          ordered.apply({
            type: 'person.upsert',
            seq: String(index + 1),
            id: member.id,
            scope: 'company',
            data: member,
          }),
        );
      })();
      const listed = ordered.listPeople({ query: '', offset: 0, limit: 50 }).people;

      const expected = [...team].sort(
        (a, b) =>
          Buffer.compare(Buffer.from(directorySortKey(a)), Buffer.from(directorySortKey(b))) ||
          (a.id < b.id ? -1 : 1),
      );
      expect(listed.map((entry) => entry.id)).toEqual(expected.map((member) => member.id));
      expect(listed.map((entry) => entry.displayName)).toEqual([
        'Ida de Vries',
        'Jan Deutsch',
        'Empfang Werk',
        'Olaf Oberle',
        'Emre Ölmez',
        'Anke Strausberg',
        'Björn Strauss',
        'Sven Strauß',
      ]);
    } finally {
      orderDb.close();
      await rm(orderDir, { recursive: true, force: true });
    }
  });
});
