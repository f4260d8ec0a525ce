/**
 * The in-memory word index behind search as you type: it follows every write to the cache's
 * people, builds in the background while FTS5 answers, and lists exactly what FTS5 lists.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrgUnit, Person, SyncChange } from '@flurfunk/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CacheDatabase } from '../../../electron/core/cache/database.js';
import { openCacheDatabase } from '../../../electron/core/cache/database.js';
import { DirectoryStore } from '../../../electron/core/directory/directory-store.js';
import { PeopleSearchIndex } from '../../../electron/core/directory/people-search-index.js';
import { compareCodePoints } from '../../../electron/core/directory/people-word-index.js';
import { headOffice, person, plant } from './core-test-data.js';

const unit = (name: string): OrgUnit => ({ id: randomUUID(), name, parentId: null, managerId: null });

let dir: string;
let db: CacheDatabase;
let seq = 1;

/** A change as sync delivers it, before it has a seq and a scope. */
type Change = SyncChange extends infer C ? (C extends SyncChange ? Omit<C, 'seq' | 'scope'> : never) : never;

const sync = (...changes: Change[]) => {
  const store = new DirectoryStore(db, { searchIndex: 'off' });
  db.transaction(() => {
    for (const change of changes)
      store.apply({ ...change, seq: String(seq++), scope: 'company' } as SyncChange);
  })();
};
const upsert = (...people: Person[]) =>
  sync(...people.map((data) => ({ type: 'person.upsert', id: data.id, data }) as const));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flurfunk-people-index-'));
  db = openCacheDatabase(join(dir, 'c.db'), randomBytes(32).toString('hex'));
  sync(...[plant, headOffice].map((data) => ({ type: 'location.upsert', id: data.id, data }) as const));
});

afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

/** The names a store lists for a query, best first. */
const names = (store: DirectoryStore, query: string, extra: { sort?: 'relevance' | 'name' } = {}) =>
  store.listPeople({ query, offset: 0, limit: 100, ...extra }).people.map((entry) => entry.displayName);

