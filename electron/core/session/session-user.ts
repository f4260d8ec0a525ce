import { SessionUser } from '@flurfunk/protocol';
import { CacheOpenError } from '../cache/cache-error.js';
import type { CacheDatabase } from '../cache/database.js';
import { readMeta, writeMeta } from '../cache/meta.js';

/** The signed-in user as the cache remembers them, so a restart shows who is signed in even offline. */
export interface CachedUser {
  /** The stored user's id; compared with the user signing in, so two people's data never meet. */
  id: unknown;
  /**
   * The user, or null when the stored record does not match this version's `SessionUser` (it was
   * written by another Flurfunk version): the server's next token response tells who it is.
   */
  user: SessionUser | null;
}

/**
 * The cache's user; null in a new cache. Stored text that is not JSON means the cache cannot be
 * trusted: `CacheOpenError('corrupt')`. A record of another shape is no reason to rebuild it.
 */
export function readCachedUser(db: CacheDatabase): CachedUser | null {
  const stored = readMeta(db, 'session.user');
  if (stored === null) return null;
  let record: unknown;
  try {
    record = JSON.parse(stored);
  } catch {
    throw new CacheOpenError('corrupt', 'the cache holds an unreadable user');
  }
  const parsed = SessionUser.safeParse(record);
  return {
    id: typeof record === 'object' && record !== null && 'id' in record ? record.id : undefined,
    user: parsed.success ? parsed.data : null,
  };
}

export function writeCachedUser(db: CacheDatabase, user: SessionUser): void {
  writeMeta(db, 'session.user', JSON.stringify(user));
}
