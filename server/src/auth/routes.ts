import rateLimit from '@fastify/rate-limit';
import { LoginRequest, RefreshRequest, TokenResponse } from '@flurfunk/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../http/api-error.js';
import { bearerAuth, errorResponses } from '../http/error-responses.js';
import type { AuthService } from './auth-service.js';
import type { Authenticator } from './authenticator.js';

export const authRoutes: FastifyPluginAsyncZod<{
  auth: AuthService;
  authenticator: Authenticator;
  /** Per client address, over all routes of this plugin. */
  requestsPerMinute: number;
}> = async (app, { auth, authenticator, requestsPerMinute }) => {
  // Registered inside this plugin, so it counts exactly the /api/v1/auth/* routes, before their
  // bodies are parsed or any password is checked.
  await app.register(rateLimit, {
    max: requestsPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new ApiError(
        429,
        'rate_limited',
        `Too many sign-in requests from this address. Try again in ${Math.ceil(seconds / 60)} minute(s).`,
        { 'retry-after': String(seconds) },
      );
    },
  });

  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        summary: 'Sign in with username and password; opens a session for this device',
        tags: ['auth'],
        body: LoginRequest,
        response: { 200: TokenResponse, ...errorResponses(400, 401, 413, 429) },
      },
    },
    (request) => auth.login(request.body),
  );

  app.post(
    '/api/v1/auth/refresh',
    {
      schema: {
        summary:
          'Exchange a refresh token for new tokens (the presented one becomes invalid, except for a prompt retry)',
        tags: ['auth'],
        body: RefreshRequest,
        response: { 200: TokenResponse, ...errorResponses(400, 401, 413, 429) },
      },
    },
    (request) => auth.refresh(request.body.refreshToken),
  );

  app.post(
    '/api/v1/auth/logout',
    {
      schema: {
        summary: 'Sign this device out: revokes its refresh tokens and access tokens',
        tags: ['auth'],
        security: bearerAuth,
        body: z.object({}).strict().nullish(),
        response: { 204: z.null(), ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      await auth.logout(await authenticator.authenticate(request));
      return reply.code(204).send(null);
    },
  );
};
