import { DirectoryPage, DirectoryQuery } from '@flurfunk/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Authenticator } from '../auth/authenticator.js';
import { ApiError } from '../http/api-error.js';
import { bearerAuth, errorResponses } from '../http/error-responses.js';
import { decodeDirectoryCursor, encodeDirectoryCursor } from './cursor.js';
import type { DirectoryStore } from './directory-store.js';

export const directoryRoutes: FastifyPluginAsyncZod<{
  directory: DirectoryStore;
  authenticator: Authenticator;
}> = async (app, { directory, authenticator }) => {
  app.get(
    '/api/v1/directory',
    {
      schema: {
        summary: 'People in directory order (last name, first name, then id), paged by an opaque cursor',
        tags: ['directory'],
        security: bearerAuth,
        querystring: DirectoryQuery,
        response: { 200: DirectoryPage, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      await authenticator.authenticate(request);
      const { cursor, limit } = request.query;
      const after = cursor === undefined ? null : decodeDirectoryCursor(cursor);
      if (after === null && cursor !== undefined) {
        throw new ApiError(400, 'bad_request', 'Invalid directory cursor');
      }
      const { people, last } = await directory.listPeople(after, limit);
      return { people, nextCursor: last ? encodeDirectoryCursor(last) : null };
    },
  );
};
