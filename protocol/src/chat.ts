import { z } from 'zod';
import { Id } from './directory.js';
import { ScopeKey } from './scope.js';

/** Ids a client creates itself (messages, conversations, mutations): time-ordered UUIDv7. */
export const ClientId = z.uuidv7();

export const ConversationKind = z.enum(['direct', 'group', 'channel']);
export type ConversationKind = z.infer<typeof ConversationKind>;

export const maxGroupMembers = 5000;
export const maxMessageLength = 10_000;

const earliestTime = Date.UTC(1970, 0, 1);
const latestTime = Date.UTC(9999, 11, 30);
const offsetPattern = /([+-])(\d{2}):(\d{2})$/;

/** Within the years every database and calendar handles, with a real-world UTC offset (±14:00). */
function isStorableTime(value: string): boolean {
  const offset = offsetPattern.exec(value);
  if (offset && Number(offset[2]) * 60 + Number(offset[3]) > 14 * 60) return false;
  const time = Date.parse(value);
  return time >= earliestTime && time <= latestTime;
}

/** A point in time as the server writes it: ISO 8601 with an offset (UTC, microseconds). */
export const Timestamp = z.iso
  .datetime({ offset: true })
  .refine(isStorableTime, 'a time between 1970 and 9999 with an offset of at most 14 hours');

/**
 * A conversation. Direct and group conversations have an explicit member list and live in the
 * scope `chat:<id>`; a channel has no member list: its audience scope (the company, a location,
 * an org unit with its sub-units, a role) decides who is in it, so membership follows the org
 * chart. `readOnly` conversations accept messages from their admins only (announcements).
 */
export const Conversation = z
  .object({
    id: Id,
    kind: ConversationKind,
    title: z.string().max(200),
    audience: ScopeKey,
    memberIds: z.array(Id).max(maxGroupMembers),
    adminIds: z.array(Id).max(maxGroupMembers),
    readOnly: z.boolean(),
    createdAt: Timestamp,
  })
  .strict();
export type Conversation = z.infer<typeof Conversation>;

export const MessageBody = z.string().trim().min(1).max(maxMessageLength);

export const ChatMessage = z
  .object({
    id: Id,
    conversationId: Id,
    authorId: Id,
    body: z.string().max(maxMessageLength),
    createdAt: Timestamp,
    editedAt: Timestamp.nullable(),
  })
  .strict();
export type ChatMessage = z.infer<typeof ChatMessage>;

/** One person's own settings for a conversation (scope `user:<person>`; the id is the conversation's). */
export const ConversationSettings = z
  .object({
    id: Id,
    muted: z.boolean(),
    pinned: z.boolean(),
    lastReadMessageId: Id.nullable(),
  })
  .strict();
export type ConversationSettings = z.infer<typeof ConversationSettings>;

/** `GET /api/v1/chat/conversations/:id/messages?before=&limit=`: older history, newest first. */
export const MessageHistoryQuery = z
  .object({
    before: Id.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const MessageHistoryPage = z.object({ messages: z.array(ChatMessage), hasMore: z.boolean() }).strict();
export type MessageHistoryPage = z.infer<typeof MessageHistoryPage>;

/**
 * Where a message stands from this device's point of view: `synced` came from the server;
 * `pending` is the user's own, waiting in the outbox; `sent` was accepted by the server and is
 * about to arrive by sync; `failed` was refused (see the outbox entry: retry or discard).
 */
export const Delivery = z.enum(['synced', 'pending', 'sent', 'failed']);
export type Delivery = z.infer<typeof Delivery>;

export const MessageView = ChatMessage.extend({
  delivery: Delivery,
  /** The outbox entry behind a non-synced state, for retry or discard. */
  outboxId: z.string().nullable(),
}).strict();
export type MessageView = z.infer<typeof MessageView>;
