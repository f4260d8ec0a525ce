import { SessionUser } from '@flurfunk/protocol';
import { CacheOpenError } from '../cache/cache-error.js';
import type { CacheDatabase } from '../cache/database.js';
import { readMeta, writeMeta } from '../cache/meta.js';

/**
 * The signed-in user as the cache remembers them, so a restart shows who is signed in even
 * offline; null in a new cache. A stored user that does not parse means the cache cannot be
 * trusted: `CacheOpenError('corrupt')`.
 */
export function readCachedUser(db: CacheDatabase): SessionUser | null {
  const stored = readMeta(db, 'session.user');
  if (stored === null) return null;
  const parsed = SessionUser.safeParse(parseJson(stored));
  if (!parsed.success) throw new CacheOpenError('corrupt', 'the cache holds an unreadable user');
  return parsed.data;
}

export function writeCachedUser(db: CacheDatabase, user: SessionUser): void {
  writeMeta(db, 'session.user', JSON.stringify(user));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
