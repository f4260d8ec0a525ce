import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatMessage, Conversation, SyncChange, SyncPage } from '@flurfunk/protocol';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CacheDatabase } from '../../../electron/core/cache/database.js';
import { openCacheDatabase } from '../../../electron/core/cache/database.js';
import { SyncLogReplacedError } from '../../../electron/core/errors.js';
import { type PageRequest, applySyncPage } from '../../../electron/core/sync/apply-page.js';
import {
  beginResync,
  isResyncing,
  readBackfills,
  readCursor,
  readEpoch,
  readKnownScopes,
  readLastSyncedAt,
} from '../../../electron/core/sync/sync-state.js';
import { changesFor, klaus, lena, people, upsertAll } from './core-test-data.js';
import { syncStoresFor } from './sync-test-stores.js';

const epoch = 'log-2025-01';
const company = ['company'];
let dir: string;
let db: CacheDatabase;
let stores: ReturnType<typeof syncStoresFor>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flurfunk-sync-'));
  db = openCacheDatabase(join(dir, 'c.db'), randomBytes(32).toString('hex'));
  stores = syncStoresFor(db);
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

const everyone = (): number => stores.directory.listPeople({ query: '', offset: 0, limit: 100 }).total;
const main = (): PageRequest => ({ kind: 'main', after: readCursor(db) });
const apply = (page: SyncPage, request: PageRequest = main(), syncedAt: string | null = null) =>
  applySyncPage(db, stores.stores, page, request, syncedAt);

function conversation(scope: string): Conversation {
  const id = uuidv7();
  return {
    id,
    kind: scope.startsWith('chat:') ? 'group' : 'channel',
    title: `Chat in ${scope}`,
    audience: scope.startsWith('chat:') ? `chat:${id}` : scope,
    memberIds: [],
    adminIds: [],
    readOnly: false,
    picture: null,
    createdAt: '2025-01-01T08:00:00.000000Z',
  };
}

function message(conversationId: string, body: string, createdAt = new Date().toISOString()): ChatMessage {
  return {
    id: uuidv7(),
    conversationId,
    authorId: lena.id,
    body,
    replyToId: null,
    forwarded: false,
    attachments: [],
    reactions: [],
    createdAt,
    editedAt: null,
    deletedAt: null,
  };
}

/** A conversation and one message in it, as the change log delivers them. */
function chatChanges(c: Conversation, seq: number, body = 'Hallo'): SyncChange[] {
  return [
    { seq: String(seq), id: c.id, scope: c.audience, type: 'conversation.upsert', data: c },
    {
      seq: String(seq + 1),
      id: uuidv7(),
      scope: c.audience,
      type: 'message.upsert',
      data: message(c.id, body),
    },
  ].map((change) =>
    change.type === 'message.upsert' ? { ...change, id: change.data.id } : change,
  ) as SyncChange[];
}

describe('applySyncPage', () => {
  it('stores the changes with the cursor, the scopes and, on the last page, the sync time', () => {
    const changes = changesFor(upsertAll());
    const applied = apply(
      { epoch, scopes: company, changes, cursor: String(changes.length), hasMore: false },
      main(),
      '2025-01-01T00:00:00.000Z',
    );
    expect(everyone()).toBe(people.length);
    expect(readCursor(db)).toBe(String(changes.length));
    expect(readEpoch(db)).toBe(epoch);
    expect(readKnownScopes(db)).toEqual(new Set(company));
    expect(readLastSyncedAt(db)).toBe('2025-01-01T00:00:00.000Z');
    expect(applied.toEvent().changes).toContainEqual({
      entity: 'person',
      ids: expect.arrayContaining([lena.id]),
    });
  });

  it('refuses a page of another change log and applies nothing of it', () => {
    apply({
      epoch,
      scopes: company,
      changes: changesFor(upsertAll().slice(0, 5)),
      cursor: '5',
      hasMore: true,
    });
    const other: SyncPage = {
      epoch: 'log-after-restore',
      scopes: company,
      changes: changesFor(upsertAll().slice(5), 6),
      cursor: '10',
      hasMore: false,
    };
    expect(() => apply(other)).toThrow(SyncLogReplacedError);
    expect(everyone()).toBe(1);
    expect(readCursor(db)).toBe('5');
    expect(readEpoch(db)).toBe(epoch);
  });

  it('leaves the cache as it was when a change fails halfway through the page', () => {
    apply({
      epoch,
      scopes: company,
      changes: changesFor(upsertAll().slice(0, 5)),
      cursor: '5',
      hasMore: true,
    });
    // Simulates a write failing on the page's last change (disk full, constraint, bug).
    db.exec(`CREATE TRIGGER fail_on_klaus BEFORE INSERT ON people WHEN NEW.id = '${klaus.id}'
             BEGIN SELECT RAISE(ABORT, 'write failed'); END`);
    const rest = changesFor(upsertAll().slice(5), 6);
    expect(rest.at(-1)?.id).toBe(klaus.id);

    expect(() =>
      apply({ epoch, scopes: company, changes: rest, cursor: '10', hasMore: false }, main(), 'x'),
    ).toThrow(/write failed/);
    expect(readCursor(db)).toBe('5');
    expect(everyone()).toBe(1);
    expect(stores.directory.getPerson(lena.id)).not.toBeNull();
    expect(readLastSyncedAt(db)).toBeNull();
  });

  it.each<[string, (page: SyncPage) => SyncPage]>([
    ['changes not in ascending order', (page) => ({ ...page, changes: [...page.changes].reverse() })],
    ['a change at or before the stored cursor', (page) => ({ ...page, changes: changesFor(upsertAll(), 0) })],
    ['a cursor behind its changes', (page) => ({ ...page, cursor: '2' })],
    [
      'more to come but a cursor that does not move',
      () => ({ epoch, scopes: company, changes: [], cursor: '0', hasMore: true }),
    ],
    ['a change in a scope the page does not list', (page) => ({ ...page, scopes: ['role:editor'] })],
  ])('refuses a page with %s and applies nothing', (_problem, spoil) => {
    const good: SyncPage = {
      epoch,
      scopes: company,
      changes: changesFor(upsertAll()),
      cursor: '10',
      hasMore: false,
    };
    expect(() => apply(spoil(good))).toThrow(expect.objectContaining({ code: 'server_error' }));
    expect(everyone()).toBe(0);
    expect(readCursor(db)).toBe('0');
    expect(readKnownScopes(db).size).toBe(0);
  });
});

