import { MutationBatch, MutationResponse } from '@flurfunk/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Authenticator } from '../auth/authenticator.js';
import { bearerAuth, errorResponses } from '../http/error-responses.js';
import type { MutationService } from './mutation-service.js';

export const mutationBodyLimitBytes = 2 * 1024 * 1024;

export const mutationRoutes: FastifyPluginAsyncZod<{
  mutations: MutationService;
  authenticator: Authenticator;
}> = async (app, { mutations, authenticator }) => {
  app.post(
    '/api/v1/mutations',
    {
      // A full batch of long messages; everything else in the API stays at the small default.
      bodyLimit: mutationBodyLimitBytes,
      schema: {
        summary:
          'Applies client writes in order; each is answered applied or rejected, and a repeated id returns its first answer',
        tags: ['sync'],
        security: bearerAuth,
        body: MutationBatch,
        response: { 200: MutationResponse, ...errorResponses(400, 401, 413) },
      },
    },
    async (request) => {
      const principal = await authenticator.authenticate(request);
      return { results: await mutations.apply(principal.personId, request.body.mutations) };
    },
  );
};
