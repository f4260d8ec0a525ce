import { ChatMessage, type MessageView, type SessionUser } from '@flurfunk/protocol';
import { v7 as uuidv7 } from 'uuid';
import type { CacheDatabase } from '../cache/database.js';
import { localTimestamp } from '../cache/timestamps.js';
import { CoreError } from '../errors.js';
import type { NewOutboxEntry, OutboxEntry, OutboxStore } from '../outbox/outbox-store.js';
import type { ChangeSet } from '../sync/change-set.js';
import type { SyncIndex } from '../sync/sync-index.js';
import type { ChatStore } from './chat-store.js';

const queueOf = (conversationId: string) => `conversation:${conversationId}`;

/**
 * The user's chat writes: each changes the cache at once (the optimistic row) and queues its
 * mutation in the outbox, in one transaction. The server's version replaces the optimistic row
 * when sync brings it; until then, and when sync brings an older version of a row the user has
 * changed, the user's pending change is applied again on top.
 */
export class ChatWrites {
  constructor(
    private readonly db: CacheDatabase,
    private readonly chat: ChatStore,
    private readonly outbox: OutboxStore,
    private readonly index: SyncIndex,
    private readonly user: SessionUser,
  ) {}

  sendMessage(
    { conversationId, body }: { conversationId: string; body: string },
    changes: ChangeSet,
  ): MessageView {
    const conversation = this.chat.getConversation(conversationId);
    if (!conversation) throw new CoreError('not_found', 'this conversation is not in the cache');
    if (conversation.readOnly && !conversation.adminIds.includes(this.user.id)) {
      throw new CoreError('forbidden', 'only the admins of this conversation can write in it');
    }
    const id = uuidv7();
    const message: ChatMessage = {
      id,
      conversationId,
      authorId: this.user.id,
      body,
      createdAt: localTimestamp(),
      editedAt: null,
    };
    this.db
      .transaction(() => {
        this.chat.putLocalMessage(message);
        this.queue(changes, {
          id: uuidv7(),
          queue: queueOf(conversationId),
          type: 'chat.sendMessage',
          args: { messageId: id, conversationId, body },
          entityId: id,
          undo: undefined,
          createdAt: new Date().toISOString(),
        });
      })
      .immediate();
    return this.requireMessage(id);
  }

  editMessage({ messageId, body }: { messageId: string; body: string }, changes: ChangeSet): MessageView {
    const before = this.ownMessage(messageId);
    this.db
      .transaction(() => {
        this.chat.putLocalMessage({ ...before, body, editedAt: localTimestamp() });
        this.queue(changes, {
          id: uuidv7(),
          queue: queueOf(before.conversationId),
          type: 'chat.editMessage',
          args: { messageId, body },
          entityId: messageId,
          undo: before,
          createdAt: new Date().toISOString(),
        });
      })
      .immediate();
    return this.requireMessage(messageId);
  }

  deleteMessage({ messageId }: { messageId: string }, changes: ChangeSet): void {
    const before = this.ownMessage(messageId);
    this.db
      .transaction(() => {
        this.chat.deleteLocalMessage(messageId);
        this.queue(changes, {
          id: uuidv7(),
          queue: queueOf(before.conversationId),
          type: 'chat.deleteMessage',
          args: { messageId },
          entityId: messageId,
          undo: before,
          createdAt: new Date().toISOString(),
        });
      })
      .immediate();
  }

  private queue(changes: ChangeSet, entry: NewOutboxEntry): void {
    this.outbox.add(entry);
    changes.add('outboxEntry', entry.id);
    if (entry.entityId !== null) changes.add('message', entry.entityId);
  }

  /** Takes back the optimistic change of a write the user discards. Call inside its transaction. */
  undo(entry: OutboxEntry, changes: ChangeSet): void {
    if (entry.entityId === null) return;
    if (entry.type === 'chat.sendMessage') {
      if (!this.index.isSynced('message', entry.entityId)) this.chat.deleteLocalMessage(entry.entityId);
    } else if (entry.type === 'chat.editMessage' || entry.type === 'chat.deleteMessage') {
      const before = ChatMessage.safeParse(entry.undo);
      // Only a message that still exists on the server (as far as sync knows) comes back.
      if (before.success && this.index.isSynced('message', entry.entityId))
        this.chat.putLocalMessage(before.data);
    }
    changes.add('message', entry.entityId);
  }

  /**
   * Applies the user's unconfirmed edits and deletions again to messages a sync page has just
   * overwritten with the server's older version. Call inside the page's transaction.
   */
  reapply(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) {
      if (entry.entityId === null) continue;
      if (entry.type === 'chat.deleteMessage') this.chat.deleteLocalMessage(entry.entityId);
      if (entry.type === 'chat.editMessage') {
        const current = this.chat.getMessage(entry.entityId);
        const { body } = entry.args as { body: string };
        if (current) this.chat.putLocalMessage({ ...toMessage(current), body, editedAt: localTimestamp() });
      }
    }
  }

  private ownMessage(id: string): ChatMessage {
    const message = this.chat.getMessage(id);
    if (!message) throw new CoreError('not_found', 'this message is not in the cache');
    if (message.authorId !== this.user.id)
      throw new CoreError('forbidden', 'only its author can change a message');
    return toMessage(message);
  }

  private requireMessage(id: string): MessageView {
    const message = this.chat.getMessage(id);
    if (!message) throw new Error(`the message ${id} just written is missing`);
    return message;
  }
}

function toMessage(view: MessageView): ChatMessage {
  const { delivery: _delivery, outboxId: _outboxId, ...message } = view;
  return message;
}
