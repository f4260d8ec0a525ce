import { highlightEnd, highlightStart, mentionsIn } from '@flurfunk/protocol';
import type {
  ChatMessage,
  Conversation,
  ConversationSettings,
  ConversationSummary,
  Delivery,
  FileMeta,
  MessageReaction,
  MessageSearchHit,
  MessageView,
  SyncChange,
  SyncEntity,
} from '@flurfunk/protocol';
import type { CacheDatabase } from '../cache/database.js';
import { toFtsQuery } from '../cache/fts-query.js';
import type { SyncTarget } from '../sync/sync-target.js';
import { chatDraftKey } from './chat-drafts.js';

const noReads: ConversationSummary['reads'] = { readers: [], counts: [] };

interface ConversationRow {
  id: string;
  kind: Conversation['kind'];
  title: string;
  audience: string;
  member_ids: string;
  admin_ids: string;
  read_only: number;
  picture: string | null;
  created_at: string;
}

interface MessageRow {
  id: string;
  conversation_id: string;
  author_id: string;
  body: string;
  reply_to_id: string | null;
  forwarded: number;
  attachments: string;
  reactions: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  state: 'pending' | 'sent' | 'failed' | null;
  outbox_id: string | null;
  error_code: string | null;
}

/** Where a message stands in its conversation's order. */
export interface MessagePosition {
  createdAt: string;
  id: string;
}

/** Unread messages of others after the user's last read one, and how many of them mention the user. */
export interface UnreadCounts {
  unread: number;
  mentions: number;
}

export interface MessageSearch {
  query: string;
  conversationId?: string | undefined;
  authorId?: string | undefined;
  hasFiles?: boolean | undefined;
  since?: string | undefined;
  until?: string | undefined;
  limit: number;
}

const messageColumns = /* sql */ `
  m.id, m.conversation_id, m.author_id, m.body, m.reply_to_id, m.forwarded, m.attachments, m.reactions,
  m.created_at, m.edited_at, m.deleted_at, o.state, o.id AS outbox_id, o.error_code`;
// The newest outbox entry touching the message decides its delivery state.
const latestOutboxEntry = /* sql */ `
  LEFT JOIN outbox o ON o.position = (
    SELECT max(position) FROM outbox WHERE entity_id = m.id)`;
const filterColumns = /* sql */ `
  m.id, m.conversation_id, m.author_id, m.created_at, m.has_files, substr(m.body, 1, 160) AS snippet`;
const newestFirst = 'ORDER BY m.created_at DESC, m.id DESC';
/** Matches of a search that are ranked: the newest this many. */
const searchWindow = 2000;
const oldestFirst = 'ORDER BY m.created_at, m.id';
// Search filters, each off when its parameter is null. Times compare as text: the server writes
// UTC with a fixed number of digits, and the filters are normalised to the same form.
const searchFilters = /* sql */ `
  (@conversationId IS NULL OR m.conversation_id = @conversationId)
  AND (@authorId IS NULL OR m.author_id = @authorId)
  AND (@hasFiles IS NULL OR m.has_files = @hasFiles)
  AND (@since IS NULL OR m.created_at >= @since)
  AND (@until IS NULL OR m.created_at < @until)`;

/**
 * Conversations, messages, the user's settings and the members' read positions in the cache:
 * written by sync and by the user's own writes. `userId` is the signed-in user: whether a message
 * mentions them is worked out once, when it is written.
 */
export class ChatStore implements SyncTarget {
  private readonly statements;
  /** Files of messages and pictures that went from the cache, for the file cache to drop. */
  private readonly goneFiles = new Set<string>();

