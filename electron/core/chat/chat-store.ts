import type {
  ChatMessage,
  Conversation,
  ConversationSettings,
  Delivery,
  MessageView,
  SyncChange,
  SyncEntity,
} from '@flurfunk/protocol';
import type { CacheDatabase } from '../cache/database.js';
import type { SyncTarget } from '../sync/sync-target.js';

interface ConversationRow {
  id: string;
  kind: Conversation['kind'];
  title: string;
  audience: string;
  member_ids: string;
  admin_ids: string;
  read_only: number;
  created_at: string;
}

interface MessageRow {
  id: string;
  conversation_id: string;
  author_id: string;
  body: string;
  created_at: string;
  edited_at: string | null;
  state: 'pending' | 'sent' | 'failed' | null;
  outbox_id: string | null;
}

const messageColumns = /* sql */ `
  m.id, m.conversation_id, m.author_id, m.body, m.created_at, m.edited_at, o.state, o.id AS outbox_id`;
// The newest outbox entry touching the message decides its delivery state.
const latestOutboxEntry = /* sql */ `
  LEFT JOIN outbox o ON o.position = (
    SELECT max(position) FROM outbox WHERE entity_id = m.id)`;

/** Conversations, messages and the user's settings in the cache: written by sync and by the user's own writes. */
export class ChatStore implements SyncTarget {
  private readonly statements;

  constructor(db: CacheDatabase) {
    this.statements = {
      upsertConversation: db.prepare<[Record<string, unknown>]>(/* sql */ `
        INSERT INTO conversations (id, kind, title, audience, member_ids, admin_ids, read_only, created_at)
        VALUES (@id, @kind, @title, @audience, @memberIds, @adminIds, @readOnly, @createdAt)
        ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title,
          audience = excluded.audience, member_ids = excluded.member_ids, admin_ids = excluded.admin_ids,
          read_only = excluded.read_only, created_at = excluded.created_at`),
      deleteConversation: db.prepare<[string]>('DELETE FROM conversations WHERE id = ?'),
      forgetMessagesOf: db.prepare<[string]>(/* sql */ `
        DELETE FROM sync_index WHERE entity = 'message'
          AND id IN (SELECT id FROM messages WHERE conversation_id = ?)`),
      deleteMessagesOf: db.prepare<[string]>('DELETE FROM messages WHERE conversation_id = ?'),
      forgetSettingsOf: db.prepare<[string]>(
        `DELETE FROM sync_index WHERE entity = 'conversationSettings' AND id = ?`,
      ),
      upsertMessage: db.prepare<[ChatMessage]>(/* sql */ `
        INSERT INTO messages (id, conversation_id, author_id, body, created_at, edited_at)
        VALUES (@id, @conversationId, @authorId, @body, @createdAt, @editedAt)
        ON CONFLICT (id) DO UPDATE SET conversation_id = excluded.conversation_id,
          author_id = excluded.author_id, body = excluded.body, created_at = excluded.created_at,
          edited_at = excluded.edited_at`),
      deleteMessage: db.prepare<[string]>('DELETE FROM messages WHERE id = ?'),
      upsertSettings: db.prepare<[Record<string, unknown>]>(/* sql */ `
        INSERT INTO conversation_settings (id, muted, pinned, last_read_message_id)
        VALUES (@id, @muted, @pinned, @lastReadMessageId)
        ON CONFLICT (id) DO UPDATE SET muted = excluded.muted, pinned = excluded.pinned,
          last_read_message_id = excluded.last_read_message_id`),
      deleteSettings: db.prepare<[string]>('DELETE FROM conversation_settings WHERE id = ?'),
      listConversations: db.prepare<[], ConversationRow>(/* sql */ `
        SELECT c.* FROM conversations c
        ORDER BY coalesce((SELECT max(created_at) FROM messages WHERE conversation_id = c.id), c.created_at) DESC, c.id
        LIMIT 1000`),
      getConversation: db.prepare<[string], ConversationRow>('SELECT * FROM conversations WHERE id = ?'),
      latestMessages: db.prepare<[string, number], MessageRow>(/* sql */ `
        SELECT ${messageColumns} FROM messages m ${latestOutboxEntry}
        WHERE m.conversation_id = ?
        ORDER BY m.created_at DESC, m.id DESC LIMIT ?`),
      messagesBefore: db.prepare<[string, string, string, number], MessageRow>(/* sql */ `
        SELECT ${messageColumns} FROM messages m ${latestOutboxEntry}
        WHERE m.conversation_id = ? AND (m.created_at, m.id) < (?, ?)
        ORDER BY m.created_at DESC, m.id DESC LIMIT ?`),
      getMessage: db.prepare<[string], MessageRow>(
        `SELECT ${messageColumns} FROM messages m ${latestOutboxEntry} WHERE m.id = ?`,
      ),
    };
  }

