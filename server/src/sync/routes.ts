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
      // Pages are the bulk of all traffic and checking each again on the way out cost a fifth of
      // the server's time per page. Their payloads are built by SQL from typed columns; every
      // client checks each page against SyncPage and refuses (and logs) one that does not match,
      // and so do the integration tests for every page they pull.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request) => {
      const principal = await authenticator.authenticate(request);
      return sync.changesFor(principal.personId, request.query);
    },
  );
};
