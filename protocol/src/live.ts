import { z } from 'zod';
import { Cursor } from './sync.js';

/**
 * `GET /api/v1/live` (WebSocket, `Authorization: Bearer <access token>` on the upgrade request).
 * The socket only says "there is more": the client then pulls `GET /api/v1/sync`. It is sent
 * right after connecting (so the client knows at once whether to pull) and whenever changes in
 * the client's scopes were committed, at most about every 50 ms with the newest seq.
 * Heartbeats are WebSocket ping/pong frames; a client that misses a pong is dropped.
 */
export const LiveChangesFrame = z.object({ type: z.literal('changes'), upTo: Cursor }).strict();
export type LiveChangesFrame = z.infer<typeof LiveChangesFrame>;

/** Server → client frames (JSON text frames). Clients ignore frames of a type they do not know. */
export const LiveServerFrame = z.discriminatedUnion('type', [LiveChangesFrame]);
export type LiveServerFrame = z.infer<typeof LiveServerFrame>;

/**
 * Close codes the server uses. Clients send no data frames yet: any data frame is a policy
 * violation and closes the socket.
 */
export const LiveCloseCode = {
  /** The server is shutting down or restarting: reconnect (with backoff). */
  goingAway: 1001,
  /** The client sent a data frame (none are defined). */
  policyViolation: 1008,
  /** The device was signed out or revoked: do not reconnect; sign in again. */
  deviceRevoked: 4401,
} as const;
export type LiveCloseCode = (typeof LiveCloseCode)[keyof typeof LiveCloseCode];
