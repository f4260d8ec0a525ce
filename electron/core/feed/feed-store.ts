import { highlightEnd, highlightStart } from '@flurfunk/protocol';
import type {
  Attendance,
  Delivery,
  FeedChannel,
  FeedChannelSettings,
  FeedPosition,
  FileMeta,
  Post,
  PostReach,
  PostEvent,
  PostPoll,
  PostSearchHit,
  PostState,
  PostStats,
  Reaction,
  SyncChange,
  SyncEntity,
} from '@flurfunk/protocol';
import type { CacheDatabase } from '../cache/database.js';
import { toFtsQuery } from '../cache/fts-query.js';
import type { SyncIndex } from '../sync/sync-index.js';
import type { SyncTarget } from '../sync/sync-target.js';

interface ChannelRow {
  id: string;
  name: string;
  description: string;
  audience: string;
  mandatory: number;
  created_at: string;
}

interface PostRow {
  id: string;
  channel_id: string;
  author_id: string;
  title: string;
  body: string;
  requires_confirmation: number;
  pinned: number;
  comments_enabled: number;
  event: string | null;
  poll: string | null;
  attachments: string;
  published: number;
  publish_at: string;
  created_at: string;
  edited_at: string | null;
  seen_at: string | null;
  confirmed_at: string | null;
  reminded_at: string | null;
  reaction: Reaction | null;
  reactions: string | null;
  attendance: Attendance | null;
  attendances: string | null;
  votes: string | null;
  poll_votes: string | null;
  poll_voters: number | null;
  reach_audience: number | null;
  reach_seen: number | null;
  reach_confirmed: number | null;
  reach_reacted: number | null;
  reach_commented: number | null;
  comments: number;
  state: 'pending' | 'sent' | 'failed' | null;
  outbox_id: string | null;
}

/** A post with the user's state of it, its reach (own posts only) and where the user's writes to it stand. */
export type StoredPost = Post & {
  seenAt: string | null;
  confirmedAt: string | null;
  remindedAt: string | null;
  reaction: Reaction | null;
  reactions: PostStats['reactions'];
  attendance: Attendance | null;
  attendances: PostStats['attendance'];
  votes: number[];
  pollVotes: number[];
  pollVoters: number;
  reach: Omit<PostReach, 'id' | 'votes' | 'voters'> | null;
  comments: number;
  delivery: Delivery;
  outboxId: string | null;
};

const postColumns = /* sql */ `
  p.id, p.channel_id, p.author_id, p.title, p.body, p.requires_confirmation, p.pinned,
  p.comments_enabled, p.event, p.poll, p.attachments, p.published, p.publish_at, p.created_at, p.edited_at,
  s.seen_at, s.confirmed_at, s.reminded_at, s.reaction, st.reactions,
  s.attendance, st.attendance AS attendances, s.votes,
  coalesce(st.votes, r.votes) AS poll_votes, coalesce(st.voters, r.voters) AS poll_voters,
  r.audience AS reach_audience, r.seen AS reach_seen, r.confirmed AS reach_confirmed,
  r.reacted AS reach_reacted, r.commented AS reach_commented,
  (SELECT count(*) FROM post_comments k WHERE k.post_id = p.id) AS comments,
  o.state, o.id AS outbox_id`;
// The newest outbox entry touching the post decides its delivery state.
const postJoins = /* sql */ `
  LEFT JOIN post_states s ON s.id = p.id
  LEFT JOIN post_stats st ON st.id = p.id
  LEFT JOIN post_reach r ON r.id = p.id
  LEFT JOIN outbox o ON o.position = (SELECT max(position) FROM outbox WHERE entity_id = p.id)`;
// The feed's order, and the keyset condition continuing after a position in it.
const feedOrder = 'ORDER BY p.pinned DESC, p.publish_at DESC, p.id DESC';
const afterPosition = '(p.pinned, p.publish_at, p.id) < (@pinned, @publishAt, @id)';
// The feed of all channels leaves out the channels the user unfollowed.
const followed =
  'NOT EXISTS (SELECT 1 FROM feed_channel_settings f WHERE f.id = p.channel_id AND f.following = 0)';

/** Newsfeed channels, posts, the user's state of them and the reach of their own: written by sync and by the user. */
export class FeedStore implements SyncTarget {
  private readonly statements;