  constructor(
    db: CacheDatabase,
    private readonly userId: string,
  ) {
    this.statements = {
      upsertConversation: db.prepare<[Record<string, unknown>]>(/* sql */ `
        INSERT INTO conversations (id, kind, title, audience, member_ids, admin_ids, read_only, picture, created_at)
        VALUES (@id, @kind, @title, @audience, @memberIds, @adminIds, @readOnly, @picture, @createdAt)
        ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title,
          audience = excluded.audience, member_ids = excluded.member_ids, admin_ids = excluded.admin_ids,
          read_only = excluded.read_only, picture = excluded.picture, created_at = excluded.created_at`),
      deleteConversation: db.prepare<[string]>('DELETE FROM conversations WHERE id = ?'),
      forgetMessagesOf: db.prepare<[string]>(/* sql */ `
        DELETE FROM sync_index WHERE entity = 'message'
          AND id IN (SELECT id FROM messages WHERE conversation_id = ?)`),
      deleteMessagesOf: db.prepare<[string]>('DELETE FROM messages WHERE conversation_id = ?'),
      forgetConversationRows: db.prepare<[string]>(
        `DELETE FROM sync_index WHERE entity IN ('conversationSettings', 'conversationReads') AND id = ?`,
      ),
      deleteDraft: db.prepare<[string]>('DELETE FROM drafts WHERE key = ?'),
      upsertMessage: db.prepare<[Record<string, unknown>]>(/* sql */ `
        INSERT INTO messages (id, conversation_id, author_id, body, reply_to_id, forwarded, attachments,
                              reactions, created_at, edited_at, deleted_at, mentions_me, has_files)
        VALUES (@id, @conversationId, @authorId, @body, @replyToId, @forwarded, @attachments,
                @reactions, @createdAt, @editedAt, @deletedAt, @mentionsMe, @hasFiles)
        ON CONFLICT (id) DO UPDATE SET conversation_id = excluded.conversation_id,
          author_id = excluded.author_id, body = excluded.body, reply_to_id = excluded.reply_to_id,
          forwarded = excluded.forwarded, attachments = excluded.attachments, reactions = excluded.reactions,
          created_at = excluded.created_at, edited_at = excluded.edited_at, deleted_at = excluded.deleted_at,
          mentions_me = excluded.mentions_me, has_files = excluded.has_files`),
      deleteMessage: db.prepare<[string]>('DELETE FROM messages WHERE id = ?'),
      filesOfMessage: db
        .prepare<[string], string>('SELECT file_id FROM message_files WHERE message_id = ?')
        .pluck(),
      filesOfConversation: db
        .prepare<[string], string>(
          'SELECT f.file_id FROM message_files f JOIN messages m ON m.id = f.message_id WHERE m.conversation_id = ?',
        )
        .pluck(),
      pictureOf: db
        .prepare<[string], string>(
          `SELECT json_extract(picture, '$.id') FROM conversations WHERE id = ? AND picture IS NOT NULL`,
        )
        .pluck(),
      upsertSettings: db.prepare<[Record<string, unknown>]>(/* sql */ `
        INSERT INTO conversation_settings (id, muted, pinned, last_read_message_id)
        VALUES (@id, @muted, @pinned, @lastReadMessageId)
        ON CONFLICT (id) DO UPDATE SET muted = excluded.muted, pinned = excluded.pinned,
          last_read_message_id = excluded.last_read_message_id`),
      deleteSettings: db.prepare<[string]>('DELETE FROM conversation_settings WHERE id = ?'),
      getSettings: db.prepare<
        [string],
        { id: string; muted: number; pinned: number; last_read_message_id: string | null }
      >('SELECT * FROM conversation_settings WHERE id = ?'),
      upsertReads: db.prepare<[string, string]>(
        'INSERT INTO conversation_reads (id, reads) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET reads = excluded.reads',
      ),
      deleteReads: db.prepare<[string]>('DELETE FROM conversation_reads WHERE id = ?'),
      getReads: db.prepare<[string], string>('SELECT reads FROM conversation_reads WHERE id = ?').pluck(),
      // Pinned first, then the one with the newest message (or, without messages, the newest).
      listConversations: db.prepare<[], ConversationRow>(/* sql */ `
        SELECT c.* FROM conversations c LEFT JOIN conversation_settings s ON s.id = c.id
        ORDER BY coalesce(s.pinned, 0) DESC,
          coalesce((SELECT max(created_at) FROM messages WHERE conversation_id = c.id), c.created_at) DESC, c.id
        LIMIT 1000`),
      getConversation: db.prepare<[string], ConversationRow>('SELECT * FROM conversations WHERE id = ?'),
      newestOfOthers: db
        .prepare<[string], string>(
          'SELECT created_at FROM messages WHERE author_id <> ? ORDER BY created_at DESC LIMIT 1',
        )
        .pluck(),
      mentionsMe: db.prepare<[string], number>('SELECT mentions_me FROM messages WHERE id = ?').pluck(),
      conversationsOfMessages: db.prepare<[string], { conversation_id: string }>(
        'SELECT conversation_id FROM messages WHERE id IN (SELECT value FROM json_each(?))',
      ),
      othersSince: db
        .prepare<[string, string, number], string>(
          'SELECT id FROM messages WHERE created_at > ? AND author_id <> ? ORDER BY created_at DESC LIMIT ?',
        )
        .pluck(),
      // Messages sort before a position by (time, id); a missing last-read message counts as
      // "before everything", so all cached messages of others are unread.
      unread: db.prepare<
        [{ conversationId: string; lastRead: string | null; userId: string }],
        UnreadCounts
      >(/* sql */ `
        WITH last_read AS (
          SELECT coalesce(max(created_at), '') AS created_at, coalesce(max(id), '') AS id
          FROM messages WHERE id = @lastRead)
        SELECT count(*) AS unread, coalesce(sum(m.mentions_me), 0) AS mentions
        FROM messages m, last_read r
        WHERE m.conversation_id = @conversationId AND (m.created_at, m.id) > (r.created_at, r.id)
          AND m.author_id <> @userId AND m.deleted_at IS NULL`),
      // The same rule as `unread`, summed over every conversation in one pass for the badge;
      // a muted conversation counts only its mentions.
      unreadTotal: db.prepare<[{ userId: string }], { messages: number; mentions: number }>(/* sql */ `
        SELECT coalesce(sum(CASE WHEN t.muted = 1 THEN t.mentions ELSE t.unread END), 0) AS messages,
               coalesce(sum(t.mentions), 0) AS mentions
        FROM (
          SELECT coalesce(s.muted, 0) AS muted, count(*) AS unread, sum(m.mentions_me) AS mentions
          FROM conversations c
          LEFT JOIN conversation_settings s ON s.id = c.id
          LEFT JOIN messages r ON r.id = s.last_read_message_id
          JOIN messages m ON m.conversation_id = c.id
            AND (m.created_at, m.id) > (coalesce(r.created_at, ''), coalesce(r.id, ''))
            AND m.author_id <> @userId AND m.deleted_at IS NULL
          GROUP BY c.id) t`),
      latestMessages: db.prepare<[string, number], MessageRow>(/* sql */ `
        SELECT ${messageColumns} FROM messages m ${latestOutboxEntry}
        WHERE m.conversation_id = ? ${newestFirst} LIMIT ?`),
      messagesBefore: db.prepare<[string, string, string, number], MessageRow>(/* sql */ `
        SELECT ${messageColumns} FROM messages m ${latestOutboxEntry}
        WHERE m.conversation_id = ? AND (m.created_at, m.id) < (?, ?) ${newestFirst} LIMIT ?`),
      messagesAfter: db.prepare<[string, string, string, number], MessageRow>(/* sql */ `
        SELECT ${messageColumns} FROM messages m ${latestOutboxEntry}
        WHERE m.conversation_id = ? AND (m.created_at, m.id) > (?, ?) ${oldestFirst} LIMIT ?`),
      getMessage: db.prepare<[string], MessageRow>(
        `SELECT ${messageColumns} FROM messages m ${latestOutboxEntry} WHERE m.id = ?`,
      ),
      latestSyncedUpTo: db
        .prepare<[string, string, string], string>(
          /* sql */ `
          SELECT m.id FROM messages m JOIN sync_index i ON i.entity = 'message' AND i.id = m.id
          WHERE m.conversation_id = ? AND (m.created_at, m.id) <= (?, ?) ${newestFirst} LIMIT 1`,
        )
        .pluck(),
      oldestSynced: db
        .prepare<[string], string>(
          /* sql */ `
          SELECT m.id FROM messages m JOIN sync_index i ON i.entity = 'message' AND i.id = m.id
          WHERE m.conversation_id = ? ${oldestFirst} LIMIT 1`,
        )
        .pluck(),
      // Ranks first, then cuts the snippet only for the hits that are shown: snippet() reads
      // (and decrypts) a whole body each.
      // Ranking every match of a common word among a million messages takes seconds, so the
      // best matches are chosen among the newest `searchWindow` ones (FTS5 walks its rowids
      // backwards and stops there); snippets are made for the chosen ones only.
      search: db.prepare<[Record<string, unknown>], SearchRow>(/* sql */ `
        WITH newest AS MATERIALIZED (
          SELECT s.rowid AS search_rowid, bm25(messages_search) AS score, m.id, m.conversation_id,
            m.author_id, m.created_at, m.attachments <> '[]' AS has_files
          FROM messages_search s JOIN messages m ON m.search_rowid = s.rowid
          WHERE messages_search MATCH @query AND ${searchFilters}
          ORDER BY s.rowid DESC
          LIMIT ${searchWindow}),
        ranked AS MATERIALIZED (
          SELECT * FROM newest ORDER BY score, created_at DESC LIMIT @limit)
        SELECT r.id, r.conversation_id, r.author_id, r.created_at, r.has_files,
          snippet(messages_search, 0, @start, @end, '…', 24) AS snippet
        FROM ranked r JOIN messages_search ON messages_search.rowid = r.search_rowid
        WHERE messages_search MATCH @query
        ORDER BY r.score, r.created_at DESC`),
      // No words, only filters: the newest matching messages, the start of each as its snippet.
      // Walking an index in time order stops after `limit` matches.
      filter: db.prepare<[Record<string, unknown>], SearchRow>(/* sql */ `
        SELECT ${filterColumns} FROM messages m INDEXED BY messages_by_time
        WHERE ${searchFilters} AND m.deleted_at IS NULL ${newestFirst} LIMIT @limit`),
      filterInConversation: db.prepare<[Record<string, unknown>], SearchRow>(/* sql */ `
        SELECT ${filterColumns} FROM messages m INDEXED BY messages_by_conversation
        WHERE m.conversation_id = @conversationId AND ${searchFilters} AND m.deleted_at IS NULL
        ${newestFirst} LIMIT @limit`),
    };
  }

