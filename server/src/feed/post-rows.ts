import type { ScopeKey } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';
import { isoTimestamp } from '../db/sql.js';
import { fileJson } from '../files/file-rows.js';
import { userScope } from '../sync/scopes.js';

export interface ChannelRow {
  id: string;
  audience: ScopeKey;
}

/**
 * The channel, or null. `lock` holds it against an audience change until the transaction ends,
 * so a post written meanwhile cannot land in the audience the channel is leaving.
 */
export async function findChannel(
  tx: Queryable,
  id: string,
  lock: 'share' | 'none' = 'none',
): Promise<ChannelRow | null> {
  const [row] = await tx.query<ChannelRow>(
    `SELECT id, audience FROM feed_channels WHERE id = $1 ${lock === 'share' ? 'FOR SHARE' : ''}`,
    [id],
  );
  return row ?? null;
}

export interface PostRow {
  id: string;
  channel_id: string;
  author_id: string;
  /** The channel's audience. */
  audience: ScopeKey;
  published: boolean;
  requires_confirmation: boolean;
  comments_enabled: boolean;
  /** It announces an event. */
  has_event: boolean;
  /** How many options its poll has; 0 without a poll. */
  poll_options: number;
  poll_multiple: boolean;
  /** Its poll's closing time has passed. */
  poll_closed: boolean;
  /** A reminder went out within the last hour. */
  reminded_recently: boolean;
}

/**
 * A post that is not deleted, or null. `lock` holds its row until the transaction ends, so the
 * scheduler cannot publish it, nor a channel's new audience take it along, between reading its
 * scope here and recording a change there: `update` to change the post, `share` to record
 * something in its scope (readers' writes, which need not wait for each other).
 */
export async function findPost(
  tx: Queryable,
  id: string,
  lock: 'update' | 'share' | 'none' = 'none',
): Promise<PostRow | null> {
  const [row] = await tx.query<PostRow>(
    `SELECT p.id, p.channel_id, p.author_id, c.audience, p.published, p.requires_confirmation,
            p.comments_enabled, p.event_starts_at IS NOT NULL AS has_event,
            coalesce(p.reminded_at > now() - interval '1 hour', false) AS reminded_recently,
            coalesce(cardinality(pl.options), 0) AS poll_options, coalesce(pl.multiple, false) AS poll_multiple,
            coalesce(pl.closes_at <= now(), false) AS poll_closed
       FROM posts p JOIN feed_channels c ON c.id = p.channel_id
       LEFT JOIN post_polls pl ON pl.post_id = p.id
      WHERE p.id = $1 AND p.deleted_at IS NULL
      ${lock === 'none' ? '' : `FOR ${lock.toUpperCase()} OF p`}`,
    [id],
  );
  return row ?? null;
}

/** Who has a post: its author always (as `authoredPost`), its channel's audience once it is published. */
export function postScopes(post: Pick<PostRow, 'published' | 'audience' | 'author_id'>): ScopeKey[] {
  return post.published ? [userScope(post.author_id), post.audience] : [userScope(post.author_id)];
}

/** `json_build_object` of a protocol FeedChannel from `feed_channels` as `c`. */
export const channelJson = `json_build_object(
  'id', c.id, 'name', c.name, 'description', c.description, 'audience', c.audience,
  'mandatory', c.mandatory, 'createdAt', ${isoTimestamp('c.created_at')})`;

/** `json_build_object` of a protocol Post from `posts` as `p`. */
export const postJson = `json_build_object(
  'id', p.id, 'channelId', p.channel_id, 'authorId', p.author_id, 'title', p.title, 'body', p.body,
  'requiresConfirmation', p.requires_confirmation, 'pinned', p.pinned,
  'commentsEnabled', p.comments_enabled,
  'event', CASE WHEN p.event_starts_at IS NULL THEN NULL ELSE json_build_object(
    'startsAt', ${isoTimestamp('p.event_starts_at')},
    'endsAt', CASE WHEN p.event_ends_at IS NULL THEN NULL ELSE ${isoTimestamp('p.event_ends_at')} END,
    'place', p.event_place) END,
  'poll', (SELECT json_build_object('question', pl.question, 'options', pl.options,
      'multiple', pl.multiple, 'anonymous', pl.anonymous,
      'closesAt', CASE WHEN pl.closes_at IS NULL THEN NULL ELSE ${isoTimestamp('pl.closes_at')} END)
    FROM post_polls pl WHERE pl.post_id = p.id),
  'attachments', coalesce(
    (SELECT json_agg(${fileJson} ORDER BY f.position) FROM files f WHERE f.post_id = p.id), '[]'::json),
  'published', p.published,
  'publishAt', ${isoTimestamp('p.publish_at')}, 'createdAt', ${isoTimestamp('p.created_at')},
  'editedAt', CASE WHEN p.edited_at IS NULL THEN NULL ELSE ${isoTimestamp('p.edited_at')} END)`;

export interface CommentRow {
  id: string;
  post_id: string;
  parent_id: string | null;
  author_id: string;
  body: string;
}

/**
 * A comment that is not deleted, on a post that is not deleted, or null. `lock` holds the
 * comment's row until the transaction ends, so an edit and a delete do not cross.
 */
export async function findComment(
  tx: Queryable,
  id: string,
  lock: 'update' | 'none' = 'none',
): Promise<CommentRow | null> {
  const [row] = await tx.query<CommentRow>(
    `SELECT k.id, k.post_id, k.parent_id, k.author_id, k.body
       FROM post_comments k JOIN posts p ON p.id = k.post_id AND p.deleted_at IS NULL
      WHERE k.id = $1 AND k.deleted_at IS NULL
      ${lock === 'update' ? 'FOR UPDATE OF k' : ''}`,
    [id],
  );
  return row ?? null;
}

/** `json_build_object` of a protocol PostComment from `post_comments` as `k`. */
export const commentJson = `json_build_object(
  'id', k.id, 'postId', k.post_id, 'parentId', k.parent_id, 'authorId', k.author_id, 'body', k.body,
  'createdAt', ${isoTimestamp('k.created_at')},
  'editedAt', CASE WHEN k.edited_at IS NULL THEN NULL ELSE ${isoTimestamp('k.edited_at')} END)`;
