import type { MutationType, ScopeKey } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';
import { type MutationHandler, reject } from '../mutations/mutation-handler.js';
import { recordChanges } from '../sync/change-log.js';
import { scopeMembersQuery } from '../sync/scopes.js';
import {
  channelSettingsChange,
  commentChanges,
  postChanges,
  reachChange,
  stateChange,
  statsChanges,
} from './changes.js';
import { canSeePost, findManagedPost, loadPoster, mayManagePost, mayPostIn } from './permissions.js';
import { type PostRow, findChannel, findComment, findPost } from './post-rows.js';

type FeedMutation = Extract<MutationType, `feed.${string}`>;

/** A publish time this little ahead of the server's clock is "now": the client's clock may be off. */
const clockSkewSeconds = 2;

/**
 * A client's timestamp (the protocol bounds its year and offset) as UTC with milliseconds, the
 * precision the protocol compares times at, so every reader gets it back in one form.
 */
function instant(value: string): string {
  return new Date(Date.parse(value)).toISOString();
}

/** The post if the person may manage it, locked against the scheduler; otherwise the refusal. */
async function managedPost(
  tx: Queryable,
  personId: string,
  scopes: readonly ScopeKey[],
  postId: string,
): Promise<PostRow> {
  const found = await findManagedPost(tx, personId, scopes, postId, 'update');
  if (found.ok) return found.post;
  throw found.refusal === 'forbidden'
    ? reject('forbidden', 'Only its author, editors and the managers of its channel can change this post')
    : reject('not_found', 'This post does not exist');
}

/**
 * A published post the person reads, being in its audience; anything they cannot see looks
 * missing. Its author sees it also outside the audience, but does not read it there: their state
 * of it would count in its reach and confirmations, and never reach them by sync.
 */
async function readablePost(
  tx: Queryable,
  scopes: readonly ScopeKey[],
  postId: string,
  action: 'confirm' | 'react to' | 'answer' | 'vote in',
): Promise<PostRow> {
  // Shared: the post's scope holds until the reader's change is recorded (see `findPost`).
  const post = await findPost(tx, postId, 'share');
  if (!post || !post.published || !canSeePost(scopes, post)) {
    throw reject('not_found', 'This post does not exist');
  }
  if (!scopes.includes(post.audience)) {
    throw reject('forbidden', `Only the readers of its channel can ${action} this post`);
  }
  return post;
}

/**
 * A published post whose comments the person reads: its readers, and its author (who may write to
 * channels they do not read). Anything else looks missing.
 */
async function commentedPost(tx: Queryable, personId: string, scopes: readonly ScopeKey[], postId: string) {
  // Shared: the post's scope holds until the comment's change is recorded (see `findPost`).
  const post = await findPost(tx, postId, 'share');
  if (!post || !post.published || !(scopes.includes(post.audience) || post.author_id === personId)) {
    throw reject('not_found', 'This post does not exist');
  }
  return post;
}

/** The comment and its post, locked, if the person sees them; otherwise `not_found`. */
async function visibleComment(
  tx: Queryable,
  personId: string,
  scopes: readonly ScopeKey[],
  commentId: string,
) {
  const comment = await findComment(tx, commentId, 'update');
  if (!comment) throw reject('not_found', 'This comment does not exist');
  try {
    return { comment, post: await commentedPost(tx, personId, scopes, comment.post_id) };
  } catch {
    throw reject('not_found', 'This comment does not exist');
  }
}

export interface FeedMutationOptions {
  /** A post was scheduled to appear in `delayMs`: the scheduler must be awake by then. */
  scheduled(delayMs: number): void;
}

