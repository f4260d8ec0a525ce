import {
  Id,
  PollVoters,
  PostConfirmations,
  PostRevisions,
  PostableChannels,
  type FeedChannel,
} from '@flurfunk/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Authenticator } from '../auth/authenticator.js';
import type { Database } from '../db/database.js';
import { isoTimestamp } from '../db/sql.js';
import { ApiError } from '../http/api-error.js';
import { bearerAuth, errorResponses } from '../http/error-responses.js';
import { scopeMembersQuery, scopesOf } from '../sync/scopes.js';
import { findManagedPost, loadPoster, postableAudiences } from './permissions.js';
import { type PostRow, channelJson } from './post-rows.js';

const IdParams = z.object({ id: Id }).strict();

/** Edits kept per post are few; this bounds the answer should a script edit a post endlessly. */
const maxRevisionsListed = 500;
/** Far more channels than any company has; bounds the answer all the same. */
const maxChannelsListed = 1000;

/** The newsfeed beyond sync: what only the people managing a post may read, and where one may post. */
export const feedRoutes: FastifyPluginAsyncZod<{ db: Database; authenticator: Authenticator }> = async (
  app,
  { db, authenticator },
) => {
  /** The post, if the caller may manage it: otherwise 404 (missing or invisible) or 403. */
  const managedPost = async (personId: string, postId: string): Promise<PostRow> => {
    const found = await findManagedPost(db, personId, await scopesOf(db, personId), postId);
    if (found.ok) return found.post;
    throw found.refusal === 'forbidden'
      ? new ApiError(
          403,
          'forbidden',
          'Only its author, editors and the managers of its channel can see this',
        )
      : new ApiError(404, 'not_found', 'This post does not exist');
  };

  app.get(
    '/api/v1/feed/posts/:id/confirmations',
    {
      schema: {
        summary: 'Who confirmed having read a post and who has not yet, by name',
        description:
          'For the author, editors and the managers of its channel; only for posts asking for a read confirmation.',
        tags: ['feed'],
        security: bearerAuth,
        params: IdParams,
        response: { 200: PostConfirmations, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { personId } = await authenticator.authenticate(request);
      const post = await managedPost(personId, request.params.id);
      if (!post.requires_confirmation) {
        throw new ApiError(400, 'bad_request', 'This post does not ask for a read confirmation');
      }
      const [row] = await db.query<{ reminded_at: string | null }>(
        `SELECT CASE WHEN reminded_at IS NULL THEN NULL ELSE ${isoTimestamp('reminded_at')} END AS reminded_at
           FROM posts WHERE id = $1`,
        [post.id],
      );
      // Everyone who confirmed counts, also those who have left the audience since.
      const confirmed = await db.query<{ personId: string; displayName: string; confirmedAt: string }>(
        `SELECT p.id AS "personId", p.display_name AS "displayName",
                ${isoTimestamp('s.confirmed_at')} AS "confirmedAt"
           FROM post_states s JOIN persons p ON p.id = s.person_id
          WHERE s.post_id = $1 AND s.confirmed_at IS NOT NULL
          ORDER BY p.sort_key, p.id`,
        [post.id],
      );
      // The author is not asked to confirm their own post.
      const members = scopeMembersQuery(post.audience, 3);
      const pending = await db.query<{ personId: string; displayName: string }>(
        `SELECT p.id AS "personId", p.display_name AS "displayName"
           FROM persons p
          WHERE p.id IN (${members.sql}) AND p.id <> $2
            AND NOT EXISTS (SELECT 1 FROM post_states s
                             WHERE s.post_id = $1 AND s.person_id = p.id AND s.confirmed_at IS NOT NULL)
          ORDER BY p.sort_key, p.id`,
        [post.id, post.author_id, ...members.params],
      );
      return { postId: post.id, confirmed, pending, remindedAt: row?.reminded_at ?? null };
    },
  );

  app.get(
    '/api/v1/feed/posts/:id/revisions',
    {
      schema: {
        summary: 'The edit history of a post, newest edit first: the text each edit replaced',
        description: 'For the author, editors and the managers of its channel.',
        tags: ['feed'],
        security: bearerAuth,
        params: IdParams,
        response: { 200: PostRevisions, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { personId } = await authenticator.authenticate(request);
      const post = await managedPost(personId, request.params.id);
      const revisions = await db.query<PostRevisions['revisions'][number]>(
        `SELECT r.revision, r.title, r.body,
                json_build_object('personId', p.id, 'displayName', p.display_name) AS "editedBy",
                ${isoTimestamp('r.edited_at')} AS "editedAt"
           FROM post_revisions r JOIN persons p ON p.id = r.edited_by
          WHERE r.post_id = $1
          ORDER BY r.revision DESC
          LIMIT $2`,
        [post.id, maxRevisionsListed],
      );
      return { postId: post.id, revisions };
    },
  );

  app.get(
    '/api/v1/feed/posts/:id/votes',
    {
      schema: {
        summary: 'Who chose each option of a poll, by name',
        description:
          'For the author, editors and the managers of its channel; only for polls that are not anonymous.',
        tags: ['feed'],
        security: bearerAuth,
        params: IdParams,
        response: { 200: PollVoters, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { personId } = await authenticator.authenticate(request);
      const post = await managedPost(personId, request.params.id);
      const [poll] = await db.query<{ anonymous: boolean }>(
        'SELECT anonymous FROM post_polls WHERE post_id = $1',
        [post.id],
      );
      if (!poll) throw new ApiError(400, 'bad_request', 'This post asks no poll');
      if (poll.anonymous) throw new ApiError(400, 'bad_request', 'This poll is anonymous');
      const votes = await db.query<{ option: number; personId: string; displayName: string }>(
        `SELECT v.option, p.id AS "personId", p.display_name AS "displayName"
           FROM poll_votes v JOIN persons p ON p.id = v.person_id
          WHERE v.post_id = $1
          ORDER BY v.option, p.sort_key, p.id`,
        [post.id],
      );
      const options: PollVoters['options'] = Array.from({ length: post.poll_options }, () => []);
      for (const { option, ...person } of votes) options[option]?.push(person);
      return { postId: post.id, options };
    },
  );

  app.get(
    '/api/v1/feed/channels/postable',
    {
      schema: {
        summary: 'The channels the caller may post in, by name',
        description:
          'Editors may post in every channel, managers in those of the units they manage; they need not read them.',
        tags: ['feed'],
        security: bearerAuth,
        response: { 200: PostableChannels, ...errorResponses(401) },
      },
    },
    async (request) => {
      const { personId } = await authenticator.authenticate(request);
      const audiences = postableAudiences(await loadPoster(db, personId, await scopesOf(db, personId)));
      const rows = await db.query<{ data: FeedChannel }>(
        `SELECT ${channelJson} AS data FROM feed_channels c
          WHERE $1 OR c.audience = ANY($2::text[])
          ORDER BY c.name, c.id
          LIMIT $3`,
        [audiences === 'any', audiences === 'any' ? [] : audiences, maxChannelsListed],
      );
      return { channels: rows.map((row) => row.data) };
    },
  );
};
