import type { MutationType, ScopeKey } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';
import { type MutationHandler, reject } from '../mutations/mutation-handler.js';
import { type EntityChange, recordChanges } from '../sync/change-log.js';
import { chatScope, userScope } from '../sync/scopes.js';
import {
  type ConversationRow,
  findConversation,
  findVisibleConversation,
  isConversationAdmin,
} from './conversation-rows.js';

type ChatMutation = Extract<MutationType, `chat.${string}`>;

const conversationChange = (c: Pick<ConversationRow, 'id' | 'audience'>): EntityChange => ({
  entityType: 'conversation',
  entityId: c.id,
  op: 'upsert',
  scope: c.audience,
});

/** The conversation if the author may see it; an invisible one is reported as missing, never as forbidden. */
async function visibleConversation(
  tx: Queryable,
  scopes: readonly ScopeKey[],
  id: string,
): Promise<ConversationRow> {
  const conversation = await findVisibleConversation(tx, scopes, id);
  if (!conversation) throw reject('not_found', 'This conversation does not exist or you are not a member');
  return conversation;
}

async function visibleGroup(
  tx: Queryable,
  scopes: readonly ScopeKey[],
  id: string,
): Promise<ConversationRow> {
  const conversation = await visibleConversation(tx, scopes, id);
  if (conversation.kind !== 'group')
    throw reject('invalid', 'Only group conversations have editable members');
  return conversation;
}

async function requireExistingPeople(tx: Queryable, ids: readonly string[]): Promise<void> {
  const unique = [...new Set(ids)];
  const [row] = await tx.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM persons WHERE id = ANY($1::uuid[])',
    [unique],
  );
  if ((row?.count ?? 0) !== unique.length) throw reject('not_found', 'A chosen person does not exist');
}

async function requireUnusedConversationId(tx: Queryable, id: string): Promise<void> {
  if (await findConversation(tx, id)) throw reject('conflict', 'This conversation id is already taken');
}

async function messageInVisibleConversation(tx: Queryable, scopes: readonly ScopeKey[], messageId: string) {
  const [message] = await tx.query<{ author_id: string; conversation_id: string }>(
    'SELECT author_id, conversation_id FROM messages WHERE id = $1',
    [messageId],
  );
  const conversation = message && (await findVisibleConversation(tx, scopes, message.conversation_id));
  // A message in a conversation the author cannot see is reported exactly like a missing one.
  if (!message || !conversation) {
    throw reject('not_found', 'This message does not exist');
  }
  return { message, conversation };
}

async function addMembers(
  tx: Queryable,
  conversationId: string,
  personIds: readonly string[],
  role: 'member' | 'admin',
) {
  await tx.query(
    `INSERT INTO conversation_members (conversation_id, person_id, role)
     SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING`,
    [conversationId, [...new Set(personIds)], role],
  );
}

/** A group whose last admin left gets its longest-standing member as admin. */
async function keepAnAdmin(tx: Queryable, conversationId: string): Promise<void> {
  await tx.query(
    `UPDATE conversation_members SET role = 'admin'
      WHERE conversation_id = $1 AND person_id = (
        SELECT person_id FROM conversation_members WHERE conversation_id = $1
         ORDER BY added_at, person_id LIMIT 1)
        AND NOT EXISTS (SELECT 1 FROM conversation_members WHERE conversation_id = $1 AND role = 'admin')`,
    [conversationId],
  );
}

