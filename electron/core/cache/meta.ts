import type { CacheDatabase } from './database.js';

/** Keys of the `meta` table, one per fact the cache keeps about itself. */
export type MetaKey =
  | 'session.user'
  | 'sync.cursor'
  | 'sync.epoch'
  | 'sync.lastSyncedAt'
  /** The sync generation: rows a full resync did not deliver again carry an older one. */
  | 'sync.generation'
  /** Set while a full resync (snapshot from "0") is under way; survives restarts. */
  | 'sync.resyncing'
  /** Change types a newer server sent that this app skipped (JSON array); see recordSkippedTypes. */
  | 'sync.skippedTypes'
  /** The user's notification choices (protocol NotificationSettings, JSON). */
  | 'settings.notifications'
  /** The user's allergen and diet profile (protocol DietProfile, JSON): never sent anywhere. */
  | 'canteen.dietProfile';

export function readMeta(db: CacheDatabase, key: MetaKey): string | null {
  const row = db.prepare<[MetaKey], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key);
  return row?.value ?? null;
}

export function writeMeta(db: CacheDatabase, key: MetaKey, value: string): void {
  db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

export function deleteMeta(db: CacheDatabase, key: MetaKey): void {
  db.prepare('DELETE FROM meta WHERE key = ?').run(key);
}
