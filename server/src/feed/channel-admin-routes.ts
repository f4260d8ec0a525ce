import { Id, ScopeKey, parseScopeKey } from '@flurfunk/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Authenticator } from '../auth/authenticator.js';
import type { Database, Queryable } from '../db/database.js';
import { bearerAuth, errorResponses } from '../http/error-responses.js';
import { type EntityChange, recordChanges } from '../sync/change-log.js';
import { scopeMembersQuery } from '../sync/scopes.js';
import { channelSettingsChange, reachChange, stateChange } from './changes.js';

const IdParams = z.object({ id: Id }).strict();

/** Channels reach a whole audience: the company, a location, a unit (with or without sub-units) or a role. */
const ChannelAudience = ScopeKey.refine((key) => !['chat', 'user'].includes(parseScopeKey(key).kind), {
  message: 'A channel is for the company, a location, an org unit or a role',
});

export const FeedChannelBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().trim().max(1000).default(''),
    audience: ChannelAudience,
    /** Readers cannot unfollow it. */
    mandatory: z.boolean().default(false),
  })
  .strict();
export type FeedChannelBody = z.infer<typeof FeedChannelBody>;

/**
 * The changes that move a channel's posts from one audience to another: published posts, their
 * reaction counts and their comments leave a tombstone in the old audience, readers who are no longer in it lose
 * their state of the posts and their choice to follow the channel, and the authors' reach counts
 * a new audience. The rows stay: should the channel come back to them, so does all of it.
 */
async function moveChannelPosts(
  tx: Queryable,
  channelId: string,
  from: ScopeKey,
  to: ScopeKey,
): Promise<EntityChange[]> {
  // Locked: the scheduler skips these (or this waits until it has published them).
  const posts = await tx.query<{ id: string; author_id: string; published: boolean }>(
    `SELECT id, author_id, published FROM posts WHERE channel_id = $1 AND deleted_at IS NULL
      ORDER BY id FOR UPDATE`,
    [channelId],
  );
  const members = scopeMembersQuery(to, 2);
  const states = await tx.query<{ post_id: string; person_id: string; member: boolean }>(
    `SELECT s.post_id, s.person_id, s.person_id IN (${members.sql}) AS member
       FROM post_states s JOIN posts p ON p.id = s.post_id
      WHERE p.channel_id = $1 AND p.published AND p.deleted_at IS NULL`,
    [channelId, ...members.params],
  );
  const comments = await tx.query<{ id: string }>(
    `SELECT k.id FROM post_comments k JOIN posts p ON p.id = k.post_id
      WHERE p.channel_id = $1 AND p.published AND p.deleted_at IS NULL AND k.deleted_at IS NULL
      ORDER BY k.id`,
    [channelId],
  );
  const settings = await tx.query<{ person_id: string; member: boolean }>(
    `SELECT s.person_id, s.person_id IN (${members.sql}) AS member
       FROM feed_channel_settings s WHERE s.channel_id = $1`,
    [channelId, ...members.params],
  );
  return [
    ...posts
      .filter((post) => post.published)
      .flatMap((post) =>
        (['post', 'postStats'] as const).map((entityType) => ({
          entityType,
          entityId: post.id,
          op: 'upsert' as const,
          scope: to,
          previousScope: from,
        })),
      ),
    ...comments.map((comment) => ({
      entityType: 'postComment' as const,
      entityId: comment.id,
      op: 'upsert' as const,
      scope: to,
      previousScope: from,
    })),
    ...posts.map((post) => reachChange(post)),
    ...states.map((s) => stateChange(s.post_id, s.person_id, s.member ? 'upsert' : 'delete')),
    ...settings.map((s) => channelSettingsChange(channelId, s.person_id, s.member ? 'upsert' : 'delete')),
  ];
}

/**
 * Creates or updates a newsfeed channel in one transaction; a new audience takes its posts along.
 * Making it mandatory makes everyone follow it again.
 */
export async function upsertFeedChannel(db: Database, id: string, channel: FeedChannelBody): Promise<void> {
  await db.transaction(async (tx) => {
    // Locked: a post being written in the channel waits, so it cannot land in the old audience.
    const [old] = await tx.query<{ audience: ScopeKey }>(
      'SELECT audience FROM feed_channels WHERE id = $1 FOR UPDATE',
      [id],
    );
    await tx.query(
      `INSERT INTO feed_channels (id, name, description, audience, mandatory) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
         audience = excluded.audience, mandatory = excluded.mandatory`,
      [id, channel.name, channel.description, channel.audience, channel.mandatory],
    );
    const changes: EntityChange[] = [
      {
        entityType: 'feedChannel',
        entityId: id,
        op: 'upsert',
        scope: channel.audience,
        previousScope: old?.audience,
      },
    ];
    if (channel.mandatory) {
      // Everyone follows a mandatory channel: an earlier choice not to goes.
      const unfollowed = await tx.query<{ person_id: string }>(
        'DELETE FROM feed_channel_settings WHERE channel_id = $1 AND NOT following RETURNING person_id',
        [id],
      );
      changes.push(...unfollowed.map((s) => channelSettingsChange(id, s.person_id, 'delete')));
    }
    if (old && old.audience !== channel.audience) {
      changes.push(...(await moveChannelPosts(tx, id, old.audience, channel.audience)));
    }
    await recordChanges(tx, changes);
  });
}

/** Newsfeed channels, maintained by admins and editors. */
export const feedChannelAdminRoutes: FastifyPluginAsyncZod<{
  db: Database;
  authenticator: Authenticator;
}> = async (app, { db, authenticator }) => {
  app.put(
    '/api/v1/admin/feed/channels/:id',
    {
      schema: {
        summary: 'Create or update a newsfeed channel; a new audience takes its posts along',
        tags: ['feed admin'],
        security: bearerAuth,
        params: IdParams,
        body: FeedChannelBody,
        response: { 204: z.null(), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await authenticator.authenticateWithAnyRole(request, ['admin', 'editor']);
      await upsertFeedChannel(db, request.params.id, request.body);
      return reply.code(204).send(null);
    },
  );
};
