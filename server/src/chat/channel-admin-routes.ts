import { Id, ScopeKey, parseScopeKey } from '@flurfunk/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Authenticator } from '../auth/authenticator.js';
import type { Database } from '../db/database.js';
import { ApiError } from '../http/api-error.js';
import { bearerAuth, errorResponses } from '../http/error-responses.js';
import { recordChanges } from '../sync/change-log.js';
import { findConversation } from './conversation-rows.js';

const IdParams = z.object({ id: Id }).strict();

/** Channels reach a whole audience: the company, a location, a unit (with or without sub-units) or a role. */
const ChannelAudience = ScopeKey.refine((key) => !['chat', 'user'].includes(parseScopeKey(key).kind), {
  message: 'A channel is for the company, a location, an org unit or a role',
});

export const ChannelBody = z
  .object({
    title: z.string().trim().min(1).max(200),
    audience: ChannelAudience,
    readOnly: z.boolean().default(false),
    adminIds: z.array(Id).max(100).default([]),
  })
  .strict();
export type ChannelBody = z.infer<typeof ChannelBody>;

/** Creates or updates a channel in one transaction, recording its change. */
export async function upsertChannel(db: Database, id: string, channel: ChannelBody): Promise<void> {
  await db.transaction(async (tx) => {
    const existing = await findConversation(tx, id);
    if (existing && (existing.kind !== 'channel' || existing.audience !== channel.audience)) {
      throw new ApiError(
        400,
        'bad_request',
        'A conversation keeps its kind and audience; create a new channel',
      );
    }
    await tx.query(
      `INSERT INTO conversations (id, kind, title, audience, read_only) VALUES ($1, 'channel', $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, read_only = excluded.read_only`,
      [id, channel.title, channel.audience, channel.readOnly],
    );
    await tx.query('DELETE FROM conversation_members WHERE conversation_id = $1', [id]);
    await tx.query(
      `INSERT INTO conversation_members (conversation_id, person_id, role)
       SELECT $1, p.id, 'admin' FROM persons p WHERE p.id = ANY($2::uuid[])`,
      [id, channel.adminIds],
    );
    await recordChanges(tx, [
      { entityType: 'conversation', entityId: id, op: 'upsert', scope: channel.audience },
    ]);
  });
}

/** Channel maintenance by admins. */
export const channelAdminRoutes: FastifyPluginAsyncZod<{
  db: Database;
  authenticator: Authenticator;
}> = async (app, { db, authenticator }) => {
  app.put(
    '/api/v1/admin/chat/channels/:id',
    {
      schema: {
        summary: 'Create or update a channel (its audience is fixed once created)',
        tags: ['chat admin'],
        security: bearerAuth,
        params: IdParams,
        body: ChannelBody,
        response: { 204: z.null(), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await authenticator.authenticateWithRole(request, 'admin');
      await upsertChannel(db, request.params.id, request.body);
      return reply.code(204).send(null);
    },
  );
};