describe('the word index', () => {
  it('follows every write to people after it was built: new, renamed, moved, deactivated, deleted', () => {
    const lager = unit('Lager');
    const werkstatt = unit('Werkstatt');
    sync(...[lager, werkstatt].map((data) => ({ type: 'orgUnit.upsert', id: data.id, data }) as const));
    const ines = person('Ines', 'Albrecht', { orgUnitId: lager.id, title: 'Lageristin' });
    const olaf = person('Olaf', 'Berg', { orgUnitId: werkstatt.id, title: 'Schlosser' });
    const timo = person('Timo', 'Czech', { orgUnitId: werkstatt.id, title: 'Schweißer' });
    upsert(ines, olaf, timo);

    const indexed = new DirectoryStore(db, { searchIndex: 'immediate' });
    const fts = new DirectoryStore(db, { searchIndex: 'off' });
    expect(names(indexed, 'lager')).toEqual(['Ines Albrecht']);

    // Renamed (moves in directory order), a newcomer, a deactivation and a unit renamed.
    upsert({ ...person('Ines', 'Zander', { orgUnitId: lager.id, title: 'Lageristin' }), id: ines.id });
    const newcomer = person('Nora', 'Adler', { orgUnitId: lager.id, title: 'Staplerfahrerin' });
    upsert(newcomer, { ...timo, deactivated: true });
    sync({ type: 'orgUnit.upsert', id: werkstatt.id, data: { ...werkstatt, name: 'Instandhaltung' } });

    expect(names(indexed, 'albrecht')).toEqual([]);
    expect(names(indexed, 'zander')).toEqual(['Ines Zander']);
    expect(names(indexed, 'lager')).toEqual(['Nora Adler', 'Ines Zander']);
    expect(names(indexed, 'czech')).toEqual([]);
    expect(names(indexed, 'werkstatt')).toEqual([]);
    expect(names(indexed, 'instandhaltung')).toEqual(['Olaf Berg']);

    sync({ type: 'person.delete', id: olaf.id });
    expect(names(indexed, 'instand')).toEqual([]);
    for (const query of ['a', 'i', 'lager', 'nora', 'z', 'st']) {
      for (const sort of ['relevance', 'name'] as const) {
        expect(names(indexed, query, { sort })).toEqual(names(fts, query, { sort }));
      }
    }
  });

  it('filters by unit and location and places a newcomer in directory order', () => {
    const lager = unit('Lager');
    sync({ type: 'orgUnit.upsert', id: lager.id, data: lager });
    const crowd = ['Kurz', 'Lang', 'Mittel', 'Breit', 'Schmal'].map((lastName, i) =>
      person('Eva', lastName, {
        orgUnitId: i % 2 === 0 ? lager.id : null,
        locationId: i < 3 ? plant.id : headOffice.id,
      }),
    );
    upsert(...crowd);
    const indexed = new DirectoryStore(db, { searchIndex: 'immediate' });
    const list = (filters: { orgUnitId?: string; locationId?: string }) =>
      indexed
        .listPeople({ query: 'eva', offset: 0, limit: 10, ...filters })
        .people.map((entry) => entry.lastName);
    expect(list({})).toEqual(['Breit', 'Kurz', 'Lang', 'Mittel', 'Schmal']);
    expect(list({ orgUnitId: lager.id })).toEqual(['Kurz', 'Mittel', 'Schmal']);
    expect(list({ locationId: plant.id })).toEqual(['Kurz', 'Lang', 'Mittel']);
    expect(list({ orgUnitId: lager.id, locationId: headOffice.id })).toEqual(['Schmal']);

    upsert(person('Eva', 'Hoch', { orgUnitId: lager.id, locationId: plant.id }));
    expect(list({})).toEqual(['Breit', 'Hoch', 'Kurz', 'Lang', 'Mittel', 'Schmal']);
    expect(list({ orgUnitId: lager.id, locationId: plant.id })).toEqual(['Hoch', 'Kurz', 'Mittel']);
  });

  it('is built anew when more people changed than it catches up with (a resync)', () => {
    const crowd = Array.from({ length: 2100 }, (_, i) =>
      person('Anna', `Muster${String(i).padStart(4, '0')}`, { title: 'Beraterin' }),
    );
    upsert(...crowd);
    const indexed = new DirectoryStore(db, { searchIndex: 'immediate' });
    const page = () => indexed.listPeople({ query: 'anna', offset: 0, limit: 5 });
    expect(page()).toMatchObject({ total: 1000, more: true });
    upsert(...crowd.map((p) => ({ ...person('Berta', p.lastName, { title: 'Beraterin' }), id: p.id })));
    expect(page()).toMatchObject({ total: 0, more: false });
    expect(indexed.listPeople({ query: 'berta', offset: 0, limit: 5 }).people.map((p) => p.lastName)).toEqual(
      crowd.slice(0, 5).map((p) => p.lastName),
    );
  });

  it('is built a slice at a time in the background, with nothing to answer until it is ready', async () => {
    upsert(...Array.from({ length: 1200 }, (_, i) => person('Kai', `Teil${i}`)));
    const index = new PeopleSearchIndex(db, 'background');
    expect(index.current()).toBeNull();
    let ticks = 0;
    while (index.current() === null) {
      await new Promise((resolve) => setImmediate(resolve));
      ticks += 1;
      if (ticks > 1000) throw new Error('the index was never built');
    }
    // 1,200 people take three slices of 500.
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(index.current()?.size).toBe(1200);
  });

  it('stops building when the cache closes under it', async () => {
    upsert(...Array.from({ length: 1200 }, (_, i) => person('Kai', `Teil${i}`)));
    const index = new PeopleSearchIndex(db, 'background');
    const logged = vi.spyOn(process.stderr, 'write');
    try {
      expect(index.current()).toBeNull();
      db.close();
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
      // For afterEach, which closes the cache again.
      db = openCacheDatabase(join(dir, 'other.db'), randomBytes(32).toString('hex'));
    }
  });

  it('orders text as SQLite does, code point by code point', () => {
    const texts = ['a', 'ab', 'b', 'Z', 'é', '\uffee', '😀', 'a😀', 'a\uffee', ''];
    const bySqlite = db
      .prepare<[string], string>('SELECT value FROM json_each(?) ORDER BY value COLLATE BINARY')
      .pluck()
      .all(JSON.stringify(texts));
    expect([...texts].sort(compareCodePoints)).toEqual(bySqlite);
  });
});
