import { SessionUser } from '@flurfunk/protocol';
import type { CacheDatabase } from '../cache/database.js';
import { readMeta, writeMeta } from '../cache/meta.js';

/** The signed-in user as the cache remembers them, so a restart shows who is signed in even offline. */
export function readCachedUser(db: CacheDatabase): SessionUser | null {
  const stored = readMeta(db, 'session.user');
  if (stored === null) return null;
  const parsed = SessionUser.safeParse(JSON.parse(stored));
  return parsed.success ? parsed.data : null;
}

export function writeCachedUser(db: CacheDatabase, user: SessionUser): void {
  writeMeta(db, 'session.user', JSON.stringify(user));
}
