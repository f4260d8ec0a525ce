import type { MutationType } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';
import { lockUnusedOwnImage } from '../files/file-rows.js';
import { type MutationHandler, reject } from '../mutations/mutation-handler.js';
import { type EntityChange, recordChanges } from '../sync/change-log.js';
import { chatScope, userScope } from '../sync/scopes.js';
import { administeredGroup, visibleConversation, visibleGroup } from './access.js';
import { conversationChange, readsChanges } from './changes.js';
import { startMembersAtNewest } from './read-on-join.js';
import { type ConversationRow, findConversation, isConversationAdmin } from './conversation-rows.js';

type ConversationMutation =
  | 'chat.createGroup'
  | 'chat.openDirect'
  | 'chat.updateGroup'
  | 'chat.addMembers'
  | 'chat.removeMember'
  | 'chat.setAdmin'
  | 'chat.updateSettings';

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

/** The picture a group's admin chose: one of their own image uploads that nothing uses yet. */
async function requirePicture(tx: Queryable, fileId: string, adminId: string): Promise<void> {
  if (!(await lockUnusedOwnImage(tx, fileId, adminId))) {
    throw reject('invalid', 'A group picture is an image you uploaded that is not used elsewhere');
  }
}

/** Conversations, their members and admins, and each person's own settings of them. */
export const conversationMutations: {
  readonly [T in ConversationMutation & MutationType]: MutationHandler<T>;
} = {
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

  'chat.updateGroup': async ({ tx, personId, scopes }, { conversationId, title, pictureId }) => {
    const group = await administeredGroup(
      tx,
      personId,
      scopes,
      conversationId,
      'rename it or change its picture',
    );
    const newTitle = title ?? group.title;
    const newPicture = pictureId === undefined ? group.picture_id : pictureId;
    if (newTitle === group.title && newPicture === group.picture_id)
      return { seq: null, entityId: conversationId };
    if (newPicture !== null && newPicture !== group.picture_id)
      await requirePicture(tx, newPicture, personId);
    // The picture replaced is used by nothing now: the cleanup removes it.
    await tx.query('UPDATE conversations SET title = $2, picture_id = $3 WHERE id = $1', [
      conversationId,
      newTitle,
      newPicture,
    ]);
    const seq = await recordChanges(tx, [conversationChange(group)]);
    return { seq, entityId: conversationId };
  },

  'chat.addMembers': async ({ tx, personId, scopes }, { conversationId, personIds }) => {
    const group = await administeredGroup(tx, personId, scopes, conversationId, 'add members');
    await requireExistingPeople(tx, personIds);
    await addMembers(tx, conversationId, personIds, 'member');
    const seq = await recordChanges(
      tx,
      [
        conversationChange(group),
        ...(await startMembersAtNewest(tx, conversationId, personIds)),
        // More members may turn named read receipts into counts.
        ...readsChanges(group),
      ],
      personIds.map(userScope),
    );
    return { seq, entityId: conversationId };
  },

  'chat.removeMember': async ({ tx, personId, scopes }, { conversationId, personId: removedId }) => {
    const group = await visibleGroup(tx, scopes, conversationId);
    if (removedId !== personId && !(await isConversationAdmin(tx, conversationId, personId))) {
      throw reject('forbidden', 'Only the admins of this group can remove others');
    }
    const removed = await tx.query(
      'DELETE FROM conversation_members WHERE conversation_id = $1 AND person_id = $2 RETURNING person_id',
      [conversationId, removedId],
    );
    if (removed.length === 0) throw reject('not_found', 'This person is not a member of the group');
    await keepAnAdmin(tx, conversationId);
    // Their own settings for it go too: nothing of the group stays on their devices, and their
    // read position leaves the others' read receipts.
    const [settings] = await tx.query<{ had_read: boolean }>(
      `DELETE FROM conversation_settings WHERE conversation_id = $1 AND person_id = $2
       RETURNING last_read_message_id IS NOT NULL AS had_read`,
      [conversationId, removedId],
    );
    const changes: EntityChange[] = [conversationChange(group)];
    if (settings) {
      changes.push({
        entityType: 'conversationSettings',
        entityId: conversationId,
        op: 'delete',
        scope: userScope(removedId),
      });
      if (settings.had_read) changes.push(...readsChanges(group));
    }
    const seq = await recordChanges(tx, changes, [userScope(removedId)]);
    return { seq, entityId: conversationId };
  },

  'chat.setAdmin': async ({ tx, personId, scopes }, { conversationId, personId: memberId, admin }) => {
    const group = await administeredGroup(tx, personId, scopes, conversationId, 'choose its admins');
    // Locked: two admins stepping down at once cannot leave the group without one.
    const members = await tx.query<{ person_id: string; role: 'member' | 'admin' }>(
      'SELECT person_id, role FROM conversation_members WHERE conversation_id = $1 FOR UPDATE',
      [conversationId],
    );
    const member = members.find((m) => m.person_id === memberId);
    if (!member) throw reject('not_found', 'This person is not a member of the group');
    if ((member.role === 'admin') === admin) return { seq: null, entityId: conversationId };
    if (!admin && members.filter((m) => m.role === 'admin').length === 1) {
      throw reject('invalid', 'A group keeps at least one admin: make someone else admin first');
    }
    await tx.query(
      'UPDATE conversation_members SET role = $3 WHERE conversation_id = $1 AND person_id = $2',
      [conversationId, memberId, admin ? 'admin' : 'member'],
    );
    const seq = await recordChanges(tx, [conversationChange(group)]);
    return { seq, entityId: conversationId };
  },

  'chat.updateSettings': async (
    { tx, personId, scopes },
    { conversationId, muted, pinned, lastReadMessageId },
  ) => {
    const conversation = await visibleConversation(tx, scopes, conversationId);
    if (lastReadMessageId) await requireMessageOf(tx, conversation, lastReadMessageId);
    const [row] = await tx.query<{ changed: boolean; read_changed: boolean }>(
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
                   AND old.last_read_message_id IS NOT DISTINCT FROM upserted.last_read_message_id) AS changed,
              (SELECT last_read_message_id FROM upserted)
                IS DISTINCT FROM (SELECT last_read_message_id FROM old) AS read_changed`,
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
      // Read receipts: the other members see how far this one has read.
      ...(row.read_changed ? readsChanges(conversation) : []),
    ]);
    return { seq, entityId: conversationId };
  },
};

/** A read position names a message of its own conversation. */
async function requireMessageOf(tx: Queryable, conversation: ConversationRow, messageId: string) {
  const [found] = await tx.query('SELECT 1 FROM messages WHERE id = $1 AND conversation_id = $2', [
    messageId,
    conversation.id,
  ]);
  if (!found) throw reject('invalid', 'The last message read is not one of this conversation');
}