describe('scopes', () => {
  const group = conversation('chat:placeholder');
  const team = conversation('orgUnitTree:0190a5c4-8f3e-7b21-9c4d-2e6f1a3b5c7d');

  it('purges everything of a scope the server no longer lists, and nothing else', () => {
    const scopes = ['company', group.audience, team.audience];
    apply({
      epoch,
      scopes,
      changes: [...chatChanges(group, 1), ...chatChanges(team, 3)],
      cursor: '4',
      hasMore: false,
    });
    expect(
      stores.chat
        .listConversations()
        .map((c) => c.id)
        .sort(),
    ).toEqual([group.id, team.id].sort());

    const purged = apply({
      epoch,
      scopes: ['company', team.audience],
      changes: [],
      cursor: '4',
      hasMore: false,
    });
    expect(stores.chat.listConversations().map((c) => c.id)).toEqual([team.id]);
    expect(stores.chat.listMessages(group.id, 50)).toEqual([]);
    expect(stores.chat.listMessages(team.id, 50)).toHaveLength(1);
    expect(purged.idsOf('conversation')).toEqual([group.id]);
    expect(readKnownScopes(db)).toEqual(new Set(['company', team.audience]));
  });

  it('asks for a backfill of a scope gained after the first page, up to the cursor it had', () => {
    apply({ epoch, scopes: company, changes: changesFor(upsertAll()), cursor: '10', hasMore: false });
    apply({
      epoch,
      scopes: [...company, group.audience],
      changes: chatChanges(group, 11),
      cursor: '12',
      hasMore: false,
    });
    expect(readBackfills(db)).toEqual([{ scope: group.audience, after: '0', until: '10' }]);

    const older = message(group.id, 'Was vorher geschah', '2024-12-31T23:59:00.000000Z');
    const backfill: PageRequest = { kind: 'backfill', scope: group.audience, after: '0', until: '10' };
    apply(
      {
        epoch,
        scopes: [...company, group.audience],
        changes: [{ seq: '7', id: older.id, scope: group.audience, type: 'message.upsert', data: older }],
        cursor: '7',
        hasMore: false,
      },
      backfill,
    );
    expect(readBackfills(db)).toEqual([]);
    expect(readCursor(db)).toBe('12');
    expect(stores.chat.listMessages(group.id, 50).map((m) => m.body)).toEqual([
      'Was vorher geschah',
      'Hallo',
    ]);
  });

  it('needs no backfill for the scopes of the very first page', () => {
    apply({
      epoch,
      scopes: [...company, group.audience],
      changes: chatChanges(group, 1),
      cursor: '2',
      hasMore: false,
    });
    expect(readBackfills(db)).toEqual([]);
  });

  it('refuses a backfill page with changes outside its scope or past its end', () => {
    apply({ epoch, scopes: [...company, group.audience], changes: [], cursor: '10', hasMore: false });
    const backfill: PageRequest = { kind: 'backfill', scope: group.audience, after: '0', until: '10' };
    const outside = changesFor(upsertAll().slice(0, 1), 3);
    expect(() =>
      apply(
        { epoch, scopes: [...company, group.audience], changes: outside, cursor: '3', hasMore: false },
        backfill,
      ),
    ).toThrow(/outside the backfilled scope/);
    const late = chatChanges(group, 11);
    expect(() =>
      apply(
        { epoch, scopes: [...company, group.audience], changes: late, cursor: '12', hasMore: false },
        backfill,
      ),
    ).toThrow(/past the backfill's end/);
    expect(stores.chat.listConversations()).toEqual([]);
  });
});

describe('a full resync', () => {
  it('keeps the old data readable until the snapshot is complete, then drops what it did not deliver', () => {
    const all = changesFor(upsertAll());
    apply({ epoch, scopes: company, changes: all, cursor: String(all.length), hasMore: false });
    db.transaction(() => beginResync(db)).immediate();
    expect(readCursor(db)).toBe('0');
    expect(everyone()).toBe(people.length);

    // The new log no longer has Klaus; its first page delivers half of the others.
    const survivors = upsertAll().filter((change) => change.id !== klaus.id);
    const first = changesFor(survivors.slice(0, 5), 1);
    apply({ epoch: 'log-after-restore', scopes: company, changes: first, cursor: '5', hasMore: true });
    expect(isResyncing(db)).toBe(true);
    expect(everyone()).toBe(people.length);

    const rest = changesFor(survivors.slice(5), 6);
    const swept = apply({
      epoch: 'log-after-restore',
      scopes: company,
      changes: rest,
      cursor: String(5 + rest.length),
      hasMore: false,
    });
    expect(isResyncing(db)).toBe(false);
    expect(everyone()).toBe(people.length - 1);
    expect(stores.directory.getPerson(klaus.id)).toBeNull();
    expect(swept.idsOf('person')).toContain(klaus.id);
    expect(readEpoch(db)).toBe('log-after-restore');
  });
});
