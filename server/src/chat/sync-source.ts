import { parseScopeKey, type ScopeKey, type SyncEntity } from '@flurfunk/protocol';
import { scopesOf } from '../sync/scopes.js';
import { type SyncSource, sourceById } from '../sync/sync-source.js';
import { conversationJson, messageJson, readsJson } from './conversation-rows.js';

/**
 * Chat entities as sync pages carry them. Settings rows are per person: the page's ref names the
 * person through its scope (`user:<id>`); the entity id is the conversation's. Settings of a
 * conversation the person can no longer see (they moved department, lost a role) go out as
 * tombstones: nothing of it stays on their devices. Read receipts exist for direct and group
 * conversations only: a channel's readers are not told to anyone.
 */
export const chatSyncSources: Readonly<
  Record<
    Extract<SyncEntity, 'conversation' | 'message' | 'conversationSettings' | 'conversationReads'>,
    SyncSource
  >
> = {
  conversation: sourceById(
    `SELECT c.id, ${conversationJson} AS data FROM conversations c WHERE c.id = ANY($1::uuid[])`,
  ),
  message: sourceById(`SELECT m.id, ${messageJson} AS data FROM messages m WHERE m.id = ANY($1::uuid[])`),
  conversationSettings: async (db, refs) => {
    const visible = new Map<string, ScopeKey[]>();
    for (const person of new Set(refs.map((ref) => parseScopeKey(ref.scope).id))) {
      visible.set(person, await scopesOf(db, person));
    }
    const pairs = refs.map((ref) => {
      const person = parseScopeKey(ref.scope).id;
      return { person, conversation: ref.id, scopes: visible.get(person) ?? [] };
    });
    const rows = await db.query<{ id: string; data: unknown }>(
      `SELECT s.conversation_id AS id, json_build_object(
          'id', s.conversation_id, 'muted', s.muted, 'pinned', s.pinned,
          'lastReadMessageId', s.last_read_message_id) AS data
         FROM json_to_recordset($1::json) AS x(person uuid, conversation uuid, scopes text[])
         JOIN conversation_settings s ON s.person_id = x.person AND s.conversation_id = x.conversation
         JOIN conversations c ON c.id = s.conversation_id AND c.audience = ANY(x.scopes)`,
      [JSON.stringify(pairs)],
    );
    return new Map(rows.map((row) => [row.id, row.data]));
  },
  conversationReads: sourceById(
    `SELECT c.id, ${readsJson} AS data FROM conversations c
      WHERE c.id = ANY($1::uuid[]) AND c.kind <> 'channel'`,
  ),
};
