import { Id, MessageHistoryPage, MessageHistoryQuery } from '@flurfunk/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Authenticator } from '../auth/authenticator.js';
import type { Database } from '../db/database.js';
import { ApiError } from '../http/api-error.js';
import { bearerAuth, errorResponses } from '../http/error-responses.js';
import { scopesOf } from '../sync/scopes.js';
import { findVisibleConversation, messageJson } from './conversation-rows.js';

const IdParams = z.object({ id: Id }).strict();

/** Chat history beyond what sync delivered; only for members, like everything in a conversation. */
export const chatRoutes: FastifyPluginAsyncZod<{ db: Database; authenticator: Authenticator }> = async (
  app,
  { db, authenticator },
) => {
  app.get(
    '/api/v1/chat/conversations/:id/messages',
    {
      schema: {
        summary: 'Messages of a conversation older than `before`, newest first',
        tags: ['chat'],
        security: bearerAuth,
        params: IdParams,
        querystring: MessageHistoryQuery,
        response: { 200: MessageHistoryPage, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const principal = await authenticator.authenticate(request);
      const { id } = request.params;
      const { before, limit } = request.query;
      if (!(await findVisibleConversation(db, await scopesOf(db, principal.personId), id))) {
        throw new ApiError(404, 'not_found', 'This conversation does not exist or you are not a member');
      }
      const rows = await db.query<{ data: z.infer<typeof MessageHistoryPage>['messages'][number] }>(
        `SELECT ${messageJson} AS data FROM messages m
          WHERE m.conversation_id = $1
            AND ($2::uuid IS NULL OR (m.created_at, m.id) < (
              SELECT b.created_at, b.id FROM messages b WHERE b.id = $2 AND b.conversation_id = $1))
          ORDER BY m.created_at DESC, m.id DESC
          LIMIT $3`,
        [id, before ?? null, limit + 1],
      );
      return { messages: rows.slice(0, limit).map((row) => row.data), hasMore: rows.length > limit };
    },
  );
};
