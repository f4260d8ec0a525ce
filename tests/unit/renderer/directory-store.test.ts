// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { directoryPageSize, noFilters, useDirectoryStore } from '@/stores/directory.js';
import { installFakeHost, makePerson } from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';

let host: FakeHost;

beforeEach(() => {
  host = installFakeHost(250);
  setActivePinia(createPinia());
});

afterEach(() => {
  delete window.flurfunk;
});

const offsets = () => host.listPeopleCalls.map((call) => call.offset);

describe('directory store', () => {
  it('loads the first page of ~100 and knows the total without fetching the rest', async () => {
    const directory = useDirectoryStore();
    await directory.search('');
    expect(directory.total).toBe(250);
    expect(directory.personAt(0)?.displayName).toBe('Person 0000');
    expect(directory.personAt(directoryPageSize - 1)?.displayName).toBe('Person 0099');
    expect(directory.personAt(directoryPageSize)).toBeUndefined();
    expect(host.listPeopleCalls).toEqual([{ query: '', offset: 0, limit: directoryPageSize, ...noFilters }]);
  });

  it('fetches only the pages behind the visible rows, each once', async () => {
    const directory = useDirectoryStore();
    await directory.search('');
    await directory.ensureRange(210, 230);
    expect(offsets()).toEqual([0, 200]);
    expect(directory.personAt(220)?.displayName).toBe('Person 0220');
    expect(directory.personAt(150)).toBeUndefined();

    await directory.ensureRange(95, 105);
    await directory.ensureRange(0, 20);
    await directory.ensureRange(205, 249);
    expect(offsets()).toEqual([0, 200, 100]);
    expect(directory.personAt(105)?.displayName).toBe('Person 0105');
  });

  it('never asks for a page past the end', async () => {
    const directory = useDirectoryStore();
    await directory.search('');
    await directory.ensureRange(240, 400);
    expect(offsets()).toEqual([0, 200]);
  });

  it('does not fetch a page twice while it is on its way', async () => {
    const directory = useDirectoryStore();
    await directory.search('');
    const held = host.holdListPeople();
    const first = directory.ensureRange(120, 130);
    const second = directory.ensureRange(125, 135);
    expect(directory.loading).toBe(true);
    held.release();
    await Promise.all([first, second]);
    expect(offsets()).toEqual([0, 100]);
    expect(directory.loading).toBe(false);
  });

  it('starts over for a new query and ignores answers to the old one', async () => {
    const directory = useDirectoryStore();
    await directory.search('');
    const held = host.holdListPeople();
    const stale = directory.ensureRange(150, 160);
    const fresh = directory.search('Person 02');
    held.release();
    await Promise.all([stale, fresh]);
    expect(directory.query).toBe('Person 02');
    expect(directory.total).toBe(50);
    expect(directory.personAt(0)?.displayName).toBe('Person 0200');
    expect(directory.personAt(150)).toBeUndefined();
    expect(host.listPeopleCalls.at(-1)).toEqual({
      query: 'Person 02',
      offset: 0,
      limit: directoryPageSize,
      ...noFilters,
    });
  });

  it('shows an empty result as a total of zero', async () => {
    const directory = useDirectoryStore();
    await directory.search('nobody by that name');
    expect(directory.total).toBe(0);
    expect(directory.personAt(0)).toBeUndefined();
  });

  it('refetches what is on screen when the core says the directory changed', async () => {
    const directory = useDirectoryStore();
    const stop = directory.listen();
    await directory.search('');
    await directory.ensureRange(100, 110);
    host.people.unshift({ ...makePerson(999), displayName: 'Aaron Neu' });
    host.emit('dataChanged', { changes: [{ entity: 'person', ids: [makePerson(999).id] }] });
    await flushPromises();
    expect(directory.total).toBe(251);
    expect(directory.personAt(100)?.displayName).toBe('Person 0099');
    // Rows off screen were dropped, not kept stale: scrolling back fetches them fresh.
    expect(directory.personAt(0)).toBeUndefined();
    await directory.ensureRange(0, 10);
    expect(directory.personAt(0)?.displayName).toBe('Aaron Neu');
    stop();
  });

  it('does not refetch when sync changed only other features', async () => {
    const directory = useDirectoryStore();
    const stop = directory.listen();
    await directory.search('');
    host.emit('dataChanged', { changes: [{ entity: 'message', ids: null }] });
    await flushPromises();
    expect(offsets()).toEqual([0]);
    stop();
  });

  it('ignores a malformed dataChanged event', async () => {
    const directory = useDirectoryStore();
    const stop = directory.listen();
    await directory.search('');
    host.emit('dataChanged', { unexpected: true } as never);
    await flushPromises();
    expect(offsets()).toEqual([0]);
    stop();
  });

  it('keeps a typed error when the core fails, and recovers on retry', async () => {
    const directory = useDirectoryStore();
    const listPeople = host.api.listPeople;
    host.api.listPeople = async () => ({
      ok: false,
      error: { code: 'not_signed_in', message: 'sign in first' },
    });
    await directory.search('');
    expect(directory.error?.code).toBe('not_signed_in');
    expect(directory.total).toBeNull();
    host.api.listPeople = listPeople;
    await directory.refresh();
    expect(directory.error).toBeNull();
    expect(directory.total).toBe(250);
  });

  it('asks with the filters and starts over at the top when they change', async () => {
    const directory = useDirectoryStore();
    await directory.search('');
    await directory.ensureRange(210, 230);
    const unit = '01900000-0000-7000-8000-000000000001';
    await directory.filter({ orgUnitId: unit, includeSubUnits: false, sort: 'department' });
    expect(host.listPeopleCalls.at(-1)).toEqual({
      query: '',
      offset: 0,
      limit: directoryPageSize,
      orgUnitId: unit,
      includeSubUnits: false,
      locationId: null,
      sort: 'department',
    });
    await directory.search('Person 01');
    expect(host.listPeopleCalls.at(-1)).toMatchObject({
      query: 'Person 01',
      orgUnitId: unit,
      sort: 'department',
    });
  });
});
