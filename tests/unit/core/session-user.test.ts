import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionUser } from '@flurfunk/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheOpenError } from '../../../electron/core/cache/cache-error.js';
import type { CacheDatabase } from '../../../electron/core/cache/database.js';
import { openCacheDatabase } from '../../../electron/core/cache/database.js';
import { writeMeta } from '../../../electron/core/cache/meta.js';
import { readCachedUser, writeCachedUser } from '../../../electron/core/session/session-user.js';

const lena: SessionUser = { id: randomUUID(), username: 'lena.weber', displayName: 'Lena Weber', roles: [] };

let dir: string;
let db: CacheDatabase;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flurfunk-session-user-'));
  db = openCacheDatabase(join(dir, 'c.db'), randomBytes(32).toString('hex'));
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('readCachedUser', () => {
  it('knows nobody in a new cache and the user it was given afterwards', () => {
    expect(readCachedUser(db)).toBeNull();
    writeCachedUser(db, lena);
    expect(readCachedUser(db)).toEqual({ id: lena.id, user: lena });
  });

  it('takes a user of another shape (another Flurfunk version) as unknown, keeping its id', () => {
    writeMeta(db, 'session.user', JSON.stringify({ ...lena, pronouns: 'sie/ihr' }));
    expect(readCachedUser(db)).toEqual({ id: lena.id, user: null });
    writeMeta(db, 'session.user', JSON.stringify(['not', 'a', 'user']));
    expect(readCachedUser(db)).toEqual({ id: undefined, user: null });
  });

  it('refuses text that is not JSON as a corrupt cache', () => {
    writeMeta(db, 'session.user', '{"id": 42');
    expect(() => readCachedUser(db)).toThrow(CacheOpenError);
    expect(() => readCachedUser(db)).toThrow(expect.objectContaining({ problem: 'corrupt' }));
  });
});
