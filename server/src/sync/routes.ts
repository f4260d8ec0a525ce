import { SyncPage, SyncQuery } from '@flurfunk/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Authenticator } from '../auth/authenticator.js';
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
          "Changes in the caller's scopes after a cursor, ascending, with the latest state of each entity and the caller's scopes",
        tags: ['sync'],
        security: bearerAuth,
        querystring: SyncQuery,
        response: { 200: SyncPage, ...errorResponses(400, 401, 410) },
      },
    },
    async (request) => {
      const principal = await authenticator.authenticate(request);
      return sync.changesFor(principal.personId, request.query);
    },
  );
};
