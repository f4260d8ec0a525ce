import { z } from 'zod';
import { Id } from './directory.js';
import { Cursor } from './sync.js';

/**
 * `GET /api/v1/live` (WebSocket, `Authorization: Bearer <access token>` on the upgrade request).
 * The socket only says "there is more": the client then pulls `GET /api/v1/sync`. It is sent
 * right after connecting (so the client knows at once whether to pull) and whenever changes in
 * the client's scopes were committed, at most about every 15 ms with the newest seq.
 * Heartbeats are WebSocket ping/pong frames; a client that misses a pong is dropped.
 */
export const LiveChangesFrame = z.object({ type: z.literal('changes'), upTo: Cursor }).strict();
export type LiveChangesFrame = z.infer<typeof LiveChangesFrame>;

/**
 * Someone is typing in a conversation the client can see. Ephemeral: never stored, not
 * repeated, sent to the conversation's audience except the typist. A client shows it for a few
 * seconds (`typingShownMs`) unless it is repeated.
 */
export const LiveTypingFrame = z
  .object({ type: z.literal('typing'), conversationId: Id, personId: Id })
  .strict();
export type LiveTypingFrame = z.infer<typeof LiveTypingFrame>;

/** How long a typing notice is shown; a typist's client repeats it while typing, at most every `typingRepeatMs`. */
export const typingShownMs = 6_000;
export const typingRepeatMs = 3_000;

/** People a client watches at most: its direct and group chats' members and who is on screen. */
export const maxWatchedPeople = 1000;

/**
 * Who of the people a client watches is online (has Flurfunk connected) or went offline. The
 * answer to `watchPresence` lists all of them; later frames only those that changed.
 */
export const LivePresenceFrame = z
  .object({
    type: z.literal('presence'),
    online: z.array(Id).max(maxWatchedPeople),
    offline: z.array(Id).max(maxWatchedPeople),
  })
  .strict();
export type LivePresenceFrame = z.infer<typeof LivePresenceFrame>;

/** Server → client frames (JSON text frames). Clients ignore frames of a type they do not know. */
export const LiveServerFrame = z.discriminatedUnion('type', [
  LiveChangesFrame,
  LiveTypingFrame,
  LivePresenceFrame,
]);
export type LiveServerFrame = z.infer<typeof LiveServerFrame>;

/**
 * Client → server frames: "I am typing here", and "tell me who of these people is online" (this
 * replaces the previous list; the server answers with a full `presence` frame and then sends
 * changes). Anything else closes the socket.
 */
export const LiveClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('typing'), conversationId: Id }).strict(),
  z.object({ type: z.literal('watchPresence'), personIds: z.array(Id).max(maxWatchedPeople) }).strict(),
]);
export type LiveClientFrame = z.infer<typeof LiveClientFrame>;

/** Close codes the server uses. A malformed client frame is a policy violation and closes the socket. */
export const LiveCloseCode = {
  /** The server is shutting down or restarting: reconnect (with backoff). */
  goingAway: 1001,
  /** The client sent a frame that is not a valid `LiveClientFrame`. */
  policyViolation: 1008,
  /** The device was signed out or revoked: do not reconnect; sign in again. */
  deviceRevoked: 4401,
} as const;
export type LiveCloseCode = (typeof LiveCloseCode)[keyof typeof LiveCloseCode];
