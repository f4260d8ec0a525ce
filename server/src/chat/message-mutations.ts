import { type MutationType, maxReactionsPerMessage } from '@flurfunk/protocol';
import { type MutationHandler, reject } from '../mutations/mutation-handler.js';
import { recordChanges } from '../sync/change-log.js';
import {
  requireMentionRights,
  requireNotDeleted,
  requireWriteAccess,
  visibleConversation,
  visibleMessage,
} from './access.js';
import { messageChange } from './changes.js';
import { isConversationAdmin } from './conversation-rows.js';
import { attachUploads, copyAttachments, detachAll } from './message-files.js';

type MessageMutation =
  'chat.sendMessage' | 'chat.editMessage' | 'chat.deleteMessage' | 'chat.forwardMessage' | 'chat.react';

/** What people write in conversations: messages, their edits, deletion, forwards and reactions. */
export const messageMutations: { readonly [T in MessageMutation & MutationType]: MutationHandler<T> } = {
  'chat.sendMessage': async (
    { tx, personId, scopes },
    { messageId, conversationId, body, replyToId, attachments },
  ) => {
    const conversation = await visibleConversation(tx, scopes, conversationId);
    await requireWriteAccess(tx, personId, conversation);
    await requireMentionRights(tx, personId, conversation, body);
    if (replyToId !== null) {
      // A reply may quote a message deleted meanwhile: what the user typed is not lost for it.
      const [answered] = await tx.query('SELECT 1 FROM messages WHERE id = $1 AND conversation_id = $2', [
        replyToId,
        conversationId,
      ]);
      if (!answered) throw reject('invalid', 'A reply answers a message of the same conversation');
    }
    const inserted = await tx.query(
      `INSERT INTO messages (id, conversation_id, author_id, body, reply_to_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [messageId, conversationId, personId, body, replyToId],
    );
    if (inserted.length === 0) throw reject('conflict', 'This message id is already taken');
    await attachUploads(tx, messageId, attachments, personId);
    const seq = await recordChanges(tx, [messageChange(conversation, messageId)]);
    return { seq, entityId: messageId };
  },

  'chat.forwardMessage': async ({ tx, personId, scopes }, { messageId, conversationId, sourceId }) => {
    const { message: source } = await visibleMessage(tx, scopes, sourceId);
    requireNotDeleted(source, 'forwarded');
    const conversation = await visibleConversation(tx, scopes, conversationId);
    await requireWriteAccess(tx, personId, conversation);
    const inserted = await tx.query(
      `INSERT INTO messages (id, conversation_id, author_id, body, forwarded) VALUES ($1, $2, $3, $4, true)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [messageId, conversationId, personId, source.body],
    );
    if (inserted.length === 0) throw reject('conflict', 'This message id is already taken');
    await copyAttachments(tx, sourceId, messageId);
    const seq = await recordChanges(tx, [messageChange(conversation, messageId)]);
    return { seq, entityId: messageId };
  },

  'chat.editMessage': async ({ tx, personId, scopes }, { messageId, body }) => {
    const { message, conversation } = await visibleMessage(tx, scopes, messageId, 'update');
    if (message.author_id !== personId) throw reject('forbidden', 'Only its author can edit a message');
    requireNotDeleted(message, 'edited');
    if (message.body === body) return { seq: null, entityId: messageId };
    await requireMentionRights(tx, personId, conversation, body);
    await tx.query('UPDATE messages SET body = $2, edited_at = now() WHERE id = $1', [messageId, body]);
    const seq = await recordChanges(tx, [messageChange(conversation, messageId)]);
    return { seq, entityId: messageId };
  },

  'chat.deleteMessage': async ({ tx, personId, scopes }, { messageId }) => {
    const { message, conversation } = await visibleMessage(tx, scopes, messageId, 'update');
    if (message.author_id !== personId && !(await isConversationAdmin(tx, conversation.id, personId))) {
      throw reject('forbidden', 'Only its author or an admin of the conversation can delete a message');
    }
    if (message.deleted) return { seq: null, entityId: messageId };
    // A tombstone stays in its place: no text, no files, no reactions.
    await tx.query(`UPDATE messages SET body = '', deleted_at = now() WHERE id = $1`, [messageId]);
    await tx.query('DELETE FROM message_reactions WHERE message_id = $1', [messageId]);
    await detachAll(tx, messageId);
    const seq = await recordChanges(tx, [messageChange(conversation, messageId)]);
    return { seq, entityId: messageId };
  },

  'chat.react': async ({ tx, personId, scopes }, { messageId, emoji, on }) => {
    // Locked: reactions given at the same moment count against the limit one after the other.
    const { message, conversation } = await visibleMessage(tx, scopes, messageId, 'update');
    requireNotDeleted(message, 'reacted to');
    let changed;
    if (on) {
      const [row] = await tx.query<{ given: boolean; kinds: number }>(
        `SELECT EXISTS (SELECT 1 FROM message_reactions WHERE message_id = $1 AND emoji = $2) AS given,
                (SELECT count(DISTINCT emoji)::int FROM message_reactions WHERE message_id = $1) AS kinds`,
        [messageId, emoji],
      );
      if (!row?.given && (row?.kinds ?? 0) >= maxReactionsPerMessage) {
        throw reject('invalid', `A message takes at most ${maxReactionsPerMessage} different emoji`);
      }
      changed = await tx.query(
        `INSERT INTO message_reactions (message_id, person_id, emoji) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING message_id`,
        [messageId, personId, emoji],
      );
    } else {
      changed = await tx.query(
        'DELETE FROM message_reactions WHERE message_id = $1 AND person_id = $2 AND emoji = $3 RETURNING message_id',
        [messageId, personId, emoji],
      );
    }
    if (changed.length === 0) return { seq: null, entityId: messageId };
    const seq = await recordChanges(tx, [messageChange(conversation, messageId)]);
    return { seq, entityId: messageId };
  },
};
