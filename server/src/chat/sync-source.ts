import { parseScopeKey, type SyncEntity } from '@flurfunk/protocol';
import { type SyncSource, sourceById } from '../sync/sync-source.js';
import { conversationJson, messageJson } from './conversation-rows.js';

/**
 * Chat entities as sync pages carry them. Settings rows are per person: the page's ref names the
 * person through its scope (`user:<id>`); the entity id is the conversation's.
 */
export const chatSyncSources: Readonly<
  Record<Extract<SyncEntity, 'conversation' | 'message' | 'conversationSettings'>, SyncSource>
> = {
  conversation: sourceById(
    `SELECT c.id, ${conversationJson} AS data FROM conversations c WHERE c.id = ANY($1::uuid[])`,
  ),
  message: sourceById(`SELECT m.id, ${messageJson} AS data FROM messages m WHERE m.id = ANY($1::uuid[])`),
  conversationSettings: async (db, refs) => {
    const pairs = refs.map((ref) => ({ person: parseScopeKey(ref.scope).id, conversation: ref.id }));
    const rows = await db.query<{ id: string; data: unknown }>(
      `SELECT s.conversation_id AS id, json_build_object(
          'id', s.conversation_id, 'muted', s.muted, 'pinned', s.pinned,
          'lastReadMessageId', s.last_read_message_id) AS data
         FROM json_to_recordset($1::json) AS x(person uuid, conversation uuid)
         JOIN conversation_settings s ON s.person_id = x.person AND s.conversation_id = x.conversation`,
      [JSON.stringify(pairs)],
    );
    return new Map(rows.map((row) => [row.id, row.data]));
  },
};
