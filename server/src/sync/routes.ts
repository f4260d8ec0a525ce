import { SyncPage, SyncQuery } from '@flurfunk/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Authenticator } from '../auth/authenticator.js';
import { ApiError } from '../http/api-error.js';
import { bearerAuth, errorResponses } from '../http/error-responses.js';
import type { SyncStore } from './sync-store.js';

export const syncRoutes: FastifyPluginAsyncZod<{ sync: SyncStore; authenticator: Authenticator }> = async (
  app,
  { sync, authenticator },
) => {
  app.get(
    '/api/v1/sync',
    {
      schema: {
        summary:
          'Changes visible to the caller after a cursor, ascending, with the latest state of each entity',
        tags: ['sync'],
        security: bearerAuth,
        querystring: SyncQuery,
        response: { 200: SyncPage, ...errorResponses(400, 401, 410) },
      },
    },
    async (request) => {
      await authenticator.authenticate(request);
      const { after, limit } = request.query;
      const page = await sync.changesAfter(after, limit);
      // A cursor from the future means the client synced with another (or a reset) database:
      // tell it instead of silently answering "nothing new" forever.
      if (page.changes.length === 0 && BigInt(after) > BigInt(await sync.latestSeq())) {
        throw new ApiError(
          410,
          'resync_required',
          'Cursor is ahead of this server\'s change log; sync again from "0"',
        );
      }
      return page;
    },
  );
};
