import { type ScopeKey, maxNamedReaders, maxReadPositions } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';
import { isoTimestamp } from '../db/sql.js';
import { fileJson } from '../files/file-rows.js';

export interface ConversationRow {
  id: string;
  kind: 'direct' | 'group' | 'channel';
  audience: ScopeKey;
  read_only: boolean;
  title: string;
  picture_id: string | null;
}

export async function findConversation(tx: Queryable, id: string): Promise<ConversationRow | null> {
  const [row] = await tx.query<ConversationRow>(
    'SELECT id, kind, audience, read_only, title, picture_id FROM conversations WHERE id = $1',
    [id],
  );
  return row ?? null;
}

/** The conversation if someone holding `scopes` may see it; null when it does not exist or they may not. */
export async function findVisibleConversation(
  tx: Queryable,
  scopes: readonly ScopeKey[],
  id: string,
): Promise<ConversationRow | null> {
  const conversation = await findConversation(tx, id);
  return conversation && scopes.includes(conversation.audience) ? conversation : null;
}

export async function isConversationAdmin(
  tx: Queryable,
  conversationId: string,
  personId: string,
): Promise<boolean> {
  const rows = await tx.query(
    `SELECT 1 FROM conversation_members WHERE conversation_id = $1 AND person_id = $2 AND role = 'admin'`,
    [conversationId, personId],
  );
  return rows.length > 0;
}

export interface MessageRow {
  id: string;
  conversation_id: string;
  author_id: string;
  body: string;
  deleted: boolean;
}

/**
 * The message, or null. `lock` holds its row until the transaction ends, so edits, deletion and
 * reactions of one message do not cross.
 */
export async function findMessage(
  tx: Queryable,
  id: string,
  lock: 'update' | 'none' = 'none',
): Promise<MessageRow | null> {
  const [row] = await tx.query<MessageRow>(
    `SELECT id, conversation_id, author_id, body, deleted_at IS NOT NULL AS deleted FROM messages WHERE id = $1
     ${lock === 'update' ? 'FOR UPDATE' : ''}`,
    [id],
  );
  return row ?? null;
}

/** `json_build_object` of a protocol Conversation from `conversations` as `c`. */
export const conversationJson = `json_build_object(
  'id', c.id, 'kind', c.kind, 'title', c.title, 'audience', c.audience,
  'memberIds', CASE WHEN c.kind = 'channel' THEN '[]'::json ELSE coalesce(
    (SELECT json_agg(m.person_id ORDER BY m.added_at, m.person_id) FROM conversation_members m
      WHERE m.conversation_id = c.id), '[]'::json) END,
  'adminIds', coalesce((SELECT json_agg(m.person_id ORDER BY m.added_at, m.person_id) FROM conversation_members m
      WHERE m.conversation_id = c.id AND m.role = 'admin'), '[]'::json),
  'readOnly', c.read_only,
  'picture', (SELECT ${fileJson} FROM files f WHERE f.id = c.picture_id),
  'createdAt', ${isoTimestamp('c.created_at')})`;

/** JSON: the reactions of the message `m`, each emoji once, in the order they were first given. */
const reactionsJson = `coalesce(
  (SELECT json_agg(json_build_object('emoji', r.emoji, 'personIds', r.person_ids) ORDER BY r.first_at, r.emoji)
     FROM (SELECT emoji, min(created_at) AS first_at,
                  json_agg(person_id ORDER BY created_at, person_id) AS person_ids
             FROM message_reactions WHERE message_id = m.id GROUP BY emoji) r),
  '[]'::json)`;

/** `json_build_object` of a protocol ChatMessage from `messages` as `m`. */
export const messageJson = `json_build_object(
  'id', m.id, 'conversationId', m.conversation_id, 'authorId', m.author_id, 'body', m.body,
  'replyToId', m.reply_to_id, 'forwarded', m.forwarded,
  'attachments', coalesce(
    (SELECT json_agg(${fileJson} ORDER BY mf.position)
       FROM message_files mf JOIN files f ON f.id = mf.file_id WHERE mf.message_id = m.id),
    '[]'::json),
  'reactions', ${reactionsJson},
  'createdAt', ${isoTimestamp('m.created_at')},
  'editedAt', CASE WHEN m.edited_at IS NULL THEN NULL ELSE ${isoTimestamp('m.edited_at')} END,
  'deletedAt', CASE WHEN m.deleted_at IS NULL THEN NULL ELSE ${isoTimestamp('m.deleted_at')} END)`;

/**
 * `json_build_object` of a protocol ConversationReads from `conversations` as `c`: its members'
 * read positions, by name in small conversations, otherwise counted at the newest positions.
 */
export const readsJson = `(WITH positions AS (
    SELECT s.person_id, s.last_read_message_id, m.created_at
      FROM conversation_settings s
      JOIN conversation_members cm ON cm.conversation_id = s.conversation_id AND cm.person_id = s.person_id
      -- A position at a message from before the member joined is only where they started.
      JOIN messages m ON m.id = s.last_read_message_id AND m.created_at >= cm.added_at
     WHERE s.conversation_id = c.id),
  named AS (SELECT (SELECT count(*) FROM conversation_members cm WHERE cm.conversation_id = c.id)
                   <= ${maxNamedReaders} AS yes)
  SELECT json_build_object('id', c.id,
    'readers', CASE WHEN (SELECT yes FROM named) THEN coalesce(
      (SELECT json_agg(json_build_object('personId', p.person_id, 'lastReadMessageId', p.last_read_message_id)
                       ORDER BY p.person_id) FROM positions p),
      '[]'::json) ELSE '[]'::json END,
    'counts', CASE WHEN (SELECT yes FROM named) THEN '[]'::json ELSE coalesce(
      (SELECT json_agg(json_build_object('lastReadMessageId', t.id, 'readers', t.readers)
                       ORDER BY t.created_at DESC, t.id DESC)
         FROM (SELECT p.last_read_message_id AS id, p.created_at, count(*)::int AS readers
                 FROM positions p GROUP BY p.last_read_message_id, p.created_at
                ORDER BY p.created_at DESC, p.last_read_message_id DESC
                LIMIT ${maxReadPositions}) t),
      '[]'::json) END))`;