  apply(change: SyncChange): void {
    switch (change.type) {
      case 'conversation.upsert':
        this.noteGoneFiles(this.statements.pictureOf.all(change.id));
        this.statements.upsertConversation.run(conversationParams(change.data));
        return;
      case 'message.upsert':
        this.putMessage(change.data);
        return;
      case 'conversationSettings.upsert':
        this.putSettings(change.data);
        return;
      case 'conversationReads.upsert':
        this.statements.upsertReads.run(
          change.id,
          JSON.stringify({ readers: change.data.readers, counts: change.data.counts }),
        );
        return;
      case 'conversation.delete':
      case 'message.delete':
      case 'conversationSettings.delete':
      case 'conversationReads.delete':
        this.remove(change.type.slice(0, change.type.indexOf('.')) as SyncEntity, change.id);
        return;
      default:
        throw new Error(`the chat store got a change it does not hold: ${change.type}`);
    }
  }

  remove(entity: SyncEntity, id: string): void {
    if (entity === 'conversation') {
      // Its messages (and with them their files, see message_files), the user's settings, the
      // read positions and the unsent draft go with it, the user's unsent messages included:
      // they can no longer be delivered.
      this.noteGoneFiles([
        ...this.statements.filesOfConversation.all(id),
        ...this.statements.pictureOf.all(id),
      ]);
      this.statements.forgetMessagesOf.run(id);
      this.statements.deleteMessagesOf.run(id);
      this.statements.forgetConversationRows.run(id);
      this.statements.deleteSettings.run(id);
      this.statements.deleteReads.run(id);
      this.statements.deleteDraft.run(chatDraftKey(id));
      this.statements.deleteConversation.run(id);
    } else if (entity === 'message') {
      this.noteGoneFiles(this.statements.filesOfMessage.all(id));
      this.statements.deleteMessage.run(id);
    } else if (entity === 'conversationSettings') this.statements.deleteSettings.run(id);
    else if (entity === 'conversationReads') this.statements.deleteReads.run(id);
  }