  constructor(
    private readonly db: CacheDatabase,
    private readonly index: SyncIndex,
  ) {
    this.statements = {
      listPostable: db.prepare<[], ChannelRow>(
        'SELECT * FROM postable_channels ORDER BY name, id LIMIT 1000',
      ),
      clearPostable: db.prepare('DELETE FROM postable_channels'),
      insertPostable: db.prepare<[Record<string, unknown>]>(/* sql */ `
        INSERT INTO postable_channels (id, name, description, audience, mandatory, created_at)
        VALUES (@id, @name, @description, @audience, @mandatory, @createdAt)`),
      upsertChannel: db.prepare<[Record<string, unknown>]>(/* sql */ `
        INSERT INTO feed_channels (id, name, description, audience, mandatory, created_at)
        VALUES (@id, @name, @description, @audience, @mandatory, @createdAt)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
          audience = excluded.audience, mandatory = excluded.mandatory, created_at = excluded.created_at`),
      deleteChannel: db.prepare<[string]>('DELETE FROM feed_channels WHERE id = ?'),
      newestOfOthers: db
        .prepare<[string], string>(
          'SELECT publish_at FROM posts WHERE published = 1 AND author_id <> ? ORDER BY publish_at DESC LIMIT 1',
        )
        .pluck(),
      othersSince: db
        .prepare<[string, string, number], string>(
          `SELECT id FROM posts WHERE publish_at > ? AND published = 1 AND author_id <> ?
            ORDER BY publish_at DESC LIMIT ?`,
        )
        .pluck(),
      upsertPost: db.prepare<[Record<string, unknown>]>(/* sql */ `
        INSERT INTO posts (id, channel_id, author_id, title, body, requires_confirmation, pinned,
                           comments_enabled, event, poll, attachments, published, publish_at, created_at,
                           edited_at)
        VALUES (@id, @channelId, @authorId, @title, @body, @requiresConfirmation, @pinned,
                @commentsEnabled, @event, @poll, @attachments, @published, @publishAt, @createdAt, @editedAt)
        ON CONFLICT (id) DO UPDATE SET channel_id = excluded.channel_id, author_id = excluded.author_id,
          title = excluded.title, body = excluded.body,
          requires_confirmation = excluded.requires_confirmation, pinned = excluded.pinned,
          comments_enabled = excluded.comments_enabled, event = excluded.event, poll = excluded.poll,
          attachments = excluded.attachments,
          published = excluded.published,
          publish_at = excluded.publish_at, created_at = excluded.created_at, edited_at = excluded.edited_at`),
      deletePost: db.prepare<[string]>('DELETE FROM posts WHERE id = ?'),
      upsertState: db.prepare<[Omit<PostState, 'votes'> & { votes: string }]>(/* sql */ `
        INSERT INTO post_states (id, seen_at, confirmed_at, reminded_at, reaction, attendance, votes)
        VALUES (@id, @seenAt, @confirmedAt, @remindedAt, @reaction, @attendance, @votes)
        ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at, confirmed_at = excluded.confirmed_at,
          reminded_at = excluded.reminded_at, reaction = excluded.reaction, attendance = excluded.attendance,
          votes = excluded.votes`),
      deleteState: db.prepare<[string]>('DELETE FROM post_states WHERE id = ?'),
      getState: db.prepare<
        [string],
        {
          seen_at: string | null;
          confirmed_at: string | null;
          reminded_at: string | null;
          reaction: Reaction | null;
          attendance: Attendance | null;
          votes: string;
        }
      >(
        'SELECT seen_at, confirmed_at, reminded_at, reaction, attendance, votes FROM post_states WHERE id = ?',
      ),
      upsertStats: db.prepare<[string, string, string, string, number]>(/* sql */ `
        INSERT INTO post_stats (id, reactions, attendance, votes, voters) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET reactions = excluded.reactions, attendance = excluded.attendance,
          votes = excluded.votes, voters = excluded.voters`),
      deleteStats: db.prepare<[string]>('DELETE FROM post_stats WHERE id = ?'),
      upsertChannelSettings: db.prepare<[string, number]>(
        'INSERT INTO feed_channel_settings (id, following) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET following = excluded.following',
      ),
      deleteChannelSettings: db.prepare<[string]>('DELETE FROM feed_channel_settings WHERE id = ?'),
      unfollowed: db
        .prepare<[], string>('SELECT id FROM feed_channel_settings WHERE following = 0 LIMIT 1000')
        .pluck(),
      upsertReach: db.prepare<[Omit<PostReach, 'votes'> & { votes: string }]>(/* sql */ `
        INSERT INTO post_reach (id, audience, seen, confirmed, reacted, commented, votes, voters)
        VALUES (@id, @audience, @seen, @confirmed, @reacted, @commented, @votes, @voters)
        ON CONFLICT (id) DO UPDATE SET audience = excluded.audience, seen = excluded.seen,
          confirmed = excluded.confirmed, reacted = excluded.reacted, commented = excluded.commented,
          votes = excluded.votes, voters = excluded.voters`),
      deleteReach: db.prepare<[string]>('DELETE FROM post_reach WHERE id = ?'),
      listChannels: db.prepare<[], ChannelRow>('SELECT * FROM feed_channels ORDER BY name, id LIMIT 1000'),
      getChannel: db.prepare<[string], ChannelRow>('SELECT * FROM feed_channels WHERE id = ?'),
      getPostable: db.prepare<[string], ChannelRow>('SELECT * FROM postable_channels WHERE id = ?'),
      unreadByChannel: db.prepare<[string], { channel_id: string; unread: number }>(/* sql */ `
        SELECT p.channel_id, count(*) AS unread FROM posts p LEFT JOIN post_states s ON s.id = p.id
        WHERE p.published = 1 AND s.seen_at IS NULL AND p.author_id <> ?
        GROUP BY p.channel_id`),
      feedFirst: db.prepare<[{ limit: number }], PostRow>(
        `SELECT ${postColumns} FROM posts p ${postJoins} WHERE ${followed} ${feedOrder} LIMIT @limit`,
      ),
      feedAfter: db.prepare<[Record<string, unknown>], PostRow>(
        `SELECT ${postColumns} FROM posts p ${postJoins} WHERE ${followed} AND ${afterPosition} ${feedOrder} LIMIT @limit`,
      ),
      channelFirst: db.prepare<[Record<string, unknown>], PostRow>(
        `SELECT ${postColumns} FROM posts p ${postJoins} WHERE p.channel_id = @channelId ${feedOrder} LIMIT @limit`,
      ),
      channelAfter: db.prepare<[Record<string, unknown>], PostRow>(/* sql */ `
        SELECT ${postColumns} FROM posts p ${postJoins}
        WHERE p.channel_id = @channelId AND ${afterPosition} ${feedOrder} LIMIT @limit`),
      getPost: db.prepare<[string], PostRow>(
        `SELECT ${postColumns} FROM posts p ${postJoins} WHERE p.id = ?`,
      ),
      // Ranks first, then marks matches only in the hits that are shown: highlight() and
      // snippet() read (and decrypt) a whole body each, so never for every match of "die".
      // Posts match in their title (weighted) and body, and through their comments.
      search: db.prepare<[Record<string, unknown>], PostSearchRow>(/* sql */ `
        WITH ranked AS MATERIALIZED (
          SELECT 0 AS in_comment, s.rowid AS search_rowid, bm25(posts_search, 4.0, 1.0) AS score,
            p.id, NULL AS comment_id, p.channel_id, p.publish_at
          FROM posts_search s JOIN posts p ON p.search_rowid = s.rowid
          WHERE posts_search MATCH @query AND (@channelId IS NULL OR p.channel_id = @channelId)
          UNION ALL
          SELECT 1, s.rowid, bm25(comments_search), p.id, k.id, p.channel_id, p.publish_at
          FROM comments_search s
          JOIN post_comments k ON k.search_rowid = s.rowid
          JOIN posts p ON p.id = k.post_id
          WHERE comments_search MATCH @query AND (@channelId IS NULL OR p.channel_id = @channelId)
          ORDER BY score, publish_at DESC
          LIMIT @limit)
        SELECT r.score, r.id, NULL AS comment_id, r.channel_id, r.publish_at,
          highlight(posts_search, 0, @start, @end) AS title,
          snippet(posts_search, 1, @start, @end, '…', 24) AS snippet
        FROM ranked r JOIN posts_search ON posts_search.rowid = r.search_rowid
        WHERE r.in_comment = 0 AND posts_search MATCH @query
        UNION ALL
        SELECT r.score, r.id, r.comment_id, r.channel_id, r.publish_at, p.title,
          snippet(comments_search, 0, @start, @end, '…', 24) AS snippet
        FROM ranked r
        JOIN comments_search ON comments_search.rowid = r.search_rowid
        JOIN posts p ON p.id = r.id
        WHERE r.in_comment = 1 AND comments_search MATCH @query
        ORDER BY score, publish_at DESC`),
    };
  }

