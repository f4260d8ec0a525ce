import {
  ChatMessage,
  ConversationSettings,
  chatMutationArgs,
  mayMentionEveryone,
  mentionsIn,
} from '@flurfunk/protocol';
import type {
  ChatDraft,
  Conversation,
  MessageReaction,
  MessageView,
  MutationType,
  SessionUser,
} from '@flurfunk/protocol';
import { v7 as uuidv7 } from 'uuid';
import type { CacheDatabase } from '../cache/database.js';
import type { Drafts } from '../cache/drafts.js';
import { localTimestamp } from '../cache/timestamps.js';
import { CoreError } from '../errors.js';
import type { KnownFiles } from '../files/known-files.js';
import type { OutboxEntry, OutboxStore } from '../outbox/outbox-store.js';
import type { ChangeSet } from '../sync/change-set.js';
import type { SyncIndex } from '../sync/sync-index.js';
import { chatDraftKey } from './chat-drafts.js';
import { type ChatStore, toMessage } from './chat-store.js';

/** Messages of one conversation go out in the order they were written. */
const conversationQueue = (conversationId: string) => `conversation:${conversationId}`;
/** Settings and read marks do not wait behind a message the server refused. */
const settingsQueue = (conversationId: string) => `conversationSettings:${conversationId}`;