  /**
   * The files that messages or pictures named before they went from the cache since the last
   * call. Some may still be named elsewhere (a forwarded copy): the caller checks.
   */
  takeGoneFiles(): string[] {
    const ids = [...this.goneFiles];
    this.goneFiles.clear();
    return ids;
  }

  private noteGoneFiles(ids: readonly string[]): void {
    for (const id of ids) this.goneFiles.add(id);
  }

  listConversations(): Conversation[] {
    return this.statements.listConversations.all().map(toConversation);
  }

  getConversation(id: string): Conversation | null {
    const row = this.statements.getConversation.get(id);
    return row ? toConversation(row) : null;
  }

  /** The user's settings of a conversation; the defaults when they never changed them. */
  getSettings(conversationId: string): ConversationSettings {
    const row = this.statements.getSettings.get(conversationId);
    return {
      id: conversationId,
      muted: row?.muted === 1,
      pinned: row?.pinned === 1,
      lastReadMessageId: row?.last_read_message_id ?? null,
    };
  }

  putSettings(settings: ConversationSettings): void {
    this.statements.upsertSettings.run({
      ...settings,
      muted: settings.muted ? 1 : 0,
      pinned: settings.pinned ? 1 : 0,
    });
  }

  readsOf(conversationId: string): ConversationSummary['reads'] {
    const stored = this.statements.getReads.get(conversationId);
    return stored === undefined ? noReads : (JSON.parse(stored) as ConversationSummary['reads']);
  }