  apply(change: SyncChange): void {
    switch (change.type) {
      case 'feedChannel.upsert':
        this.statements.upsertChannel.run({ ...change.data, mandatory: change.data.mandatory ? 1 : 0 });
        return;
      case 'post.upsert':
      case 'authoredPost.upsert':
        this.putPost(change.data);
        return;
      case 'postState.upsert':
        this.putState(change.data);
        return;
      case 'postReach.upsert':
        this.statements.upsertReach.run({ ...change.data, votes: JSON.stringify(change.data.votes) });
        return;
      case 'postStats.upsert':
        this.statements.upsertStats.run(
          change.id,
          JSON.stringify(change.data.reactions),
          JSON.stringify(change.data.attendance),
          JSON.stringify(change.data.votes),
          change.data.voters,
        );
        return;
      case 'feedChannelSettings.upsert':
        this.putChannelSettings(change.data);
        return;
      case 'feedChannel.delete':
      case 'post.delete':
      case 'authoredPost.delete':
      case 'postState.delete':
      case 'postReach.delete':
      case 'postStats.delete':
      case 'feedChannelSettings.delete':
        this.remove(change.type.slice(0, change.type.indexOf('.')) as SyncEntity, change.id);
        return;
      default:
        throw new Error(`the feed store got a change it does not hold: ${change.type}`);
    }
  }

