/**
 * The sync engine against a server that misbehaves: one that sends a malformed page, and one that
 * vanishes in the middle of a sync. (The real server's happy paths are in the integration tests.)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncPage, TokenResponse } from '@flurfunk/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CacheDatabase } from '../../../electron/core/cache/database.js';
import { openCacheDatabase } from '../../../electron/core/cache/database.js';
import { DirectoryStore } from '../../../electron/core/directory/directory-store.js';
import { ServerSession } from '../../../electron/core/session/server-session.js';
import { SyncEngine } from '../../../electron/core/sync/sync-engine.js';
import { readCursor } from '../../../electron/core/sync/sync-state.js';
import { MemoryVault } from '../../../electron/core/vault/memory-vault.js';
import { changesFor, upsertAll } from './core-test-data.js';

type SyncHandler = (after: string, response: ServerResponse) => void;

let dir: string;
let db: CacheDatabase;
let http: Server;
let onSync: SyncHandler;
let serverUrl: string;

const tokens: TokenResponse = {
  accessToken: 'access',
  refreshToken: 'refresh',
  expiresIn: 900,
  user: { id: randomUUID(), username: 'lena.weber', displayName: 'Lena Weber', roles: ['employee'] },
};
const changes = changesFor(upsertAll());
const firstPage: SyncPage = { changes: changes.slice(0, 4), cursor: '4', hasMore: true };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flurfunk-engine-'));
  db = openCacheDatabase(join(dir, 'c.db'), randomBytes(32).toString('hex'));
  http = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/api/v1/sync') onSync(url.searchParams.get('after') ?? '', response);
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

async function syncOnce() {
  const directory = new DirectoryStore(db);
  const events: string[] = [];
  const engine = new SyncEngine({
    db,
    directory,
    server: new ServerSession(serverUrl, new MemoryVault(), 'refresh', tokens),
    intervalMs: 3_600_000,
    emit: (event) => events.push(event),
    onSessionExpired: () => undefined,
  });
  const status = await engine.syncNow();
  await engine.stop();
  return { status, events, people: directory.listPeople({ query: '', offset: 0, limit: 100 }).total };
}

describe('SyncEngine', () => {
  it('keeps the pages it stored and refuses a malformed one without applying any of it', async () => {
    onSync = (after, response) => {
      if (after === '0') return json(response, firstPage);
      // A person whose id is a number: the whole page must be refused.
      const person = changes[4]!;
      json(response, {
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
    expect(events).toContain('directoryChanged');
    expect(readCursor(db)).toBe('4');
    expect(people).toBe(0);
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
      json(response, { changes: changes.slice(4), cursor: String(changes.length), hasMore: false });
    };
    const resumed = await syncOnce();
    expect(requested).toEqual(['4']);
    expect(resumed.status).toMatchObject({ connection: 'online', state: 'idle', error: null });
    expect(resumed.status.lastSyncedAt).not.toBeNull();
    expect(resumed.people).toBe(changes.length - 4);
  });
});