  unreadIn(conversationId: string, lastReadMessageId: string | null): UnreadCounts {
    return (
      this.statements.unread.get({ conversationId, lastRead: lastReadMessageId, userId: this.userId }) ?? {
        unread: 0,
        mentions: 0,
      }
    );
  }

  /** Unread messages across all conversations, muted ones counting only their mentions. */
  unreadTotal(): { messages: number; mentions: number } {
    return this.statements.unreadTotal.get({ userId: this.userId }) ?? { messages: 0, mentions: 0 };
  }

  /** The `limit` newest messages, or those right before or after a position; oldest first. */
  listMessages(
    conversationId: string,
    limit: number,
    from?: { before: MessagePosition } | { after: MessagePosition },
  ): MessageView[] {
    if (from && 'after' in from) {
      return this.statements.messagesAfter
        .all(conversationId, from.after.createdAt, from.after.id, limit)
        .map(toMessageView);
    }
    const rows = from
      ? this.statements.messagesBefore.all(conversationId, from.before.createdAt, from.before.id, limit)
      : this.statements.latestMessages.all(conversationId, limit);
    return rows.reverse().map(toMessageView);
  }

  getMessage(id: string): MessageView | null {
    const row = this.statements.getMessage.get(id);
    return row ? toMessageView(row) : null;
  }

  /** When the newest cached message of someone else was written (server time); null without one. */
  newestMessageOfOthers(): string | null {
    return this.statements.newestOfOthers.get(this.userId) ?? null;
  }

  /** Ids of others' messages written after `time` (server time), newest first, at most `limit`. */
  messagesOfOthersSince(time: string, limit: number): string[] {
    return this.statements.othersSince.all(time, this.userId, limit);
  }

  /** The conversations of cached messages; `missing` when some of the ids are not in the cache. */
  conversationsOfMessages(ids: readonly string[]): { conversationIds: string[]; missing: boolean } {
    const rows = this.statements.conversationsOfMessages.all(JSON.stringify(ids));
    return {
      conversationIds: [...new Set(rows.map((row) => row.conversation_id))],
      missing: rows.length < new Set(ids).size,
    };
  }

  /** Whether a cached message mentions the user or the whole conversation. */
  mentionsUser(messageId: string): boolean {
    return this.statements.mentionsMe.get(messageId) === 1;
  }

  /** The newest message the server has confirmed at or before a position of a conversation. */
  latestSyncedUpTo(conversationId: string, position: MessagePosition): string | null {
    return this.statements.latestSyncedUpTo.get(conversationId, position.createdAt, position.id) ?? null;
  }

