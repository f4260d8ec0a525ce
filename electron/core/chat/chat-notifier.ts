import {
  type ChatNotification,
  type DataChanged,
  type EventName,
  type EventPayload,
  type MessageView,
  type NotificationSettings,
  NotificationSettings as NotificationSettingsSchema,
  type SyncStatus,
  defaultNotificationSettings,
  shouldNotifyOfMessage,
  markdownAsText,
  splitMentions,
} from '@flurfunk/protocol';
import type { CacheDatabase } from '../cache/database.js';
import { readMeta, writeMeta } from '../cache/meta.js';
import type { DirectoryStore } from '../directory/directory-store.js';
import type { ChatReader } from './chat-reader.js';

/** Characters of a message a notification previews. */
const previewLength = 140;
/**
 * The server dates a message when it is written but logs it when its transaction commits, so
 * messages can arrive a little out of their time order: a message this much older than the
 * newest one seen still counts as new, unless it was already considered.
 */
const arrivalSlackMs = 60_000;
/** What the unread total depends on. */
const unreadEntities: ReadonlySet<DataChanged['changes'][number]['entity']> = new Set([
  'message',
  'conversation',
  'conversationSettings',
]);
/** Ids of recently considered messages kept, so none is notified twice. */
const rememberedIds = 2000;

export interface ChatNotifierOptions {
  db: CacheDatabase;
  chat: ChatReader;
  directory: DirectoryStore;
  userId: string;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** When the last complete pull ended, as the cache remembers it from before this session. */
  lastSyncedAt: string | null;
  now?: () => Date;
}

/**
 * Tells the host which new messages deserve a desktop notification, and the unread total for the
 * badge. Nothing notifies before this session's first complete pull, so the backlog of a first
 * sync or of a weekend offline never floods the screen; after it, a message of someone else
 * notifies when it is newer than those already seen (give or take the arrival slack) and was not
 * considered before. Of several new messages in one conversation arriving together, only the
 * newest is shown.
 */
export class ChatNotifier {
  /** Server time of the newest message already considered; null until the cache holds one. */
  private seenUpTo: string | null;
  private readonly considered = new Set<string>();
  /** When the last complete pull before this session ended: a pull ending later is this session's. */
  private readonly syncedBefore: string | null;
  private caughtUp = false;
  private lastUnread: EventPayload<'unreadCountChanged'> | null = null;

  constructor(private readonly options: ChatNotifierOptions) {
    this.seenUpTo = options.chat.newestMessageOfOthers();
    this.syncedBefore = options.lastSyncedAt;
    // What the device already holds was considered before: a reaction to it is no news.
    if (this.seenUpTo !== null) {
      const slackStart = new Date(Date.parse(this.seenUpTo) - arrivalSlackMs).toISOString();
      for (const id of options.chat.messagesOfOthersSince(slackStart, rememberedIds)) this.considered.add(id);
    }
  }

  settings(): NotificationSettings {
    const stored = readMeta(this.options.db, 'settings.notifications');
    if (stored === null) return defaultNotificationSettings;
    try {
      const parsed = NotificationSettingsSchema.safeParse(JSON.parse(stored));
      if (parsed.success) return parsed.data;
    } catch {
      // Written by another version or damaged: the defaults are the safe answer.
    }
    return defaultNotificationSettings;
  }

  saveSettings(settings: NotificationSettings): NotificationSettings {
    writeMeta(this.options.db, 'settings.notifications', JSON.stringify(settings));
    return settings;
  }

  /** From the first complete pull of this session on, new messages notify. */
  syncStatusChanged(status: SyncStatus): void {
    if (status.state === 'idle' && status.lastSyncedAt !== null && status.lastSyncedAt !== this.syncedBefore)
      this.caughtUp = true;
  }

  dataChanged(event: DataChanged): void {
    const messages = event.changes.find((change) => change.entity === 'message');
    if (messages) this.notifyOfNew(messages.ids);
    if (event.changes.some((change) => unreadEntities.has(change.entity))) this.announceUnread();
  }

  /** Sends the unread total when it differs from the last one sent. */
  announceUnread(): void {
    const total = this.options.chat.unreadTotal();
    const last = this.lastUnread;
    if (last !== null && last.messages === total.messages && last.mentions === total.mentions) return;
    this.lastUnread = total;
    this.options.emit('unreadCountChanged', total);
  }

  private notifyOfNew(ids: readonly string[] | null): void {
    const { chat, userId } = this.options;
    // A change naming "all messages" is a resync or a purge, never a message just written.
    if (ids === null) return;
    const candidates = ids
      .filter((id) => !this.considered.has(id))
      .map((id) => chat.getMessage(id))
      // The user's own messages carry this device's clock until the server's version arrives.
      .filter((message): message is MessageView => message !== null && message.authorId !== userId);
    const since = this.seenUpTo;
    for (const message of candidates) {
      this.remember(message.id);
      if (this.seenUpTo === null || message.createdAt > this.seenUpTo) this.seenUpTo = message.createdAt;
    }
    if (!this.caughtUp || since === null) return;
    const threshold = new Date(Date.parse(since) - arrivalSlackMs).toISOString();
    const newestPerConversation = new Map<string, MessageView>();
    for (const message of candidates) {
      if (message.createdAt <= threshold || message.deletedAt !== null) continue;
      const kept = newestPerConversation.get(message.conversationId);
      if (!kept || message.createdAt > kept.createdAt)
        newestPerConversation.set(message.conversationId, message);
    }
    const settings = this.settings();
    const now = (this.options.now ?? (() => new Date()))();
    for (const message of newestPerConversation.values()) {
      const notification = this.notificationFor(message, settings, now);
      if (notification) this.options.emit('chatNotification', notification);
    }
  }

  private remember(id: string): void {
    this.considered.add(id);
    if (this.considered.size > rememberedIds) {
      const oldest = this.considered.values().next().value;
      if (oldest !== undefined) this.considered.delete(oldest);
    }
  }

  private notificationFor(
    message: MessageView,
    settings: NotificationSettings,
    now: Date,
  ): ChatNotification | null {
    const { chat, userId } = this.options;
    const conversation = chat.getConversation(message.conversationId);
    if (!conversation) return null;
    const mentionsUser = chat.mentionsUser(message.id);
    const seen = { ownMessage: message.authorId === userId, muted: conversation.muted, mentionsUser };
    if (!shouldNotifyOfMessage(seen, settings, now)) return null;
    return {
      conversationId: conversation.id,
      messageId: message.id,
      conversationKind: conversation.kind,
      conversationTitle: conversation.kind === 'direct' ? null : conversation.title,
      senderName: this.nameOf(message.authorId),
      preview: settings.showPreview ? this.preview(message.body) : null,
      fileCount: message.attachments.length,
      mentionsUser,
    };
  }

  private nameOf(personId: string): string {
    return this.options.directory.getPerson(personId)?.displayName ?? '…';
  }

  /** The words without Markdown, mentions as names, on one line and shortened. */
  private preview(body: string): string {
    const text = splitMentions(markdownAsText(body))
      .map((part) =>
        'text' in part ? part.text : `@${part.mention === 'channel' ? 'channel' : this.nameOf(part.mention)}`,
      )
      .join('')
      .replace(/\s+/g, ' ')
      .trim();
    return text.length > previewLength ? `${text.slice(0, previewLength - 1)}…` : text;
  }
}