/** The mutations whose optimistic change is to the user's settings of a conversation, not to a message. */
export const settingsMutations: ReadonlySet<MutationType> = new Set(['chat.updateSettings']);

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
    private readonly files: KnownFiles,
    private readonly drafts: Drafts,
  ) {}

  /** Sends a message with the user's own uploads; the conversation's draft is cleared with it. */
  sendMessage(
    draft: { conversationId: string; body: string; replyToId: string | null; attachments: readonly string[] },
    changes: ChangeSet,
  ): MessageView {
    const conversation = this.writableConversation(draft.conversationId);
    this.requireMentionRights(conversation, draft.body);
    if (draft.replyToId !== null) {
      const quoted = this.chat.getMessage(draft.replyToId);
      if (!quoted || quoted.conversationId !== conversation.id)
        throw new CoreError('not_found', 'the message answered is not in this conversation');
    }
    const id = uuidv7();
    this.db
      .transaction(() => {
        // The user's own uploads: their details are known here, the server checks they are theirs.
        const attachments = this.files.takeUploads(draft.attachments);
        if (attachments.some((meta) => meta === null))
          throw new CoreError('not_found', 'an attachment is not among your uploads on this device');
        this.chat.putMessage({
          id,
          conversationId: conversation.id,
          authorId: this.user.id,
          body: draft.body,
          replyToId: draft.replyToId,
          forwarded: false,
          attachments: attachments.filter((meta) => meta !== null),
          reactions: [],
          createdAt: localTimestamp(),
          editedAt: null,
          deletedAt: null,
        });
        this.drafts.write(chatDraftKey(conversation.id), null);
        this.queue(changes, conversationQueue(conversation.id), 'chat.sendMessage', id, {
          messageId: id,
          conversationId: conversation.id,
          body: draft.body,
          replyToId: draft.replyToId,
          attachments: [...draft.attachments],
        });
      })
      .immediate();
    // The conversation's draft went with it.
    changes.add('conversation', conversation.id);
    return this.requireMessage(id);
  }

  editMessage({ messageId, body }: { messageId: string; body: string }, changes: ChangeSet): MessageView {
    const before = this.ownMessage(messageId);
    const conversation = this.chat.getConversation(before.conversationId);
    if (conversation) this.requireMentionRights(conversation, body);
    this.db
      .transaction(() => {
        this.chat.putMessage({ ...before, body, editedAt: localTimestamp() });
        this.queue(
          changes,
          conversationQueue(before.conversationId),
          'chat.editMessage',
          messageId,
          { messageId, body },
          before,
        );
      })
      .immediate();
    return this.requireMessage(messageId);
  }

  /** Deletes a message for everyone: a tombstone stays in its place. */
  deleteMessage({ messageId }: { messageId: string }, changes: ChangeSet): MessageView {
    const before = this.ownMessage(messageId, { orAdmin: true });
    this.db
      .transaction(() => {
        this.chat.putMessage(tombstoneOf(before, localTimestamp()));
        this.queue(
          changes,
          conversationQueue(before.conversationId),
          'chat.deleteMessage',
          messageId,
          { messageId },
          before,
        );
      })
      .immediate();
    return this.requireMessage(messageId);
  }

  /** Sends a copy of a message, with its files, into another conversation. */
  forwardMessage(
    { sourceId, conversationId }: { sourceId: string; conversationId: string },
    changes: ChangeSet,
  ): MessageView {
    const source = this.chat.getMessage(sourceId);
    if (!source || source.deletedAt !== null)
      throw new CoreError('not_found', 'this message is not in the cache');
    const conversation = this.writableConversation(conversationId);
    const id = uuidv7();
    this.db
      .transaction(() => {
        this.chat.putMessage({
          id,
          conversationId: conversation.id,
          authorId: this.user.id,
          body: source.body,
          replyToId: null,
          forwarded: true,
          attachments: source.attachments,
          reactions: [],
          createdAt: localTimestamp(),
          editedAt: null,
          deletedAt: null,
        });
        this.queue(changes, conversationQueue(conversation.id), 'chat.forwardMessage', id, {
          messageId: id,
          conversationId: conversation.id,
          sourceId,
        });
      })
      .immediate();
    return this.requireMessage(id);
  }

  /** Gives (`on`) or takes back the user's reaction with one emoji. */
  react(
    { messageId, emoji, on }: { messageId: string; emoji: string; on: boolean },
    changes: ChangeSet,
  ): MessageView {
    const current = this.chat.getMessage(messageId);
    if (!current || current.deletedAt !== null)
      throw new CoreError('not_found', 'this message is not in the cache');
    const before = toMessage(current);
    const reactions = withReaction(before.reactions, emoji, this.user.id, on);
    if (reactions === before.reactions) return current;
    this.db
      .transaction(() => {
        this.chat.putMessage({ ...before, reactions });
        this.queue(
          changes,
          conversationQueue(before.conversationId),
          'chat.react',
          messageId,
          { messageId, emoji, on },
          before,
        );
      })
      .immediate();
    return this.requireMessage(messageId);
  }

  /**
   * The user has read up to this message; a mark never moves back. The server knows only messages
   * it has confirmed, so the mark goes to the newest of those up to this one (the user's own
   * unconfirmed messages are never unread anyway).
   */
  markRead(
    { conversationId, messageId }: { conversationId: string; messageId: string },
    changes: ChangeSet,
  ): void {
    const message = this.chat.getMessage(messageId);
    if (!message || message.conversationId !== conversationId)
      throw new CoreError('not_found', 'this message is not in this conversation');
    const target = this.index.isSynced('message', messageId)
      ? message
      : this.chat.getMessage(this.chat.latestSyncedUpTo(conversationId, message) ?? '');
    if (!target) return;
    const current = this.chat.getSettings(conversationId);
    const read = current.lastReadMessageId === null ? null : this.chat.getMessage(current.lastReadMessageId);
    if (read && !isAfter(target, read)) return;
    this.db
      .transaction(() => {
        // Read marks still waiting to go out are replaced: the server (and every member's read
        // receipts) hear of the newest only. Discarding the new one restores what was before them.
        const waiting = this.waitingReadMarks(conversationId);
        for (const entry of waiting) {
          this.outbox.delete(entry.id);
          changes.add('outboxEntry', entry.id);
        }
        const before = ConversationSettings.safeParse(waiting[0]?.undo);
        this.changeSettings(
          changes,
          { ...current, lastReadMessageId: target.id },
          before.success ? { ...current, lastReadMessageId: before.data.lastReadMessageId } : current,
          { conversationId, lastReadMessageId: target.id },
        );
      })
      .immediate();
  }

  /**
   * Pending outbox entries of a conversation that only move its read mark. One being sent right now
   * may be among them: the server then hears of both marks, the newer one last.
   */
  private waitingReadMarks(conversationId: string): OutboxEntry[] {
    return this.outbox.forEntities([conversationId]).filter((entry) => {
      if (entry.type !== 'chat.updateSettings' || entry.state !== 'pending') return false;
      const args = chatMutationArgs['chat.updateSettings'].safeParse(entry.args);
      return (
        args.success &&
        args.data.lastReadMessageId !== undefined &&
        args.data.muted === undefined &&
        args.data.pinned === undefined
      );
    });
  }

  updateSettings(
    {
      conversationId,
      muted,
      pinned,
    }: { conversationId: string; muted?: boolean | undefined; pinned?: boolean | undefined },
    changes: ChangeSet,
  ): void {
    if (!this.chat.getConversation(conversationId))
      throw new CoreError('not_found', 'this conversation is not in the cache');
    const before = this.chat.getSettings(conversationId);
    const after = { ...before, muted: muted ?? before.muted, pinned: pinned ?? before.pinned };
    if (after.muted === before.muted && after.pinned === before.pinned) return;
    this.changeSettings(changes, after, before, {
      conversationId,
      ...(muted === undefined ? {} : { muted }),
      ...(pinned === undefined ? {} : { pinned }),
    });
  }

  /** Keeps (or, null, clears) what the user typed in a conversation's composer. */
  saveDraft(
    { conversationId, draft }: { conversationId: string; draft: ChatDraft | null },
    changes: ChangeSet,
  ): void {
    if (!this.chat.getConversation(conversationId))
      throw new CoreError('not_found', 'this conversation is not in the cache');
    const empty = draft !== null && draft.body.trim() === '' && draft.replyToId === null;
    this.drafts.write(chatDraftKey(conversationId), empty ? null : draft);
    changes.add('conversation', conversationId);
  }

  private changeSettings(
    changes: ChangeSet,
    after: ConversationSettings,
    before: ConversationSettings,
    args: unknown,
  ): void {
    this.db
      .transaction(() => {
        this.chat.putSettings(after);
        this.queue(changes, settingsQueue(after.id), 'chat.updateSettings', after.id, args, before);
      })
      .immediate();
    changes.add('conversationSettings', after.id);
  }

  private queue(
    changes: ChangeSet,
    queue: string,
    type: MutationType,
    entityId: string,
    args: unknown,
    undo?: unknown,
  ): void {
    const id = uuidv7();
    this.outbox.add({ id, queue, type, args, entityId, undo, createdAt: new Date().toISOString() });
    changes.add('outboxEntry', id);
    if (!settingsMutations.has(type)) changes.add('message', entityId);
  }

  /**
   * Takes back the optimistic change of a write the user discards, and only that: what sync
   * brought since (others' reactions, the other settings) stays. Call inside its transaction.
   */
  undo(entry: OutboxEntry, changes: ChangeSet): void {
    if (entry.entityId === null) return;
    if (entry.type === 'chat.updateSettings') {
      const before = ConversationSettings.safeParse(entry.undo);
      const args = chatMutationArgs['chat.updateSettings'].safeParse(entry.args);
      if (before.success && args.success) {
        const current = this.chat.getSettings(entry.entityId);
        this.chat.putSettings({
          ...current,
          ...(args.data.muted !== undefined ? { muted: before.data.muted } : {}),
          ...(args.data.pinned !== undefined ? { pinned: before.data.pinned } : {}),
          ...(args.data.lastReadMessageId !== undefined
            ? { lastReadMessageId: before.data.lastReadMessageId }
            : {}),
        });
      }
      changes.add('conversationSettings', entry.entityId);
      return;
    }
    if (entry.type === 'chat.sendMessage' || entry.type === 'chat.forwardMessage') {
      if (!this.index.isSynced('message', entry.entityId)) {
        const message = this.chat.getMessage(entry.entityId);
        // A sent message's files are the user's uploads again, to attach to what they write instead.
        if (entry.type === 'chat.sendMessage')
          for (const file of message?.attachments ?? []) this.files.recordUpload(file);
        this.chat.deleteLocalMessage(entry.entityId);
      }
      changes.add('message', entry.entityId);
      return;
    }
    const before = ChatMessage.safeParse(entry.undo);
    const current = this.chat.getMessage(entry.entityId);
    // Only a message that still exists on the server (as far as sync knows) comes back.
    if (before.success && current && this.index.isSynced('message', entry.entityId)) {
      this.chat.putMessage(undone(entry, before.data, toMessage(current), this.user.id));
    }
    changes.add('message', entry.entityId);
  }

  /**
   * Applies the user's unconfirmed writes again to rows a sync page has just overwritten with the
   * server's older version. Call inside the page's transaction.
   */
  reapply(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) {
      switch (entry.type) {
        case 'chat.editMessage': {
          const { messageId, body } = chatMutationArgs['chat.editMessage'].parse(entry.args);
          const current = this.chat.getMessage(messageId);
          if (current && current.deletedAt === null)
            this.chat.putMessage({ ...toMessage(current), body, editedAt: localTimestamp() });
          break;
        }
        case 'chat.deleteMessage': {
          const { messageId } = chatMutationArgs['chat.deleteMessage'].parse(entry.args);
          const current = this.chat.getMessage(messageId);
          if (current && current.deletedAt === null)
            this.chat.putMessage(tombstoneOf(toMessage(current), localTimestamp()));
          break;
        }
        case 'chat.react': {
          const { messageId, emoji, on } = chatMutationArgs['chat.react'].parse(entry.args);
          const current = this.chat.getMessage(messageId);
          if (current && current.deletedAt === null) {
            const reactions = withReaction(current.reactions, emoji, this.user.id, on);
            if (reactions !== current.reactions) this.chat.putMessage({ ...toMessage(current), reactions });
          }
          break;
        }
        case 'chat.updateSettings': {
          const { conversationId, ...set } = chatMutationArgs['chat.updateSettings'].parse(entry.args);
          const current = this.chat.getSettings(conversationId);
          this.chat.putSettings({
            ...current,
            muted: set.muted ?? current.muted,
            pinned: set.pinned ?? current.pinned,
            lastReadMessageId: this.laterRead(current.lastReadMessageId, set.lastReadMessageId),
          });
          break;
        }
        default:
          break;
      }
    }
  }

  /** Of the synced read mark and the user's unconfirmed one, the later. */
  private laterRead(synced: string | null, mine: string | null | undefined): string | null {
    if (mine === undefined || mine === null) return synced;
    if (synced === null) return mine;
    const a = this.chat.getMessage(synced);
    const b = this.chat.getMessage(mine);
    if (!a || !b) return mine;
    return isAfter(b, a) ? mine : synced;
  }

  private writableConversation(conversationId: string): Conversation {
    const conversation = this.chat.getConversation(conversationId);
    if (!conversation) throw new CoreError('not_found', 'this conversation is not in the cache');
    if (conversation.readOnly && !conversation.adminIds.includes(this.user.id)) {
      throw new CoreError('forbidden', 'only the admins of this conversation can write in it');
    }
    return conversation;
  }

  private requireMentionRights(conversation: Conversation, body: string): void {
    const isAdmin = conversation.adminIds.includes(this.user.id);
    if (mentionsIn(body).everyone && !mayMentionEveryone({ kind: conversation.kind, isAdmin })) {
      throw new CoreError('forbidden', 'only the admins of this channel can mention everyone in it');
    }
  }

  /** A message the user may change: their own, or (`orAdmin`) any in a conversation they administer. */
  private ownMessage(id: string, { orAdmin = false } = {}): ChatMessage {
    const message = this.chat.getMessage(id);
    if (!message || message.deletedAt !== null)
      throw new CoreError('not_found', 'this message is not in the cache');
    const isAdmin =
      orAdmin &&
      (this.chat.getConversation(message.conversationId)?.adminIds.includes(this.user.id) ?? false);
    if (message.authorId !== this.user.id && !isAdmin)
      throw new CoreError('forbidden', 'only its author can change a message');
    return toMessage(message);
  }

  private requireMessage(id: string): MessageView {
    const message = this.chat.getMessage(id);
    if (!message) throw new Error(`the message ${id} just written is missing`);
    return message;
  }
}