  /**
   * A post's state and reach stay when the post goes: they are the user's own (scope
   * `user:<id>`), and a post that comes back with a regained scope finds them again.
   */
  remove(entity: SyncEntity, id: string): void {
    if (entity === 'feedChannel') this.statements.deleteChannel.run(id);
    else if (entity === 'post' || entity === 'authoredPost') {
      // The user's own post comes twice (as reader and as author): it stays while either remains.
      const other = entity === 'post' ? 'authoredPost' : 'post';
      if (!this.index.isSynced(other, id)) this.statements.deletePost.run(id);
    } else if (entity === 'postState') this.statements.deleteState.run(id);
    else if (entity === 'postReach') this.statements.deleteReach.run(id);
    else if (entity === 'postStats') this.statements.deleteStats.run(id);
    else if (entity === 'feedChannelSettings') this.statements.deleteChannelSettings.run(id);
  }

  listChannels(): FeedChannel[] {
    return this.statements.listChannels.all().map(toChannel);
  }

  /** The channels the server last said the user may post in. */
  listPostableChannels(): FeedChannel[] {
    return this.statements.listPostable.all().map(toChannel);
  }

  replacePostableChannels(channels: readonly FeedChannel[]): void {
    this.db
      .transaction(() => {
        this.statements.clearPostable.run();
        for (const channel of channels)
          this.statements.insertPostable.run({ ...channel, mandatory: channel.mandatory ? 1 : 0 });
      })
      .immediate();
  }

  /** A channel the user reads or may post in. */
  getChannel(id: string): FeedChannel | null {
    const row = this.statements.getChannel.get(id) ?? this.statements.getPostable.get(id);
    return row ? toChannel(row) : null;
  }

  /** Published posts of others the user has not seen yet, per channel id. */
  unreadByChannel(userId: string): Map<string, number> {
    return new Map(this.statements.unreadByChannel.all(userId).map((row) => [row.channel_id, row.unread]));
  }

  /** One page of the feed of followed channels (or of one channel) in its order, after `after` when given. */
  listPosts({
    channelId,
    after,
    limit,
  }: {
    channelId?: string;
    after?: FeedPosition;
    limit: number;
  }): StoredPost[] {
    const position = after && { pinned: after.pinned ? 1 : 0, publishAt: after.publishAt, id: after.id };
    const rows =
      channelId === undefined
        ? position
          ? this.statements.feedAfter.all({ ...position, limit })
          : this.statements.feedFirst.all({ limit })
        : position
          ? this.statements.channelAfter.all({ ...position, channelId, limit })
          : this.statements.channelFirst.all({ channelId, limit });
    return rows.map(toStoredPost);
  }

  /** When the newest published post of someone else appeared (server time); null for none. */
  newestPostOfOthers(userId: string): string | null {
    return this.statements.newestOfOthers.get(userId) ?? null;
  }

  /** Ids of others' posts that appeared after `time`, newest first, at most `limit`. */
  postsOfOthersSince(time: string, userId: string, limit: number): string[] {
    return this.statements.othersSince.all(time, userId, limit);
  }

  getPost(id: string): StoredPost | null {
    const row = this.statements.getPost.get(id);
    return row ? toStoredPost(row) : null;
  }