export const chatMutations: { readonly [T in ChatMutation]: MutationHandler<T> } = {
  'chat.sendMessage': async ({ tx, personId, scopes }, { messageId, conversationId, body }) => {
    const conversation = await visibleConversation(tx, scopes, conversationId);
    if (conversation.read_only && !(await isConversationAdmin(tx, conversationId, personId))) {
      throw reject('forbidden', 'Only the admins of this conversation can write in it');
    }
    const inserted = await tx.query(
      `INSERT INTO messages (id, conversation_id, author_id, body) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [messageId, conversationId, personId, body],
    );
    if (inserted.length === 0) throw reject('conflict', 'This message id is already taken');
    const seq = await recordChanges(tx, [
      { entityType: 'message', entityId: messageId, op: 'upsert', scope: conversation.audience },
    ]);
    return { seq, entityId: messageId };
  },

  'chat.editMessage': async ({ tx, personId, scopes }, { messageId, body }) => {
    const { message, conversation } = await messageInVisibleConversation(tx, scopes, messageId);
    if (message.author_id !== personId) throw reject('forbidden', 'Only its author can edit a message');
    await tx.query('UPDATE messages SET body = $2, edited_at = now() WHERE id = $1', [messageId, body]);
    const seq = await recordChanges(tx, [
      { entityType: 'message', entityId: messageId, op: 'upsert', scope: conversation.audience },
    ]);
    return { seq, entityId: messageId };
  },

  'chat.deleteMessage': async ({ tx, personId, scopes }, { messageId }) => {
    const { message, conversation } = await messageInVisibleConversation(tx, scopes, messageId);
    if (message.author_id !== personId && !(await isConversationAdmin(tx, conversation.id, personId))) {
      throw reject('forbidden', 'Only its author or an admin of the conversation can delete a message');
    }
    await tx.query('DELETE FROM messages WHERE id = $1', [messageId]);
    const seq = await recordChanges(tx, [
      { entityType: 'message', entityId: messageId, op: 'delete', scope: conversation.audience },
    ]);
    return { seq, entityId: messageId };
  },

  'chat.createGroup': async ({ tx, personId }, { conversationId, title, memberIds }) => {
    await requireUnusedConversationId(tx, conversationId);
    const others = memberIds.filter((id) => id !== personId);
    await requireExistingPeople(tx, others);
    const audience = chatScope(conversationId);
    // ON CONFLICT: a concurrent write may claim the id after the check above.
    const created = await tx.query(
      `INSERT INTO conversations (id, kind, title, audience, created_by) VALUES ($1, 'group', $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING id`,
      [conversationId, title, audience, personId],
    );
    if (created.length === 0) throw reject('conflict', 'This conversation id is already taken');
    await addMembers(tx, conversationId, [personId], 'admin');
    await addMembers(tx, conversationId, others, 'member');
    const seq = await recordChanges(
      tx,
      [conversationChange({ id: conversationId, audience })],
      [personId, ...others].map(userScope),
    );
    return { seq, entityId: conversationId };
  },

  'chat.openDirect': async ({ tx, personId }, { conversationId, personId: otherId }) => {
    if (otherId === personId) throw reject('invalid', 'A direct conversation needs another person');
    await requireExistingPeople(tx, [otherId]);
    const pair = [personId, otherId].sort().join(':');
    const existingPair = async () => {
      const [existing] = await tx.query<{ id: string }>(
        'SELECT id FROM conversations WHERE direct_pair = $1',
        [pair],
      );
      return existing ? { seq: null, entityId: existing.id } : null;
    };
    const existing = await existingPair();
    if (existing) return existing;
    await requireUnusedConversationId(tx, conversationId);
    const audience = chatScope(conversationId);
    // Both people may open it at the same moment: the second insert waits for the first and
    // then finds its conversation.
    const created = await tx.query(
      `INSERT INTO conversations (id, kind, audience, direct_pair, created_by) VALUES ($1, 'direct', $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING id`,
      [conversationId, audience, pair, personId],
    );
    if (created.length === 0) {
      const opened = await existingPair();
      if (opened) return opened;
      throw reject('conflict', 'This conversation id is already taken');
    }
    await addMembers(tx, conversationId, [personId, otherId], 'member');
    const seq = await recordChanges(
      tx,
      [conversationChange({ id: conversationId, audience })],
      [userScope(personId), userScope(otherId)],
    );
    return { seq, entityId: conversationId };
  },

  'chat.addMembers': async ({ tx, personId, scopes }, { conversationId, personIds }) => {
    const conversation = await visibleGroup(tx, scopes, conversationId);
    if (!(await isConversationAdmin(tx, conversationId, personId))) {
      throw reject('forbidden', 'Only the admins of this group can add members');
    }
    await requireExistingPeople(tx, personIds);
    await addMembers(tx, conversationId, personIds, 'member');
    const seq = await recordChanges(tx, [conversationChange(conversation)], personIds.map(userScope));
    return { seq, entityId: conversationId };
  },

  'chat.removeMember': async ({ tx, personId, scopes }, { conversationId, personId: removedId }) => {
    const conversation = await visibleGroup(tx, scopes, conversationId);
    if (removedId !== personId && !(await isConversationAdmin(tx, conversationId, personId))) {
      throw reject('forbidden', 'Only the admins of this group can remove others');
    }
    const removed = await tx.query(
      'DELETE FROM conversation_members WHERE conversation_id = $1 AND person_id = $2 RETURNING person_id',
      [conversationId, removedId],
    );
    if (removed.length === 0) throw reject('not_found', 'This person is not a member of the group');
    await keepAnAdmin(tx, conversationId);
    // Their own settings for it go too: nothing of the group stays on their devices.
    const settings = await tx.query(
      'DELETE FROM conversation_settings WHERE conversation_id = $1 AND person_id = $2 RETURNING person_id',
      [conversationId, removedId],
    );
    const changes: EntityChange[] = [conversationChange(conversation)];
    if (settings.length > 0) {
      changes.push({
        entityType: 'conversationSettings',
        entityId: conversationId,
        op: 'delete',
        scope: userScope(removedId),
      });
    }
    const seq = await recordChanges(tx, changes, [userScope(removedId)]);
    return { seq, entityId: conversationId };
  },

  'chat.updateSettings': async (
    { tx, personId, scopes },
    { conversationId, muted, pinned, lastReadMessageId },
  ) => {
    await visibleConversation(tx, scopes, conversationId);
    const [row] = await tx.query<{ changed: boolean }>(
      `WITH old AS (
         SELECT muted, pinned, last_read_message_id FROM conversation_settings
          WHERE person_id = $1 AND conversation_id = $2),
       upserted AS (
         INSERT INTO conversation_settings (person_id, conversation_id, muted, pinned, last_read_message_id)
         VALUES ($1, $2, coalesce($3, false), coalesce($4, false), $5)
         ON CONFLICT (person_id, conversation_id) DO UPDATE SET
           muted = coalesce($3, conversation_settings.muted),
           pinned = coalesce($4, conversation_settings.pinned),
           last_read_message_id = CASE WHEN $6 THEN $5 ELSE conversation_settings.last_read_message_id END
         RETURNING muted, pinned, last_read_message_id)
       SELECT NOT EXISTS (
         SELECT 1 FROM old, upserted
          WHERE old.muted = upserted.muted AND old.pinned = upserted.pinned
            AND old.last_read_message_id IS NOT DISTINCT FROM upserted.last_read_message_id) AS changed`,
      [
        personId,
        conversationId,
        muted ?? null,
        pinned ?? null,
        lastReadMessageId ?? null,
        lastReadMessageId !== undefined,
      ],
    );
    if (!row?.changed) return { seq: null, entityId: conversationId };
    const seq = await recordChanges(tx, [
      {
        entityType: 'conversationSettings',
        entityId: conversationId,
        op: 'upsert',
        scope: userScope(personId),
      },
    ]);
    return { seq, entityId: conversationId };
  },
};
