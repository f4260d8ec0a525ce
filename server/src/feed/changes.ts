import type { Queryable } from '../db/database.js';
import type { EntityChange } from '../sync/change-log.js';
import { userScope } from '../sync/scopes.js';
import type { PostRow } from './post-rows.js';

/** Change-log entries of the newsfeed's entities, each in the scope it belongs to. */

/** A post's change: for its author's copy, and for its audience once it is published. */
export const postChanges = (
  post: Pick<PostRow, 'id' | 'published' | 'audience' | 'author_id'>,
  op: EntityChange['op'] = 'upsert',
): EntityChange[] => [
  { entityType: 'authoredPost', entityId: post.id, op, scope: userScope(post.author_id) },
  ...(post.published ? [{ entityType: 'post' as const, entityId: post.id, op, scope: post.audience }] : []),
];

/**
 * A post's reaction and answer counts, in its audience. Every published post has them from the moment it is
 * published (with no reactions yet), so a reader's device holds a stats row for each post it
 * holds, and drops it with the post; a device that has none yet (the page with it still to come)
 * shows no reactions. An unpublished post has none.
 */
export const statsChanges = (
  post: Pick<PostRow, 'id' | 'published' | 'audience'>,
  op: EntityChange['op'] = 'upsert',
): EntityChange[] =>
  post.published ? [{ entityType: 'postStats', entityId: post.id, op, scope: post.audience }] : [];

/**
 * A comment's change: for the post's audience (the post is published: only published posts take
 * comments), and for the post's author, who may not be in it.
 */
export const commentChanges = (
  post: Pick<PostRow, 'audience' | 'author_id'>,
  commentId: string,
  op: EntityChange['op'] = 'upsert',
): EntityChange[] => [
  { entityType: 'postComment', entityId: commentId, op, scope: post.audience },
  { entityType: 'authoredPostComment', entityId: commentId, op, scope: userScope(post.author_id) },
];

export const reachChange = (
  post: Pick<PostRow, 'id' | 'author_id'>,
  op: EntityChange['op'] = 'upsert',
): EntityChange => ({ entityType: 'postReach', entityId: post.id, op, scope: userScope(post.author_id) });

export const stateChange = (
  postId: string,
  personId: string,
  op: EntityChange['op'] = 'upsert',
): EntityChange => ({ entityType: 'postState', entityId: postId, op, scope: userScope(personId) });

export const channelSettingsChange = (
  channelId: string,
  personId: string,
  op: EntityChange['op'] = 'upsert',
): EntityChange => ({
  entityType: 'feedChannelSettings',
  entityId: channelId,
  op,
  scope: userScope(personId),
});

/**
 * What changes for others when a person is deleted (their states and votes go with them): the reach
 * of every published post they had seen, confirmed, reacted to or answered, and the counts of those
 * they reacted to, answered or voted in. To be read before the person's rows go.
 */
export async function departingReaderChanges(tx: Queryable, personId: string): Promise<EntityChange[]> {
  const posts = await tx.query<Pick<PostRow, 'id' | 'author_id' | 'audience'> & { counted: boolean }>(
    `SELECT p.id, p.author_id, c.audience,
            (s.reaction IS NOT NULL OR s.attendance IS NOT NULL
             OR EXISTS (SELECT 1 FROM poll_votes v WHERE v.post_id = p.id AND v.person_id = s.person_id)) AS counted
       FROM post_states s
       JOIN posts p ON p.id = s.post_id AND p.published AND p.deleted_at IS NULL
       JOIN feed_channels c ON c.id = p.channel_id
      WHERE s.person_id = $1
        AND (s.seen_at IS NOT NULL OR s.confirmed_at IS NOT NULL OR s.reaction IS NOT NULL
             OR s.attendance IS NOT NULL)
      ORDER BY p.id`,
    [personId],
  );
  return posts.flatMap((post) => [
    reachChange(post),
    ...(post.counted ? statsChanges({ ...post, published: true }) : []),
  ]);
}