  /** The oldest message of a conversation the server has confirmed: older history starts before it. */
  oldestSyncedMessage(conversationId: string): string | null {
    return this.statements.oldestSynced.get(conversationId) ?? null;
  }

  /**
   * Messages matching the words of `query` (prefixes, accents ignored), best first, with marked
   * matches; without words, the newest messages the filters let through. Tombstones never match.
   */
  searchMessages({ query, limit, ...filters }: MessageSearch): MessageSearchHit[] {
    const params = {
      conversationId: filters.conversationId ?? null,
      authorId: filters.authorId ?? null,
      hasFiles: filters.hasFiles === undefined ? null : filters.hasFiles ? 1 : 0,
      since: filters.since === undefined ? null : storedTime(filters.since),
      until: filters.until === undefined ? null : storedTime(filters.until),
      limit,
    };
    const ftsQuery = toFtsQuery(query);
    let rows: SearchRow[];
    if (ftsQuery !== null) {
      rows = this.statements.search.all({
        ...params,
        query: ftsQuery,
        start: highlightStart,
        end: highlightEnd,
      });
    } else if (Object.values(filters).some((value) => value !== undefined)) {
      rows =
        params.conversationId === null
          ? this.statements.filter.all(params)
          : this.statements.filterInConversation.all(params);
    } else return [];
    return rows.map((row) => ({
      messageId: row.id,
      conversationId: row.conversation_id,
      authorId: row.author_id,
      snippet: row.snippet,
      createdAt: row.created_at,
      hasFiles: row.has_files === 1,
    }));
  }

  /** Writes a message: from sync, from the server's history, or the user's own before the server has it. */
  putMessage(message: ChatMessage): void {
    // Files leave a message only when it is deleted (a tombstone), whoever writes that first:
    // the user's own deletion here, or sync.
    if (message.deletedAt !== null) this.noteGoneFiles(this.statements.filesOfMessage.all(message.id));
    // A forwarded text's mentions were meant for its first readers: they notify nobody here.
    const mentions = message.forwarded ? { everyone: false, personIds: [] } : mentionsIn(message.body);
    this.statements.upsertMessage.run({
      ...message,
      forwarded: message.forwarded ? 1 : 0,
      attachments: JSON.stringify(message.attachments),
      reactions: JSON.stringify(message.reactions),
      mentionsMe: mentions.everyone || mentions.personIds.includes(this.userId.toLowerCase()) ? 1 : 0,
      hasFiles: message.attachments.length > 0 ? 1 : 0,
    });
  }

  deleteLocalMessage(id: string): void {
    this.statements.deleteMessage.run(id);
  }
}

interface SearchRow {
  id: string;
  conversation_id: string;
  author_id: string;
  created_at: string;
  has_files: number;
  snippet: string;
}

/** A time from the user in the form the server writes (UTC, microseconds), so both compare as text. */
function storedTime(iso: string): string {
  return new Date(iso).toISOString().replace('Z', '000Z');
}

function conversationParams(c: Conversation): Record<string, unknown> {
  return {
    ...c,
    memberIds: JSON.stringify(c.memberIds),
    adminIds: JSON.stringify(c.adminIds),
    readOnly: c.readOnly ? 1 : 0,
    picture: c.picture === null ? null : JSON.stringify(c.picture),
  };
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
    picture: row.picture === null ? null : (JSON.parse(row.picture) as FileMeta),
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
    replyToId: row.reply_to_id,
    forwarded: row.forwarded === 1,
    attachments: JSON.parse(row.attachments) as FileMeta[],
    reactions: JSON.parse(row.reactions) as MessageReaction[],
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
    delivery,
    outboxId: row.state === null ? null : row.outbox_id,
    failure: row.state === 'failed' ? row.error_code : null,
  };
}

/** The message itself, without where the user's writes to it stand. */
export function toMessage(view: MessageView): ChatMessage {
  const { delivery: _delivery, outboxId: _outboxId, failure: _failure, ...message } = view;
  return message;
}
