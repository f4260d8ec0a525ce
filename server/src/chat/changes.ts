import type { EntityChange } from '../sync/change-log.js';
import type { ConversationRow } from './conversation-rows.js';

/** Change-log entries of the chat's entities, each in the scope it belongs to. */

type Audience = Pick<ConversationRow, 'id' | 'audience'>;

export const conversationChange = (conversation: Audience): EntityChange => ({
  entityType: 'conversation',
  entityId: conversation.id,
  op: 'upsert',
  scope: conversation.audience,
});

/** A message, tombstones included: a deleted message stays in its place for everyone. */
export const messageChange = (conversation: Audience, messageId: string): EntityChange => ({
  entityType: 'message',
  entityId: messageId,
  op: 'upsert',
  scope: conversation.audience,
});

/** The members' read positions: direct and group conversations have them, channels none. */
export const readsChanges = (
  conversation: Pick<ConversationRow, 'id' | 'audience' | 'kind'>,
): EntityChange[] =>
  conversation.kind === 'channel'
    ? []
    : [
        {
          entityType: 'conversationReads',
          entityId: conversation.id,
          op: 'upsert',
          scope: conversation.audience,
        },
      ];