/**
 * The message as it is now, with one refused write of the user's taken back: a reaction goes back
 * to whether the user had given it, an edit gives back the text, a deletion the message as it was
 * (its tombstone replaced all of it).
 */
function undone(entry: OutboxEntry, before: ChatMessage, current: ChatMessage, userId: string): ChatMessage {
  switch (entry.type) {
    case 'chat.react': {
      const { emoji } = chatMutationArgs['chat.react'].parse(entry.args);
      const had = before.reactions.some((r) => r.emoji === emoji && r.personIds.includes(userId));
      return { ...current, reactions: withReaction(current.reactions, emoji, userId, had) };
    }
    case 'chat.editMessage':
      return current.deletedAt === null
        ? { ...current, body: before.body, editedAt: before.editedAt }
        : current;
    default:
      return before;
  }
}

/** What stays of a message deleted for everyone. */
function tombstoneOf(message: ChatMessage, deletedAt: string): ChatMessage {
  return { ...message, body: '', attachments: [], reactions: [], deletedAt };
}

/** Whether `a` comes after `b` in their conversation's order (time, then id). */
function isAfter(a: { createdAt: string; id: string }, b: { createdAt: string; id: string }): boolean {
  return a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id);
}

/**
 * The reactions with the person's reaction of one emoji given or taken back; the same array when
 * that changes nothing.
 */
export function withReaction(
  reactions: MessageReaction[],
  emoji: string,
  personId: string,
  on: boolean,
): MessageReaction[] {
  const existing = reactions.find((reaction) => reaction.emoji === emoji);
  const has = existing?.personIds.includes(personId) ?? false;
  if (has === on) return reactions;
  if (on) {
    return existing
      ? reactions.map((r) => (r === existing ? { ...r, personIds: [...r.personIds, personId] } : r))
      : [...reactions, { emoji, personIds: [personId] }];
  }
  return reactions.flatMap((r) => {
    if (r !== existing) return [r];
    const personIds = r.personIds.filter((id) => id !== personId);
    return personIds.length === 0 ? [] : [{ ...r, personIds }];
  });
}
