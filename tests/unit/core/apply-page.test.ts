import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncPage } from '@flurfunk/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CacheDatabase } from '../../../electron/core/cache/database.js';
import { openCacheDatabase } from '../../../electron/core/cache/database.js';
import { DirectoryStore } from '../../../electron/core/directory/directory-store.js';
import { SyncLogReplacedError } from '../../../electron/core/errors.js';
import { applySyncPage } from '../../../electron/core/sync/apply-page.js';
import { readCursor, readEpoch, readLastSyncedAt } from '../../../electron/core/sync/sync-state.js';
import { changesFor, klaus, lena, people, upsertAll } from './core-test-data.js';

const epoch = 'log-2025-01';
let dir: string;
let db: CacheDatabase;
let store: DirectoryStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flurfunk-sync-'));
  db = openCacheDatabase(join(dir, 'c.db'), randomBytes(32).toString('hex'));
  store = new DirectoryStore(db);
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

const everyone = (): number => store.listPeople({ query: '', offset: 0, limit: 100 }).total;

describe('applySyncPage', () => {
  it('stores the changes with the cursor and, on the last page, the sync time', () => {
    const changes = changesFor(upsertAll());
    applySyncPage(
      db,
      store,
      { epoch, changes, cursor: String(changes.length), hasMore: false },
      '2025-01-01T00:00:00.000Z',
    );
    expect(everyone()).toBe(people.length);
    expect(readCursor(db)).toBe(String(changes.length));
    expect(readEpoch(db)).toBe(epoch);
    expect(readLastSyncedAt(db)).toBe('2025-01-01T00:00:00.000Z');
  });

  it('refuses a page of another change log and applies nothing of it', () => {
    const first = changesFor(upsertAll().slice(0, 5));
    applySyncPage(db, store, { epoch, changes: first, cursor: '5', hasMore: true }, null);
    const other: SyncPage = {
      epoch: 'log-after-restore',
      changes: changesFor(upsertAll().slice(5), 6),
      cursor: '10',
      hasMore: false,
    };
    expect(() => applySyncPage(db, store, other, 'x')).toThrow(SyncLogReplacedError);
    expect(everyone()).toBe(1);
    expect(readCursor(db)).toBe('5');
    expect(readEpoch(db)).toBe(epoch);
  });

  it('leaves the cache as it was when a change fails halfway through the page', () => {
    const first = changesFor(upsertAll().slice(0, 5));
    applySyncPage(db, store, { epoch, changes: first, cursor: '5', hasMore: true }, null);
    // Simulates a write failing on the page's last change (disk full, constraint, bug).
    db.exec(`CREATE TRIGGER fail_on_klaus BEFORE INSERT ON people WHEN NEW.id = '${klaus.id}'
             BEGIN SELECT RAISE(ABORT, 'write failed'); END`);
    const rest = changesFor(upsertAll().slice(5), 6);
    expect(rest.at(-1)?.id).toBe(klaus.id);

    expect(() =>
      applySyncPage(db, store, { epoch, changes: rest, cursor: '10', hasMore: false }, 'x'),
    ).toThrow(/write failed/);
    expect(readCursor(db)).toBe('5');
    expect(everyone()).toBe(1);
    expect(store.getPerson(lena.id)).not.toBeNull();
    expect(readLastSyncedAt(db)).toBeNull();
  });

  it.each<[string, (page: SyncPage) => SyncPage]>([
    ['changes not in ascending order', (page) => ({ ...page, changes: [...page.changes].reverse() })],
    ['a change at or before the stored cursor', (page) => ({ ...page, changes: changesFor(upsertAll(), 0) })],
    ['a cursor behind its changes', (page) => ({ ...page, cursor: '2' })],
    [
      'more to come but a cursor that does not move',
      () => ({ epoch, changes: [], cursor: '0', hasMore: true }),
    ],
  ])('refuses a page with %s and applies nothing', (_problem, spoil) => {
    const good: SyncPage = { epoch, changes: changesFor(upsertAll()), cursor: '10', hasMore: false };
    expect(() => applySyncPage(db, store, spoil(good), null)).toThrow(
      expect.objectContaining({ code: 'server_error' }),
    );
    expect(everyone()).toBe(0);
    expect(readCursor(db)).toBe('0');
  });
});
