import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/access-tokens.js';
import type { Authenticator } from '../auth/authenticator.js';
import { ApiError } from '../http/api-error.js';
import { bearerAuth, errorResponses } from '../http/error-responses.js';
import type { LiveHub } from './live-hub.js';

/**
 * `GET /api/v1/live`: the WebSocket that tells a client when to pull (protocol/src/live.ts).
 * The access token travels in the upgrade request's `Authorization: Bearer` header, checked
 * before the upgrade, so a bad token gets a JSON 401 instead of a socket. Only the core (Node)
 * connects here, never a browser page (the renderer holds no token), so there is no need for a
 * token in the URL or in Sec-WebSocket-Protocol, where proxies and logs would keep it.
 */
export const liveRoutes: FastifyPluginAsync<{ hub: LiveHub; authenticator: Authenticator }> = async (
  app,
  { hub, authenticator },
) => {
  const principals = new WeakMap<FastifyRequest, Principal>();
  app.route({
    method: 'GET',
    url: '/api/v1/live',
    schema: {
      summary:
        'WebSocket (101 Switching Protocols) announcing `{type:"changes",upTo}` whenever changes the caller may see were committed; pull them with /sync',
      tags: ['sync'],
      security: bearerAuth,
      response: errorResponses(401, 426),
    },
    preValidation: async (request) => {
      principals.set(request, await authenticator.authenticate(request));
    },
    handler: async () => {
      throw new ApiError(426, 'bad_request', 'This endpoint only speaks WebSocket', { upgrade: 'websocket' });
    },
    wsHandler: (socket, request) => {
      const principal = principals.get(request);
      if (principal) return hub.attach(socket, principal);
      // preValidation authenticated every request that got this far.
      throw new Error('live socket without an authenticated principal');
    },
  });
};
