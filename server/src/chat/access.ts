import { type ScopeKey, mayMentionEveryone, mentionsIn } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';
import { reject } from '../mutations/mutation-handler.js';
import {
  type ConversationRow,
  type MessageRow,
  findMessage,
  findVisibleConversation,
  isConversationAdmin,
} from './conversation-rows.js';

/** Who may do what in a conversation, as the chat's mutations ask it; refusals as mutation results. */

/** The conversation if the person may see it; an invisible one is reported as missing, never as forbidden. */
export async function visibleConversation(
  tx: Queryable,
  scopes: readonly ScopeKey[],
  id: string,
): Promise<ConversationRow> {
  const conversation = await findVisibleConversation(tx, scopes, id);
  if (!conversation) throw reject('not_found', 'This conversation does not exist or you are not a member');
  return conversation;
}

export async function visibleGroup(
  tx: Queryable,
  scopes: readonly ScopeKey[],
  id: string,
): Promise<ConversationRow> {
  const conversation = await visibleConversation(tx, scopes, id);
  if (conversation.kind !== 'group') throw reject('invalid', 'Only group conversations can be changed so');
  return conversation;
}

/** A group the person administers; `action` completes "Only the admins of this group can …". */
export async function administeredGroup(
  tx: Queryable,
  personId: string,
  scopes: readonly ScopeKey[],
  id: string,
  action: string,
): Promise<ConversationRow> {
  const conversation = await visibleGroup(tx, scopes, id);
  if (!(await isConversationAdmin(tx, id, personId))) {
    throw reject('forbidden', `Only the admins of this group can ${action}`);
  }
  return conversation;
}

/** Read-only conversations (announcements) take messages from their admins only. */
export async function requireWriteAccess(
  tx: Queryable,
  personId: string,
  conversation: ConversationRow,
): Promise<void> {
  if (conversation.read_only && !(await isConversationAdmin(tx, conversation.id, personId))) {
    throw reject('forbidden', 'Only the admins of this conversation can write in it');
  }
}

/**
 * The message and its conversation if the person sees them, locked as in `findMessage`; a message
 * in a conversation they cannot see is reported exactly like a missing one.
 */
export async function visibleMessage(
  tx: Queryable,
  scopes: readonly ScopeKey[],
  messageId: string,
  lock: 'update' | 'none' = 'none',
): Promise<{ message: MessageRow; conversation: ConversationRow }> {
  const message = await findMessage(tx, messageId, lock);
  const conversation = message && (await findVisibleConversation(tx, scopes, message.conversation_id));
  if (!message || !conversation) throw reject('not_found', 'This message does not exist');
  return { message, conversation };
}

/** A message that is not a tombstone; `action` completes "A deleted message cannot be …". */
export function requireNotDeleted(message: MessageRow, action: string): void {
  if (message.deleted) throw reject('invalid', `A deleted message cannot be ${action}`);
}

/** A message that mentions everyone in a channel comes from one of its admins. */
export async function requireMentionRights(
  tx: Queryable,
  personId: string,
  conversation: ConversationRow,
  body: string,
): Promise<void> {
  if (!mentionsIn(body).everyone) return;
  const isAdmin =
    conversation.kind === 'channel' && (await isConversationAdmin(tx, conversation.id, personId));
  if (!mayMentionEveryone({ kind: conversation.kind, isAdmin })) {
    throw reject('forbidden', 'Only the admins of this channel can mention everyone in it');
  }
}
