import type { ScopeKey } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';
import { isoTimestamp } from '../db/sql.js';

export interface ConversationRow {
  id: string;
  kind: 'direct' | 'group' | 'channel';
  audience: ScopeKey;
  read_only: boolean;
}

export async function findConversation(tx: Queryable, id: string): Promise<ConversationRow | null> {
  const [row] = await tx.query<ConversationRow>(
    'SELECT id, kind, audience, read_only FROM conversations WHERE id = $1',
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

/** `json_build_object` of a protocol Conversation from `conversations` as `c`. */
export const conversationJson = `json_build_object(
  'id', c.id, 'kind', c.kind, 'title', c.title, 'audience', c.audience,
  'memberIds', CASE WHEN c.kind = 'channel' THEN '[]'::json ELSE coalesce(
    (SELECT json_agg(m.person_id ORDER BY m.added_at, m.person_id) FROM conversation_members m
      WHERE m.conversation_id = c.id), '[]'::json) END,
  'adminIds', coalesce((SELECT json_agg(m.person_id ORDER BY m.added_at, m.person_id) FROM conversation_members m
      WHERE m.conversation_id = c.id AND m.role = 'admin'), '[]'::json),
  'readOnly', c.read_only,
  'createdAt', ${isoTimestamp('c.created_at')})`;

/** `json_build_object` of a protocol ChatMessage from `messages` as `m`. */
export const messageJson = `json_build_object(
  'id', m.id, 'conversationId', m.conversation_id, 'authorId', m.author_id, 'body', m.body,
  'createdAt', ${isoTimestamp('m.created_at')},
  'editedAt', CASE WHEN m.edited_at IS NULL THEN NULL ELSE ${isoTimestamp('m.edited_at')} END)`;