export function feedMutations({ scheduled }: FeedMutationOptions): {
  readonly [T in FeedMutation]: MutationHandler<T>;
} {
  return {
    'feed.publishPost': async ({ tx, personId, scopes }, args) => {
      const publishAt = args.publishAt === null ? null : instant(args.publishAt);
      // The protocol checked that the event ends after it starts, at the same precision.
      const event = args.event && {
        startsAt: instant(args.event.startsAt),
        endsAt: args.event.endsAt === null ? null : instant(args.event.endsAt),
        place: args.event.place,
      };
      const channel = await findChannel(tx, args.channelId, 'share');
      const poster = await loadPoster(tx, personId, scopes);
      const allowed = channel !== null && mayPostIn(poster, channel.audience);
      // A channel the person neither reads nor may post in is reported like a missing one.
      if (!channel || (!allowed && !scopes.includes(channel.audience))) {
        throw reject('not_found', 'This channel does not exist');
      }
      if (!allowed) throw reject('forbidden', 'Only editors and the managers of its unit can post here');
      const [inserted] = await tx.query<{ published: boolean; delay_ms: number }>(
        `INSERT INTO posts (id, channel_id, author_id, title, body, requires_confirmation, pinned,
                            comments_enabled, published, publish_at, event_starts_at, event_ends_at,
                            event_place)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, due, CASE WHEN due THEN now() ELSE $9::timestamptz END,
                $11::timestamptz, $12::timestamptz, $13
           FROM (SELECT $9::timestamptz IS NULL
                        OR $9::timestamptz <= now() + make_interval(secs => $10) AS due) d
         ON CONFLICT (id) DO NOTHING
         RETURNING published, (extract(epoch FROM publish_at - now()) * 1000)::float8 AS delay_ms`,
        [
          args.postId,
          channel.id,
          personId,
          args.title,
          args.body,
          args.requiresConfirmation,
          args.pinned,
          args.commentsEnabled,
          publishAt,
          clockSkewSeconds,
          event?.startsAt ?? null,
          event?.endsAt ?? null,
          event?.place ?? '',
        ],
      );
      if (!inserted) throw reject('conflict', 'This post id is already taken');
      if (args.poll) {
        const [poll] = await tx.query<{ closes_in_time: boolean }>(
          `INSERT INTO post_polls (post_id, question, options, multiple, anonymous, closes_at)
           VALUES ($1, $2, $3, $4, $5, $6::timestamptz)
           RETURNING coalesce($6::timestamptz > (SELECT publish_at FROM posts WHERE id = $1), true) AS closes_in_time`,
          [
            args.postId,
            args.poll.question,
            args.poll.options,
            args.poll.multiple,
            args.poll.anonymous,
            args.poll.closesAt === null ? null : instant(args.poll.closesAt),
          ],
        );
        if (!poll?.closes_in_time) throw reject('invalid', 'A poll closes after its post is published');
      }
      if (args.attachments.length > 0) {
        // Only the author's own uploads that no post took yet; they keep the order given.
        const attached = await tx.query(
          `UPDATE files f SET post_id = $1, position = a.position
             FROM unnest($2::uuid[]) WITH ORDINALITY AS a(id, position)
            WHERE f.id = a.id AND f.uploader_id = $3 AND f.post_id IS NULL
           RETURNING f.id`,
          [args.postId, args.attachments, personId],
        );
        if (attached.length !== args.attachments.length) {
          throw reject(
            'invalid',
            'An attachment is missing, not the author’s own or on another post already',
          );
        }
      }
      const post = { id: args.postId, author_id: personId, audience: channel.audience, ...inserted };
      const seq = await recordChanges(tx, [...postChanges(post), ...statsChanges(post), reachChange(post)]);
      if (!post.published) scheduled(inserted.delay_ms);
      return { seq, entityId: post.id };
    },

    'feed.editPost': async ({ tx, personId, scopes }, { postId, title, body }) => {
      const post = await managedPost(tx, personId, scopes, postId);
      // The replaced text becomes the next revision; an edit that changes nothing keeps none.
      const revised = await tx.query(
        `INSERT INTO post_revisions (post_id, revision, title, body, edited_by)
         SELECT p.id, coalesce((SELECT max(r.revision) FROM post_revisions r WHERE r.post_id = p.id), 0) + 1,
                p.title, p.body, $4
           FROM posts p WHERE p.id = $1 AND (p.title <> $2 OR p.body <> $3)
         RETURNING post_id`,
        [postId, title, body, personId],
      );
      if (revised.length === 0) return { seq: null, entityId: postId };
      await tx.query('UPDATE posts SET title = $2, body = $3, edited_at = now() WHERE id = $1', [
        postId,
        title,
        body,
      ]);
      return { seq: await recordChanges(tx, postChanges(post)), entityId: postId };
    },

    'feed.deletePost': async ({ tx, personId, scopes }, { postId }) => {
      const post = await managedPost(tx, personId, scopes, postId);
      await tx.query('UPDATE posts SET deleted_at = now() WHERE id = $1', [postId]);
      // Rows stay for the history; every device lets go of the post and what hangs on it.
      const readers = await tx.query<{ person_id: string }>(
        'SELECT person_id FROM post_states WHERE post_id = $1',
        [postId],
      );
      const comments = await tx.query<{ id: string }>(
        'SELECT id FROM post_comments WHERE post_id = $1 AND deleted_at IS NULL ORDER BY id',
        [postId],
      );
      const seq = await recordChanges(tx, [
        ...postChanges(post, 'delete'),
        ...comments.flatMap((comment) => commentChanges(post, comment.id, 'delete')),
        ...statsChanges(post, 'delete'),
        reachChange(post, 'delete'),
        ...readers.map((reader) => stateChange(postId, reader.person_id, 'delete')),
      ]);
      return { seq, entityId: postId };
    },

    'feed.pinPost': async ({ tx, personId, scopes }, { postId, pinned }) => {
      const post = await managedPost(tx, personId, scopes, postId);
      const changed = await tx.query(
        'UPDATE posts SET pinned = $2 WHERE id = $1 AND pinned <> $2 RETURNING id',
        [postId, pinned],
      );
      if (changed.length === 0) return { seq: null, entityId: postId };
      return { seq: await recordChanges(tx, postChanges(post)), entityId: postId };
    },

    'feed.confirmPost': async ({ tx, personId, scopes }, { postId }) => {
      const post = await readablePost(tx, scopes, postId, 'confirm');
      if (!post.requires_confirmation)
        throw reject('invalid', 'This post does not ask for a read confirmation');
      const confirmed = await tx.query(
        `INSERT INTO post_states (post_id, person_id, seen_at, confirmed_at) VALUES ($1, $2, now(), now())
         ON CONFLICT (post_id, person_id) DO UPDATE
           SET confirmed_at = now(), seen_at = coalesce(post_states.seen_at, now())
           WHERE post_states.confirmed_at IS NULL
         RETURNING post_id`,
        [postId, personId],
      );
      if (confirmed.length === 0) return { seq: null, entityId: postId };
      const seq = await recordChanges(tx, [stateChange(postId, personId), reachChange(post)]);
      return { seq, entityId: postId };
    },

    'feed.markSeen': async ({ tx, personId, scopes }, { postIds }) => {
      // Posts the person cannot see (any more) are skipped: they may have been deleted meanwhile.
      const seen = await tx.query<{ id: string; author_id: string }>(
        `WITH visible AS (
           SELECT p.id, p.author_id FROM posts p JOIN feed_channels c ON c.id = p.channel_id
            WHERE p.id = ANY($1::uuid[]) AND p.published AND p.deleted_at IS NULL
              AND c.audience = ANY($3::text[])),
         marked AS (
           INSERT INTO post_states (post_id, person_id, seen_at)
           SELECT id, $2, now() FROM visible ORDER BY id
           ON CONFLICT (post_id, person_id) DO UPDATE SET seen_at = now() WHERE post_states.seen_at IS NULL
           RETURNING post_id)
         SELECT v.id, v.author_id FROM visible v JOIN marked m ON m.post_id = v.id ORDER BY v.id`,
        [postIds, personId, scopes],
      );
      const authors = new Map(seen.map((post) => [post.id, post.author_id]));
      const seq = await recordChanges(tx, [
        ...seen.map((post) => stateChange(post.id, personId)),
        ...[...authors].map(([id, author]) => reachChange({ id, author_id: author })),
      ]);
      return { seq, entityId: null };
    },

    'feed.react': async ({ tx, personId, scopes }, { postId, reaction }) => {
      const post = await readablePost(tx, scopes, postId, 'react to');
      // Reacting is having seen it; taking a reaction back that was never given changes nothing.
      const changed =
        reaction === null
          ? await tx.query(
              `UPDATE post_states SET reaction = NULL
                WHERE post_id = $1 AND person_id = $2 AND reaction IS NOT NULL RETURNING post_id`,
              [postId, personId],
            )
          : await tx.query(
              `INSERT INTO post_states (post_id, person_id, seen_at, reaction) VALUES ($1, $2, now(), $3)
               ON CONFLICT (post_id, person_id) DO UPDATE
                 SET reaction = excluded.reaction, seen_at = coalesce(post_states.seen_at, now())
                 WHERE post_states.reaction IS DISTINCT FROM excluded.reaction
               RETURNING post_id`,
              [postId, personId, reaction],
            );
      if (changed.length === 0) return { seq: null, entityId: postId };
      const seq = await recordChanges(tx, [
        stateChange(postId, personId),
        ...statsChanges(post),
        reachChange(post),
      ]);
      return { seq, entityId: postId };
    },

    'feed.answerEvent': async ({ tx, personId, scopes }, { postId, attendance }) => {
      const post = await readablePost(tx, scopes, postId, 'answer');
      if (!post.has_event) throw reject('invalid', 'This post announces no event');
      // Answering is having seen it (then the author's reach changes: the statement's own now()
      // is what it set); taking back an answer that was never given changes nothing.
      const changed =
        attendance === null
          ? await tx.query<{ newly_seen: boolean }>(
              `UPDATE post_states SET attendance = NULL
                WHERE post_id = $1 AND person_id = $2 AND attendance IS NOT NULL
               RETURNING false AS newly_seen`,
              [postId, personId],
            )
          : await tx.query<{ newly_seen: boolean }>(
              `INSERT INTO post_states (post_id, person_id, seen_at, attendance) VALUES ($1, $2, now(), $3)
               ON CONFLICT (post_id, person_id) DO UPDATE
                 SET attendance = excluded.attendance, seen_at = coalesce(post_states.seen_at, now())
                 WHERE post_states.attendance IS DISTINCT FROM excluded.attendance
               RETURNING seen_at = now() AS newly_seen`,
              [postId, personId, attendance],
            );
      const [answer] = changed;
      if (!answer) return { seq: null, entityId: postId };
      const seq = await recordChanges(tx, [
        stateChange(postId, personId),
        ...statsChanges(post),
        ...(answer.newly_seen ? [reachChange(post)] : []),
      ]);
      return { seq, entityId: postId };
    },

    'feed.followChannel': async ({ tx, personId, scopes }, { channelId, following }) => {
      const [channel] = await tx.query<{ audience: ScopeKey; mandatory: boolean }>(
        'SELECT audience, mandatory FROM feed_channels WHERE id = $1 FOR SHARE',
        [channelId],
      );
      // Only the channels one reads can be followed: any other looks missing.
      if (!channel || !scopes.includes(channel.audience)) {
        throw reject('not_found', 'This channel does not exist');
      }
      if (channel.mandatory && !following) {
        throw reject('invalid', 'This channel is mandatory: everyone in its audience follows it');
      }
      // No row means following: following a channel one never unfollowed changes nothing.
      const changed = following
        ? await tx.query(
            `UPDATE feed_channel_settings SET following = true
              WHERE person_id = $1 AND channel_id = $2 AND NOT following RETURNING channel_id`,
            [personId, channelId],
          )
        : await tx.query(
            `INSERT INTO feed_channel_settings (person_id, channel_id, following) VALUES ($1, $2, false)
             ON CONFLICT (person_id, channel_id) DO UPDATE SET following = false
               WHERE feed_channel_settings.following
             RETURNING channel_id`,
            [personId, channelId],
          );
      if (changed.length === 0) return { seq: null, entityId: channelId };
      const seq = await recordChanges(tx, [channelSettingsChange(channelId, personId)]);
      return { seq, entityId: channelId };
    },

    'feed.remindUnconfirmed': async ({ tx, personId, scopes }, { postId }) => {
      const post = await managedPost(tx, personId, scopes, postId);
      if (!post.requires_confirmation)
        throw reject('invalid', 'This post does not ask for a read confirmation');
      if (!post.published) throw reject('invalid', 'This post is not published yet');
      if (post.reminded_recently) {
        throw reject('conflict', 'A reminder for this post went out less than an hour ago');
      }
      // Everyone in the audience who has not confirmed, but not the author: they wrote it.
      const members = scopeMembersQuery(post.audience, 3);
      const reminded = await tx.query<{ person_id: string }>(
        `INSERT INTO post_states (post_id, person_id, reminded_at)
         SELECT $1, m.id, now() FROM (${members.sql}) m WHERE m.id <> $2 ORDER BY m.id
         ON CONFLICT (post_id, person_id) DO UPDATE SET reminded_at = now()
           WHERE post_states.confirmed_at IS NULL
         RETURNING person_id`,
        [postId, post.author_id, ...members.params],
      );
      if (reminded.length === 0) return { seq: null, entityId: postId };
      await tx.query('UPDATE posts SET reminded_at = now() WHERE id = $1', [postId]);
      const seq = await recordChanges(
        tx,
        reminded.map((reader) => stateChange(postId, reader.person_id)),
      );
      return { seq, entityId: postId };
    },

    'feed.allowComments': async ({ tx, personId, scopes }, { postId, enabled }) => {
      const post = await managedPost(tx, personId, scopes, postId);
      const changed = await tx.query(
        'UPDATE posts SET comments_enabled = $2 WHERE id = $1 AND comments_enabled <> $2 RETURNING id',
        [postId, enabled],
      );
      if (changed.length === 0) return { seq: null, entityId: postId };
      return { seq: await recordChanges(tx, postChanges(post)), entityId: postId };
    },

    'feed.addComment': async ({ tx, personId, scopes }, { commentId, postId, parentId, body }) => {
      const post = await commentedPost(tx, personId, scopes, postId);
      if (!post.comments_enabled) throw reject('forbidden', 'Comments are turned off for this post');
      if (parentId !== null) {
        // Shared: the comment answered cannot be deleted before this reply is recorded.
        const [parent] = await tx.query<{ parent_id: string | null }>(
          `SELECT parent_id FROM post_comments WHERE id = $1 AND post_id = $2 AND deleted_at IS NULL
           FOR SHARE`,
          [parentId, postId],
        );
        if (!parent) throw reject('not_found', 'The comment this answers does not exist');
        if (parent.parent_id !== null)
          throw reject('invalid', 'A reply answers a comment, not another reply');
      }
      const inserted = await tx.query(
        `INSERT INTO post_comments (id, post_id, parent_id, author_id, body) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [commentId, postId, parentId, personId, body],
      );
      if (inserted.length === 0) throw reject('conflict', 'This comment id is already taken');
      const seq = await recordChanges(tx, [
        ...commentChanges(post, commentId),
        ...(personId === post.author_id ? [] : [reachChange(post)]),
      ]);
      return { seq, entityId: commentId };
    },

    'feed.editComment': async ({ tx, personId, scopes }, { commentId, body }) => {
      const { comment, post } = await visibleComment(tx, personId, scopes, commentId);
      if (comment.author_id !== personId) throw reject('forbidden', 'Only its author can edit a comment');
      if (comment.body === body) return { seq: null, entityId: commentId };
      await tx.query('UPDATE post_comments SET body = $2, edited_at = now() WHERE id = $1', [
        commentId,
        body,
      ]);
      return { seq: await recordChanges(tx, commentChanges(post, commentId)), entityId: commentId };
    },

    'feed.deleteComment': async ({ tx, personId, scopes }, { commentId }) => {
      const { comment, post } = await visibleComment(tx, personId, scopes, commentId);
      if (comment.author_id !== personId && !mayManagePost(await loadPoster(tx, personId, scopes), post)) {
        throw reject('forbidden', 'Only its author and those who manage the post can delete a comment');
      }
      // The replies go with the comment they answer.
      const deleted = await tx.query<{ id: string }>(
        `UPDATE post_comments SET deleted_at = now(), deleted_by = $2
          WHERE (id = $1 OR parent_id = $1) AND deleted_at IS NULL RETURNING id`,
        [commentId, personId],
      );
      const seq = await recordChanges(tx, [
        ...deleted
          .map((row) => row.id)
          .sort()
          .flatMap((id) => commentChanges(post, id, 'delete')),
        reachChange(post),
      ]);
      return { seq, entityId: commentId };
    },

    'feed.vote': async ({ tx, personId, scopes }, { postId, options }) => {
      const post = await readablePost(tx, scopes, postId, 'vote in');
      if (post.poll_options === 0) throw reject('invalid', 'This post asks no poll');
      if (options.some((option) => option >= post.poll_options)) {
        throw reject('invalid', 'This poll has no such option');
      }
      if (!post.poll_multiple && options.length > 1) throw reject('invalid', 'This poll takes one option');
      if (post.poll_closed) throw reject('forbidden', 'This poll is closed');
      const before = await tx.query<{ option: number }>(
        'SELECT option FROM poll_votes WHERE post_id = $1 AND person_id = $2 ORDER BY option',
        [postId, personId],
      );
      const chosen = [...options].sort((a, b) => a - b);
      if (before.map((row) => row.option).join() === chosen.join()) return { seq: null, entityId: postId };
      await tx.query('DELETE FROM poll_votes WHERE post_id = $1 AND person_id = $2', [postId, personId]);
      await tx.query(
        `INSERT INTO poll_votes (post_id, person_id, option) SELECT $1, $2, unnest($3::smallint[])`,
        [postId, personId, chosen],
      );
      // Voting is having seen it; the vote itself is read from poll_votes with the state.
      await tx.query(
        `INSERT INTO post_states (post_id, person_id, seen_at) VALUES ($1, $2, now())
         ON CONFLICT (post_id, person_id) DO UPDATE SET seen_at = coalesce(post_states.seen_at, now())`,
        [postId, personId],
      );
      // The author's reach carries the counts too.
      const seq = await recordChanges(tx, [
        stateChange(postId, personId),
        ...statsChanges(post),
        reachChange(post),
      ]);
      return { seq, entityId: postId };
    },

    'feed.closePoll': async ({ tx, personId, scopes }, { postId }) => {
      const post = await managedPost(tx, personId, scopes, postId);
      if (post.poll_options === 0) throw reject('invalid', 'This post asks no poll');
      const closed = await tx.query(
        `UPDATE post_polls SET closes_at = now()
          WHERE post_id = $1 AND (closes_at IS NULL OR closes_at > now()) RETURNING post_id`,
        [postId],
      );
      if (closed.length === 0) return { seq: null, entityId: postId };
      return { seq: await recordChanges(tx, postChanges(post)), entityId: postId };
    },
  };
}
