import {
  type EventName,
  type EventPayload,
  type NotificationSettings,
  NotificationSettings as NotificationSettingsSchema,
  defaultNotificationSettings,
} from '@flurfunk/protocol';
import type { CacheDatabase } from '../cache/database.js';
import { readMeta, writeMeta } from '../cache/meta.js';
import type { DirectoryStore } from '../directory/directory-store.js';

const metaKey = 'settings.notifications';

/** The user's notification choices, kept in their encrypted cache on this device. */
export class NotificationSettingsStore {
  constructor(private readonly db: CacheDatabase) {}

  get(): NotificationSettings {
    const stored = readMeta(this.db, metaKey);
    if (stored === null) return defaultNotificationSettings;
    try {
      const parsed = NotificationSettingsSchema.safeParse(JSON.parse(stored));
      if (parsed.success) return parsed.data;
    } catch {
      // Written by another version or damaged: the defaults are the safe answer.
    }
    return defaultNotificationSettings;
  }

  save(settings: NotificationSettings): NotificationSettings {
    writeMeta(this.db, metaKey, JSON.stringify(settings));
    return settings;
  }
}

/** What every notifier of the user's session needs: their choices, names, and the way out. */
export interface NotifierOptions {
  settings: NotificationSettingsStore;
  directory: DirectoryStore;
  userId: string;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** When the last complete pull ended, as the cache remembers it from before this session. */
  lastSyncedAt: string | null;
  now?: () => Date;
}
