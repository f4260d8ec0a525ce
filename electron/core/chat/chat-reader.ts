import { ChatDraft } from '@flurfunk/protocol';
import type { Conversation, ConversationSummary, MessageSearchHit, MessageView } from '@flurfunk/protocol';
import type { Drafts } from '../cache/drafts.js';
import { chatDraftKey } from './chat-drafts.js';
import type { ChatStore, MessagePosition, MessageSearch } from './chat-store.js';

/** How the renderer asks for a page of messages (see the contract's `listMessages`). */
export interface MessagePage {
  conversationId: string;
  before?: MessagePosition | undefined;
  after?: MessagePosition | undefined;
  around?: string | undefined;
  limit: number;
}

/** The chat as the renderer reads it: conversations with the user's state of them, and messages. */
export class ChatReader {
  constructor(
    private readonly chat: ChatStore,
    private readonly drafts: Drafts,
  ) {}

  /** Pinned first, then by their newest message. */
  listConversations(): ConversationSummary[] {
    return this.chat.listConversations().map((conversation) => this.summaryOf(conversation));
  }

  getConversation(id: string): ConversationSummary | null {
    const conversation = this.chat.getConversation(id);
    return conversation ? this.summaryOf(conversation) : null;
  }

  /** Oldest first: the newest `limit`, those before or after a position, or up to `limit` centred on one message. */
  listMessages({ conversationId, before, after, around, limit }: MessagePage): MessageView[] {
    if (around !== undefined) {
      const centre = this.chat.getMessage(around);
      if (!centre || centre.conversationId !== conversationId) return [];
      // Half before and half after; near either end of the history the other side fills the page.
      const earlier = this.chat.listMessages(conversationId, limit - 1, { before: centre });
      const later = this.chat.listMessages(conversationId, limit - 1, { after: centre });
      const fromEarlier = Math.min(
        earlier.length,
        Math.max(Math.floor((limit - 1) / 2), limit - 1 - later.length),
      );
      return [
        ...earlier.slice(earlier.length - fromEarlier),
        centre,
        ...later.slice(0, limit - 1 - fromEarlier),
      ];
    }
    if (before) return this.chat.listMessages(conversationId, limit, { before });
    if (after) return this.chat.listMessages(conversationId, limit, { after });
    return this.chat.listMessages(conversationId, limit);
  }

  getMessage(id: string): MessageView | null {
    return this.chat.getMessage(id);
  }

  unreadTotal(): { messages: number; mentions: number } {
    return this.chat.unreadTotal();
  }

  newestMessageOfOthers(): string | null {
    return this.chat.newestMessageOfOthers();
  }

  messagesOfOthersSince(time: string, limit: number): string[] {
    return this.chat.messagesOfOthersSince(time, limit);
  }

  mentionsUser(messageId: string): boolean {
    return this.chat.mentionsUser(messageId);
  }

  searchMessages(search: MessageSearch): MessageSearchHit[] {
    return this.chat.searchMessages(search);
  }

  private summaryOf(conversation: Conversation): ConversationSummary {
    const settings = this.chat.getSettings(conversation.id);
    const { unread, mentions } = this.chat.unreadIn(conversation.id, settings.lastReadMessageId);
    return {
      ...conversation,
      muted: settings.muted,
      pinned: settings.pinned,
      lastReadMessageId: settings.lastReadMessageId,
      unreadCount: unread,
      mentionCount: mentions,
      lastMessage: this.chat.listMessages(conversation.id, 1)[0] ?? null,
      reads: this.chat.readsOf(conversation.id),
      draft: this.drafts.read(chatDraftKey(conversation.id), ChatDraft),
    };
  }
}