  apply(change: SyncChange): void {
    switch (change.type) {
      case 'conversation.upsert':
        this.statements.upsertConversation.run(conversationParams(change.data));
        return;
      case 'message.upsert':
        this.statements.upsertMessage.run(change.data);
        return;
      case 'conversationSettings.upsert':
        this.statements.upsertSettings.run(settingsParams(change.data));
        return;
      case 'conversation.delete':
      case 'message.delete':
      case 'conversationSettings.delete':
        this.remove(change.type.slice(0, change.type.indexOf('.')) as SyncEntity, change.id);
        return;
      default:
        throw new Error(`the chat store got a change it does not hold: ${change.type}`);
    }
  }

  remove(entity: SyncEntity, id: string): void {
    if (entity === 'conversation') {
      // Its messages and the user's settings for it go with it, the user's unsent messages
      // included: they can no longer be delivered.
      this.statements.forgetMessagesOf.run(id);
      this.statements.deleteMessagesOf.run(id);
      this.statements.forgetSettingsOf.run(id);
      this.statements.deleteSettings.run(id);
      this.statements.deleteConversation.run(id);
    } else if (entity === 'message') this.statements.deleteMessage.run(id);
    else if (entity === 'conversationSettings') this.statements.deleteSettings.run(id);
  }

  listConversations(): Conversation[] {
    return this.statements.listConversations.all().map(toConversation);
  }

  getConversation(id: string): Conversation | null {
    const row = this.statements.getConversation.get(id);
    return row ? toConversation(row) : null;
  }

  /** The `limit` newest messages before `before` (or the newest of all), oldest first. */
  listMessages(
    conversationId: string,
    limit: number,
    before?: { createdAt: string; id: string },
  ): MessageView[] {
    const rows = before
      ? this.statements.messagesBefore.all(conversationId, before.createdAt, before.id, limit)
      : this.statements.latestMessages.all(conversationId, limit);
    return rows.reverse().map(toMessageView);
  }

  getMessage(id: string): MessageView | null {
    const row = this.statements.getMessage.get(id);
    return row ? toMessageView(row) : null;
  }

  /** Writes a message row the user created or changed, before the server has it. */
  putLocalMessage(message: ChatMessage): void {
    this.statements.upsertMessage.run(message);
  }

  deleteLocalMessage(id: string): void {
    this.statements.deleteMessage.run(id);
  }
}

function conversationParams(c: Conversation): Record<string, unknown> {
  return {
    ...c,
    memberIds: JSON.stringify(c.memberIds),
    adminIds: JSON.stringify(c.adminIds),
    readOnly: c.readOnly ? 1 : 0,
  };
}

function settingsParams(s: ConversationSettings): Record<string, unknown> {
  return { ...s, muted: s.muted ? 1 : 0, pinned: s.pinned ? 1 : 0 };
}

function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    audience: row.audience,
    memberIds: JSON.parse(row.member_ids) as string[],
    adminIds: JSON.parse(row.admin_ids) as string[],
    readOnly: row.read_only === 1,
    createdAt: row.created_at,
  };
}

function toMessageView(row: MessageRow): MessageView {
  const delivery: Delivery = row.state ?? 'synced';
  return {
    id: row.id,
    conversationId: row.conversation_id,
    authorId: row.author_id,
    body: row.body,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    delivery,
    outboxId: row.state === null ? null : row.outbox_id,
  };
}
