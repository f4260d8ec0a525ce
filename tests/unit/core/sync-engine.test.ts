/**
 * The sync engine against a server that misbehaves: one that sends a malformed page, one that
 * vanishes in the middle of a sync, one whose change log was replaced, one that does not answer a
 * token refresh. (The real server's happy paths are in the integration tests.)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncPage, TokenResponse } from '@flurfunk/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CacheDatabase } from '../../../electron/core/cache/database.js';
import { openCacheDatabase } from '../../../electron/core/cache/database.js';
import { ServerSession } from '../../../electron/core/session/server-session.js';
import { SyncEngine } from '../../../electron/core/sync/sync-engine.js';
import {
  isResyncing,
  readCursor,
  readEpoch,
  readLastSyncedAt,
} from '../../../electron/core/sync/sync-state.js';
import { MemoryVault } from '../../../electron/core/vault/memory-vault.js';
import { changesFor, jonas, lena, people, upsertAll } from './core-test-data.js';
import { syncStoresFor } from './sync-test-stores.js';

type SyncHandler = (after: string, response: ServerResponse) => void;
type RefreshHandler = (request: IncomingMessage, response: ServerResponse) => void;

let dir: string;
let db: CacheDatabase;
let http: Server;
let onSync: SyncHandler;
let onRefresh: RefreshHandler;
let serverUrl: string;

const tokens: TokenResponse = {
  accessToken: 'access',
  refreshToken: 'refresh',
  expiresIn: 900,
  user: { id: randomUUID(), username: 'lena.weber', displayName: 'Lena Weber', roles: ['employee'] },
};
const epoch = 'log-1';
const changes = changesFor(upsertAll());
const firstPage: SyncPage = {
  epoch,
  scopes: ['company'],
  changes: changes.slice(0, 4),
  cursor: '4',
  hasMore: true,
};
const everything: SyncPage = {
  epoch,
  scopes: ['company'],
  changes,
  cursor: String(changes.length),
  hasMore: false,
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flurfunk-engine-'));
  db = openCacheDatabase(join(dir, 'c.db'), randomBytes(32).toString('hex'));
  http = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/api/v1/sync') onSync(url.searchParams.get('after') ?? '', response);
    else if (url.pathname === '/api/v1/auth/refresh') onRefresh(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
});

afterEach(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  db.close();
  await rm(dir, { recursive: true, force: true });
});

function json(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function resyncRequired(response: ServerResponse): void {
  response
    .writeHead(410, { 'content-type': 'application/json' })
    .end(JSON.stringify({ error: { code: 'resync_required', message: 'sync again from 0' } }));
}

function engineFor(
  server = new ServerSession(serverUrl, new MemoryVault(), 'refresh', tokens),
  events: string[] = [],
) {
  const { stores, directory } = syncStoresFor(db);
  const engine = new SyncEngine({
    db,
    stores,
    server,
    intervalMs: 3_600_000,
    emit: (event) => events.push(event),
    onSessionEnded: () => undefined,
  });
  return { engine, directory, events };
}

async function syncOnce() {
  const { engine, directory, events } = engineFor();
  const status = await engine.syncNow();
  await engine.stop();
  const listed = directory.listPeople({ query: '', offset: 0, limit: 100 });
  return { status, events, people: listed.total, ids: listed.people.map((entry) => entry.id) };
}

describe('SyncEngine', () => {
  it('keeps the pages it stored and refuses a malformed one without applying any of it', async () => {
    onSync = (after, response) => {
      if (after === '0') return json(response, firstPage);
      // A person whose id is a number: the whole page must be refused.
      const person = changes[4]!;
      json(response, {
        epoch,
        scopes: ['company'],
        changes: [{ ...person, data: { ...(person as { data: object }).data, id: 42 } }],
        cursor: '5',
        hasMore: false,
      });
    };
    const { status, events, people } = await syncOnce();
    expect(status).toMatchObject({
      connection: 'online',
      state: 'error',
      error: 'server_error',
      lastSyncedAt: null,
    });
    expect(events).toContain('dataChanged');
    expect(readCursor(db)).toBe('4');
    expect(people).toBe(0);
  });

  it('keeps syncing what it knows when a newer server sends changes of a type it does not', async () => {
    const fromNewerServer = {
      seq: '1',
      id: randomUUID(),
      scope: 'company',
      type: 'badge.upsert',
      data: { stars: 5 },
    };
    onSync = (after, response) =>
      json(response, {
        ...everything,
        changes: [
          fromNewerServer,
          ...changes.map((change) => ({ ...change, seq: String(Number(change.seq) + 1) })),
        ],
        cursor: String(changes.length + 1),
      });
    const { status, people: stored } = await syncOnce();
    expect(status).toMatchObject({ state: 'idle', error: null });
    expect(stored).toBe(people.length);
    expect(readCursor(db)).toBe(String(changes.length + 1));
    expect(db.prepare("SELECT value FROM meta WHERE key = 'sync.skippedTypes'").pluck().get()).toBe(
      JSON.stringify(['badge.upsert']),
    );
  });

  it('fetches everything again once an updated app knows a type an older one skipped', () => {
    db.prepare("INSERT INTO meta (key, value) VALUES ('sync.cursor', '40'), ('sync.skippedTypes', ?)").run(
      JSON.stringify(['canteen.upsert', 'badge.upsert']),
    );
    engineFor();
    expect(isResyncing(db)).toBe(true);
    expect(readCursor(db)).toBe('0');
    // What this version does not know either is still remembered for the next one.
    expect(db.prepare("SELECT value FROM meta WHERE key = 'sync.skippedTypes'").pluck().get()).toBe(
      JSON.stringify(['badge.upsert']),
    );
  });

  it('refuses an answer too large to be a sync page without reading all of it', async () => {
    onSync = (after, response) => {
      if (after === '0') return json(response, firstPage);
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const more = (): void => {
        while (sent < 64 && response.write(chunk)) sent++;
        if (sent < 64) response.once('drain', more);
        else response.end();
      };
      more();
    };
    const { status } = await syncOnce();
    expect(status).toMatchObject({ state: 'error', error: 'server_error' });
    // The first page stays; the oversized answer changed nothing.
    expect(readCursor(db)).toBe('4');
  });

  it('loses nothing when the server vanishes mid-sync, and goes on from there next time', async () => {
    onSync = (after, response) => {
      if (after === '0') return json(response, firstPage);
      response.socket?.destroy();
    };
    const interrupted = await syncOnce();
    expect(interrupted.status).toMatchObject({ connection: 'offline', state: 'error', error: 'unreachable' });
    expect(readCursor(db)).toBe('4');

    const requested: string[] = [];
    onSync = (after, response) => {
      requested.push(after);
      json(response, {
        epoch,
        scopes: ['company'],
        changes: changes.slice(4),
        cursor: String(changes.length),
        hasMore: false,
      });
    };
    const resumed = await syncOnce();
    expect(requested).toEqual(['4']);
    expect(resumed.status).toMatchObject({ connection: 'online', state: 'idle', error: null });
    expect(resumed.status.lastSyncedAt).not.toBeNull();
    expect(resumed.people).toBe(changes.length - 4);
  });

  it('has asked for the next page before it stores the current one, and leaves no long log behind', async () => {
    const order: string[] = [];
    const sent = (message: unknown) => {
      const line = String((message as { headers?: unknown }).headers).split('\r\n')[0] ?? '';
      order.push(`sent ${/after=(\d+)/.exec(line)?.[1]}`);
    };
    subscribe('undici:client:sendHeaders', sent);
    try {
      onSync = (after, response) =>
        json(response, after === '0' ? firstPage : { ...everything, changes: changes.slice(4) });
      const { engine } = engineFor(undefined, order);
      const status = await engine.syncNow();
      await engine.stop();
      expect(status).toMatchObject({ state: 'idle', error: null });
      expect(order.filter((entry) => entry !== 'syncStatusChanged')).toEqual([
        'sent 0',
        'sent 4',
        'dataChanged',
        'dataChanged',
      ]);
    } finally {
      unsubscribe('undici:client:sendHeaders', sent);
    }
    // The pull wrote several pages without checkpointing in between; it checkpointed once at the
    // end, emptied the write-ahead log and turned automatic checkpoints back on.
    expect(statSync(join(dir, 'c.db-wal')).size).toBe(0);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(readCursor(db)).toBe(String(changes.length));
  });

  it('pulls once for changes announced before its request left, and again for newer ones', async () => {
    const requested: string[] = [];
    let answerFirst = () => undefined as void;
    onSync = (after, response) => {
      requested.push(after);
      const page = (from: number, to: number): SyncPage => ({
        epoch,
        scopes: ['company'],
        changes: changes.slice(from, to),
        cursor: String(to),
        hasMore: false,
      });
      if (after === '0') answerFirst = () => json(response, page(0, 4));
      else json(response, page(4, changes.length));
    };
    const { engine, directory } = engineFor();
    engine.changesAvailable('4'); // a live notice
    await vi.waitFor(() => expect(requested).toEqual(['0']));
    // The answer to this device's own write, committed before the pull was asked for: the pull
    // under way brings it.
    engine.changesAvailable('4');
    engine.changesAvailable('2');
    answerFirst();
    await vi.waitFor(() => expect(engine.status.state).toBe('idle'));
    expect(requested).toEqual(['0']);
    expect(readCursor(db)).toBe('4');

    // Newer than anything the last pull could bring: pulled.
    engine.changesAvailable(String(changes.length));
    await vi.waitFor(() => expect(readCursor(db)).toBe(String(changes.length)));
    expect(requested).toEqual(['0', '4']);
    expect(directory.listPeople({ query: '', offset: 0, limit: 100 }).total).toBe(people.length);
    await engine.stop();
  });

  it('pulls again for changes announced while its request was on the way', async () => {
    const requested: string[] = [];
    let answerFirst = () => undefined as void;
    onSync = (after, response) => {
      requested.push(after);
      const to = after === '0' ? 4 : changes.length;
      const page: SyncPage = {
        epoch,
        scopes: ['company'],
        changes: changes.slice(Number(after), to),
        cursor: String(to),
        hasMore: false,
      };
      if (after === '0') answerFirst = () => json(response, page);
      else json(response, page);
    };
    const { engine } = engineFor();
    engine.changesAvailable('4');
    await vi.waitFor(() => expect(requested).toEqual(['0']));
    // Committed after the server read the first page: only a second pull brings it.
    engine.changesAvailable('5');
    answerFirst();
    await vi.waitFor(() => expect(readCursor(db)).toBe(String(changes.length)));
    expect(requested).toEqual(['0', '4']);
    await engine.stop();
  });

  describe("when the server's change log is not the one the cache came from", () => {
    /** The server after a restore: a new log in which only Lena and Jonas exist so far. */
    const newLog: SyncPage = {
      epoch: 'log-2',
      scopes: ['company'],
      changes: changesFor([
        { type: 'person.upsert', id: lena.id, scope: 'company', data: lena },
        { type: 'person.upsert', id: jonas.id, scope: 'company', data: jonas },
      ]),
      cursor: '2',
      hasMore: false,
    };

    async function syncedWithOldLog(): Promise<void> {
      onSync = (_after, response) => json(response, everything);
      expect((await syncOnce()).people).toBe(people.length);
      expect(readEpoch(db)).toBe(epoch);
    }

    it.each<[string, (response: ServerResponse) => void]>([
      ['it sends a page of another epoch', (response) => json(response, { ...newLog, changes: [] })],
      ['it answers resync_required', resyncRequired],
    ])(
      'pulls again from "0" and keeps only what the new log delivers when %s',
      async (_how, answerOldCursor) => {
        await syncedWithOldLog();
        const requested: string[] = [];
        onSync = (after, response) => {
          requested.push(after);
          if (after === '0') json(response, newLog);
          else answerOldCursor(response);
        };

        const { status, ids, events } = await syncOnce();
        expect(requested).toEqual([String(changes.length), '0']);
        expect(status).toMatchObject({ connection: 'online', state: 'idle', error: null });
        expect(ids.sort()).toEqual([lena.id, jonas.id].sort());
        expect(events).toContain('dataChanged');
        expect(readEpoch(db)).toBe('log-2');
        expect(readCursor(db)).toBe('2');
      },
    );

    it('keeps the old data readable when the pull from "0" fails, and finishes the resync next time', async () => {
      await syncedWithOldLog();
      onSync = (after, response) => {
        if (after === '0') response.socket?.destroy();
        else resyncRequired(response);
      };
      const interrupted = await syncOnce();
      expect(interrupted.status).toMatchObject({ state: 'error', error: 'unreachable' });
      // Offline is no reason to show an empty directory: the resync replaces the data once it can.
      expect(interrupted.people).toBe(people.length);
      expect(readCursor(db)).toBe('0');
      expect(readEpoch(db)).toBeNull();
      expect(isResyncing(db)).toBe(true);

      onSync = (_after, response) => json(response, newLog);
      expect((await syncOnce()).ids.sort()).toEqual([lena.id, jonas.id].sort());
      expect(isResyncing(db)).toBe(false);
      expect(readLastSyncedAt(db)).not.toBeNull();
    });

    it('starts over only once per sync when the server keeps refusing every cursor', async () => {
      await syncedWithOldLog();
      const requested: string[] = [];
      onSync = (after, response) => {
        requested.push(after);
        resyncRequired(response);
      };
      const { status, people: left } = await syncOnce();
      expect(status).toMatchObject({ state: 'error', error: 'server_error' });
      expect(requested).toEqual([String(changes.length), '0']);
      expect(left).toBe(people.length);
    });
  });

  it('stops without waiting for a token refresh the server does not answer', async () => {
    const vault = new MemoryVault();
    await vault.set('refresh', 'refresh-token');
    let refreshRequest: ServerResponse | null = null;
    const refreshArrived = new Promise<void>((resolve) => {
      onRefresh = (_request, response) => {
        refreshRequest = response;
        resolve();
      };
    });
    onSync = (_after, response) => json(response, everything);
    const { engine } = engineFor(new ServerSession(serverUrl, vault, 'refresh'));

    const run = engine.syncNow();
    await refreshArrived;
    await engine.stop();
    await run;
    expect(refreshRequest!.writableEnded).toBe(false);
    expect(readCursor(db)).toBe('0');
    expect(await vault.get('refresh')).toBe('refresh-token');
  });
});
