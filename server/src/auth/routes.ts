import { LoginRequest, RefreshRequest, TokenResponse } from '@flurfunk/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bearerAuth, errorResponses } from '../http/error-responses.js';
import type { AuthService } from './auth-service.js';
import type { Authenticator } from './authenticator.js';

export const authRoutes: FastifyPluginAsyncZod<{ auth: AuthService; authenticator: Authenticator }> = async (
  app,
  { auth, authenticator },
) => {
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
        summary: 'Exchange a refresh token for new tokens (the presented one becomes invalid)',
        tags: ['auth'],
        body: RefreshRequest,
        response: { 200: TokenResponse, ...errorResponses(400, 401, 413) },
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
        response: { 204: z.null(), ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      await auth.logout(await authenticator.authenticate(request));
      return reply.code(204).send(null);
    },
  );
};
