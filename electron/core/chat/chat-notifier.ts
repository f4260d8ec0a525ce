import {
  type ChatNotification,
  type DataChanged,
  type EventPayload,
  type MessageView,
  type NotificationSettings,
  type SyncStatus,
  shouldNotifyOfMessage,
  markdownAsText,
  splitMentions,
} from '@flurfunk/protocol';
import { NewArrivals } from '../notifications/new-arrivals.js';
import type { NotifierOptions } from '../notifications/notification-settings.js';
import type { ChatReader } from './chat-reader.js';

/** Characters of a message a notification previews. */
const previewLength = 140;
/** What the unread total depends on. */
const unreadEntities: ReadonlySet<DataChanged['changes'][number]['entity']> = new Set([
  'message',
  'conversation',
  'conversationSettings',
]);

export interface ChatNotifierOptions extends NotifierOptions {
  chat: ChatReader;
}

/**
 * Tells the host which new messages deserve a desktop notification (news as `NewArrivals` tells
 * it, from someone else), and the unread total for the badge. Of several new messages in one
 * conversation arriving together, only the newest is shown.
 */
export class ChatNotifier {
  private readonly arrivals: NewArrivals;
  private lastUnread: EventPayload<'unreadCountChanged'> | null = null;

  constructor(private readonly options: ChatNotifierOptions) {
    const { chat } = options;
    this.arrivals = new NewArrivals(
      {
        newest: chat.newestMessageOfOthers(),
        since: (slackStart, limit) => chat.messagesOfOthersSince(slackStart, limit),
      },
      options.lastSyncedAt,
    );
  }

  /** From the first complete pull of this session on, new messages notify. */
  syncStatusChanged(status: SyncStatus): void {
    this.arrivals.syncStatusChanged(status);
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
      .filter((id) => !this.arrivals.wasConsidered(id))
      .map((id) => chat.getMessage(id))
      // The user's own messages carry this device's clock until the server's version arrives.
      .filter((message): message is MessageView => message !== null && message.authorId !== userId);
    const news = this.arrivals.consider(
      candidates.map((message) => ({ id: message.id, at: message.createdAt, message })),
    );
    const newestPerConversation = new Map<string, MessageView>();
    for (const { message } of news) {
      if (message.deletedAt !== null) continue;
      const kept = newestPerConversation.get(message.conversationId);
      if (!kept || message.createdAt > kept.createdAt)
        newestPerConversation.set(message.conversationId, message);
    }
    const settings = this.options.settings.get();
    const now = (this.options.now ?? (() => new Date()))();
    for (const message of newestPerConversation.values()) {
      const notification = this.notificationFor(message, settings, now);
      if (notification) this.options.emit('chatNotification', notification);
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