  /**
   * Posts matching the words of `query` (prefixes, accents ignored) in their text or in a comment,
   * best first, with marked matches.
   */
  searchPosts({
    query,
    channelId,
    limit,
  }: {
    query: string;
    channelId?: string;
    limit: number;
  }): PostSearchHit[] {
    const ftsQuery = toFtsQuery(query);
    if (ftsQuery === null) return [];
    return this.statements.search
      .all({ query: ftsQuery, channelId: channelId ?? null, limit, start: highlightStart, end: highlightEnd })
      .map((row) => ({
        postId: row.id,
        commentId: row.comment_id,
        channelId: row.channel_id,
        title: row.title,
        snippet: row.snippet,
        publishAt: row.publish_at,
      }));
  }

  /** Writes a post the user created or changed, before the server has it. */
  putPost(post: Post): void {
    this.statements.upsertPost.run({
      ...post,
      requiresConfirmation: post.requiresConfirmation ? 1 : 0,
      pinned: post.pinned ? 1 : 0,
      commentsEnabled: post.commentsEnabled ? 1 : 0,
      event: post.event === null ? null : JSON.stringify(post.event),
      poll: post.poll === null ? null : JSON.stringify(post.poll),
      attachments: JSON.stringify(post.attachments),
      published: post.published ? 1 : 0,
    });
  }

  deleteLocalPost(id: string): void {
    this.statements.deletePost.run(id);
  }

  getState(id: string): PostState {
    const row = this.statements.getState.get(id);
    return {
      id,
      seenAt: row?.seen_at ?? null,
      confirmedAt: row?.confirmed_at ?? null,
      remindedAt: row?.reminded_at ?? null,
      reaction: row?.reaction ?? null,
      attendance: row?.attendance ?? null,
      votes: row ? (JSON.parse(row.votes) as number[]) : [],
    };
  }

  putState(state: PostState): void {
    this.statements.upsertState.run({ ...state, votes: JSON.stringify(state.votes) });
  }

  /** The channels the user chose not to follow. */
  unfollowedChannels(): Set<string> {
    return new Set(this.statements.unfollowed.all());
  }

  putChannelSettings(settings: FeedChannelSettings): void {
    this.statements.upsertChannelSettings.run(settings.id, settings.following ? 1 : 0);
  }
}

interface PostSearchRow {
  id: string;
  comment_id: string | null;
  channel_id: string;
  publish_at: string;
  title: string;
  snippet: string;
}

function toChannel(row: ChannelRow): FeedChannel {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    audience: row.audience,
    mandatory: row.mandatory === 1,
    createdAt: row.created_at,
  };
}

export function toPost(stored: StoredPost): Post {
  const {
    seenAt: _seenAt,
    confirmedAt: _confirmedAt,
    remindedAt: _remindedAt,
    reaction: _reaction,
    reactions: _reactions,
    attendance: _attendance,
    attendances: _attendances,
    votes: _votes,
    pollVotes: _pollVotes,
    pollVoters: _pollVoters,
    reach: _reach,
    comments: _comments,
    delivery: _delivery,
    outboxId: _outboxId,
    ...post
  } = stored;
  return post;
}

function toStoredPost(row: PostRow): StoredPost {
  return {
    id: row.id,
    channelId: row.channel_id,
    authorId: row.author_id,
    title: row.title,
    body: row.body,
    requiresConfirmation: row.requires_confirmation === 1,
    pinned: row.pinned === 1,
    commentsEnabled: row.comments_enabled === 1,
    event: row.event === null ? null : (JSON.parse(row.event) as PostEvent),
    poll: row.poll === null ? null : (JSON.parse(row.poll) as PostPoll),
    attachments: JSON.parse(row.attachments) as FileMeta[],
    published: row.published === 1,
    publishAt: row.publish_at,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    seenAt: row.seen_at,
    confirmedAt: row.confirmed_at,
    remindedAt: row.reminded_at,
    reaction: row.reaction,
    reactions: row.reactions === null ? {} : (JSON.parse(row.reactions) as PostStats['reactions']),
    attendance: row.attendance,
    attendances: row.attendances === null ? {} : (JSON.parse(row.attendances) as PostStats['attendance']),
    votes: row.votes === null ? [] : (JSON.parse(row.votes) as number[]),
    pollVotes: row.poll_votes === null ? [] : (JSON.parse(row.poll_votes) as number[]),
    pollVoters: row.poll_voters ?? 0,
    reach:
      row.reach_audience === null
        ? null
        : {
            audience: row.reach_audience,
            seen: row.reach_seen ?? 0,
            confirmed: row.reach_confirmed ?? 0,
            reacted: row.reach_reacted ?? 0,
            commented: row.reach_commented ?? 0,
          },
    comments: row.comments,
    delivery: row.state ?? 'synced',
    outboxId: row.state === null ? null : row.outbox_id,
  };
}
