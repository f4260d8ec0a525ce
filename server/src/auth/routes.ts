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
  /** Sign-in attempts one client address may make per minute. */
  loginAttemptsPerMinute: number;
  /** A device signed out: its live sockets on this instance close now, on others at their next heartbeat. */
  onSignedOut(deviceId: string): void;
}> = async (app, { auth, authenticator, loginAttemptsPerMinute, onSignedOut }) => {
  // Only sign-in is limited per address, before its body is parsed or any password is checked.
  // Refresh and sign-out are not: their tokens cannot be guessed, and every client refreshes
  // regularly, so behind a proxy that hides client addresses a shared budget would lock out all.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new ApiError(
        429,
        'rate_limited',
        `Too many sign-in attempts from this network address. Try again in ${Math.ceil(seconds / 60)} minute(s).`,
        { 'retry-after': String(seconds) },
      );
    },
  });

  app.post(
    '/api/v1/auth/login',
    {
      config: { rateLimit: { max: loginAttemptsPerMinute, timeWindow: 60_000 } },
      schema: {
        summary: 'Sign in with username and password; opens a session for this device',
        tags: ['auth'],
        body: LoginRequest,
        response: { 200: TokenResponse, ...errorResponses(400, 401, 413, 429) },
      },
    },
    (request) => auth.login(request.body, () => !request.raw.socket.destroyed),
  );

  app.post(
    '/api/v1/auth/refresh',
    {
      schema: {
        summary:
          'Exchange a refresh token for new tokens (the presented one becomes invalid, except for a prompt retry)',
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
      const principal = await authenticator.authenticate(request);
      await auth.logout(principal);
      onSignedOut(principal.deviceId);
      return reply.code(204).send(null);
    },
  );
};
