import { randomUUID } from 'node:crypto';
import type { CacheDatabase } from '../../../electron/core/cache/database.js';
import { CanteenStore } from '../../../electron/core/canteen/canteen-store.js';
import { ChatStore } from '../../../electron/core/chat/chat-store.js';
import { DirectoryStore } from '../../../electron/core/directory/directory-store.js';
import { CommentStore } from '../../../electron/core/feed/comment-store.js';
import { FeedStore } from '../../../electron/core/feed/feed-store.js';
import { OutboxStore } from '../../../electron/core/outbox/outbox-store.js';
import { syncTargetsOf } from '../../../electron/core/session/user-session.js';
import type { SyncStores } from '../../../electron/core/sync/apply-page.js';
import { SyncIndex } from '../../../electron/core/sync/sync-index.js';

/**
 * The real stores of a cache as sync writes to them, without a session around them; `userId` is
 * the signed-in user the chat works out mentions for.
 */
export function syncStoresFor(db: CacheDatabase, userId: string = randomUUID()) {
  const directory = new DirectoryStore(db);
  const chat = new ChatStore(db, userId);
  const outbox = new OutboxStore(db);
  const index = new SyncIndex(db);
  const feed = new FeedStore(db, index);
  const comments = new CommentStore(db, index);
  const canteen = new CanteenStore(db);
  const stores: SyncStores = {
    // The branding lives outside the user's cache (see BrandingCache); these tests leave it alone.
    targets: syncTargetsOf(directory, chat, feed, comments, canteen, { apply() {}, remove() {} }),
    index,
    afterPage: (cursor, changes) => {
      for (const entry of outbox.takeSettled(cursor)) changes.add('outboxEntry', entry.id);
    },
  };
  return { stores, directory, chat, feed, comments, canteen, outbox, index };
}
