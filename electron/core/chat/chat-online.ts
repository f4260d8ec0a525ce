import { MessageHistoryPage, MutationResponse } from '@flurfunk/protocol';
import type {
  ConversationSummary,
  MutationArgs,
  MutationRejection,
  MutationType,
  SessionUser,
} from '@flurfunk/protocol';
import { v7 as uuidv7 } from 'uuid';
import type { CacheDatabase } from '../cache/database.js';
import { CoreError } from '../errors.js';
import type { ServerSession } from '../session/server-session.js';
import { ChangeSet } from '../sync/change-set.js';
import type { SyncIndex } from '../sync/sync-index.js';
import { readCursor, readGeneration } from '../sync/sync-state.js';
import type { ChatReader } from './chat-reader.js';
import type { ChatStore } from './chat-store.js';

/** Older history is fetched in pages of this many messages. */
const historyPageSize = 50;
/** Pulls tried until a change the server applied is in the cache. */
const maxPullsForEffect = 3;

/** What the rest of the session offers these operations. */
export interface ChatOnlineOptions {
  db: CacheDatabase;
  server: ServerSession;
  chat: ChatStore;
  reader: ChatReader;
  index: SyncIndex;
  user: SessionUser;
  /** Pulls the change log now. */
  pull(): Promise<unknown>;
  /** Tells the renderer what changed. */
  announce(changes: ChangeSet): void;
}

const rejectionCodes: Record<MutationRejection, 'invalid_args' | 'forbidden' | 'not_found'> = {
  invalid: 'invalid_args',
  forbidden: 'forbidden',
  not_found: 'not_found',
  conflict: 'invalid_args',
};

/**
 * Chat operations that change who is in a conversation, or fetch what the cache does not hold:
 * they wait for the server instead of going through the outbox, so they need a connection
 * (`unreachable` without one, and the cache stays as it was). Their effect arrives by sync, which
 * they pull before they return.
 */
export class ChatOnline {
  constructor(private readonly options: ChatOnlineOptions) {}

  /** The direct conversation with a person: the cached one, or one the server opens (or finds). */
  async openDirect(personId: string): Promise<ConversationSummary> {
    const { chat, user, reader } = this.options;
    const cached = chat
      .listConversations()
      .find(
        (c) =>
          c.kind === 'direct' &&
          c.memberIds.includes(personId) &&
          c.memberIds.every((id) => id === personId || id === user.id),
      );
    if (cached) return reader.getConversation(cached.id) ?? this.missing();
    const conversationId = uuidv7();
    const { entityId } = await this.mutate('chat.openDirect', { conversationId, personId });
    return this.arrived(entityId ?? conversationId);
  }

  async createGroup(args: { title: string; memberIds: string[] }): Promise<ConversationSummary> {
    const conversationId = uuidv7();
    const { entityId } = await this.mutate('chat.createGroup', { conversationId, ...args });
    return this.arrived(entityId ?? conversationId);
  }

  async updateGroup(args: MutationArgs<'chat.updateGroup'>): Promise<ConversationSummary> {
    await this.mutate('chat.updateGroup', args);
    return this.arrived(args.conversationId);
  }

  async addMembers(args: MutationArgs<'chat.addMembers'>): Promise<ConversationSummary> {
    await this.mutate('chat.addMembers', args);
    return this.arrived(args.conversationId);
  }

  /** Removing the user themself is leaving: the conversation is gone from the cache afterwards (null). */
  async removeMember(args: MutationArgs<'chat.removeMember'>): Promise<ConversationSummary | null> {
    await this.mutate('chat.removeMember', args);
    if (args.personId !== this.options.user.id) return this.arrived(args.conversationId);
    await this.pullUntil(() => this.options.chat.getConversation(args.conversationId) === null);
    return this.options.reader.getConversation(args.conversationId);
  }

  async setAdmin(args: MutationArgs<'chat.setAdmin'>): Promise<ConversationSummary> {
    await this.mutate('chat.setAdmin', args);
    return this.arrived(args.conversationId);
  }

  /**
   * Fetches the page of history before the oldest message the cache holds of a conversation and
   * keeps it like synced rows (it goes when the conversation's scope goes).
   */
  async loadOlderMessages(conversationId: string): Promise<{ added: number; hasMore: boolean }> {
    const { chat, server, db, index } = this.options;
    const conversation = chat.getConversation(conversationId);
    if (!conversation) throw new CoreError('not_found', 'this conversation is not in the cache');
    const before = chat.oldestSyncedMessage(conversationId);
    const query = new URLSearchParams({ limit: String(historyPageSize) });
    if (before !== null) query.set('before', before);
    const page = await server.get(
      `/api/v1/chat/conversations/${encodeURIComponent(conversationId)}/messages?${query.toString()}`,
      MessageHistoryPage,
      'message history',
    );
    const changes = new ChangeSet();
    let added = 0;
    db.transaction(() => {
      // The conversation may have gone while the page was on its way.
      if (!chat.getConversation(conversationId)) return;
      const generation = readGeneration(db);
      for (const message of page.messages) {
        if (message.conversationId !== conversationId) continue;
        // A message sync already brought is as new as the history's copy, or newer.
        if (index.isSynced('message', message.id)) continue;
        chat.putMessage(message);
        index.record('message', message.id, conversation.audience, generation);
        changes.add('message', message.id);
        added += 1;
      }
    }).immediate();
    if (added > 0) changes.add('conversation', conversationId);
    this.options.announce(changes);
    return { added, hasMore: page.hasMore };
  }

  /** Sends one mutation straight to the server; a refusal becomes the core's typed error. */
  private async mutate<T extends MutationType>(
    type: T,
    args: MutationArgs<T>,
  ): Promise<{ entityId: string | null }> {
    const id = uuidv7();
    const { results } = await this.options.server.post(
      '/api/v1/mutations',
      { mutations: [{ id, type, args }] },
      MutationResponse,
      'mutation results',
    );
    const result = results.find((r) => r.id === id);
    if (!result) throw new CoreError('server_error', 'the server did not answer the change');
    if (result.status === 'rejected') throw new CoreError(rejectionCodes[result.code], result.message);
    if (result.seq !== null) {
      const seq = BigInt(result.seq);
      await this.pullUntil(() => BigInt(readCursor(this.options.db)) >= seq);
    }
    return { entityId: result.entityId };
  }

  private async pullUntil(done: () => boolean): Promise<void> {
    for (let pull = 0; pull < maxPullsForEffect && !done(); pull += 1) await this.options.pull();
  }

  /** The conversation once sync has brought it. */
  private async arrived(conversationId: string): Promise<ConversationSummary> {
    await this.pullUntil(() => this.options.chat.getConversation(conversationId) !== null);
    return this.options.reader.getConversation(conversationId) ?? this.missing();
  }

  private missing(): never {
    throw new CoreError('unreachable', 'the conversation has not arrived from the server yet');
  }
}
