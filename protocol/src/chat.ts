import { z } from 'zod';
import { Id } from './directory.js';
import { FileMeta, maxAttachments } from './files.js';
import { ScopeKey } from './scope.js';

/** Ids a client creates itself (messages, conversations, mutations): time-ordered UUIDv7. */
export const ClientId = z.uuidv7();

export const ConversationKind = z.enum(['direct', 'group', 'channel']);
export type ConversationKind = z.infer<typeof ConversationKind>;

export const maxGroupMembers = 5000;
export const maxMessageLength = 10_000;
/** Read receipts name each reader up to this many members; larger conversations show a count. */
export const maxNamedReaders = 20;
/** Larger conversations count their readers at this many of the newest read positions. */
export const maxReadPositions = 100;
/** Different emoji on one message; each person may give several. */
export const maxReactionsPerMessage = 50;

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
    /** Empty for direct conversations: each side shows the other person's name. */
    title: z.string().max(200),
    audience: ScopeKey,
    memberIds: z.array(Id).max(maxGroupMembers),
    adminIds: z.array(Id).max(maxGroupMembers),
    readOnly: z.boolean(),
    /** A group's picture (an image file its admins uploaded). */
    picture: FileMeta.nullable(),
    createdAt: Timestamp,
  })
  .strict();
export type Conversation = z.infer<typeof Conversation>;

export const ConversationTitle = z.string().trim().min(1).max(200);

export const MessageBody = z.string().trim().max(maxMessageLength);

/**
 * One emoji (a single grapheme of pictographs, skin tones, variation selectors and joiners), so a
 * reaction cannot smuggle text.
 */
export const ReactionEmoji = z
  .string()
  .min(1)
  .max(32)
  .regex(
    /^(?=.*(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3))(?:\p{Extended_Pictographic}|\p{Emoji_Component}|\u200d|\ufe0f|\u20e3)+$/u,
    'one emoji',
  )
  .refine((emoji) => [...new Intl.Segmenter().segment(emoji)].length === 1, 'one emoji');

export const MessageReaction = z
  .object({ emoji: ReactionEmoji, personIds: z.array(Id).min(1).max(maxGroupMembers) })
  .strict();
export type MessageReaction = z.infer<typeof MessageReaction>;

/**
 * A chat message. A deleted one stays as a tombstone (`deletedAt`, empty body, no files, no
 * reactions) so replies and the history keep their place. Mentions live in the body as
 * `<@person-id>` and `<@channel>` (see `mentionsIn`).
 */
export const ChatMessage = z
  .object({
    id: Id,
    conversationId: Id,
    authorId: Id,
    body: z.string().max(maxMessageLength),
    /** The message this one answers, quoted above it. */
    replyToId: Id.nullable(),
    /** Sent on from another conversation ("forwarded"). */
    forwarded: z.boolean(),
    attachments: z.array(FileMeta).max(maxAttachments),
    reactions: z.array(MessageReaction).max(maxReactionsPerMessage),
    createdAt: Timestamp,
    editedAt: Timestamp.nullable(),
    deletedAt: Timestamp.nullable(),
  })
  .strict();
export type ChatMessage = z.infer<typeof ChatMessage>;

const mentionToken = /<@([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|channel)>/gi;

/** `<@id>`: how a message body names a person it mentions. */
export const mentionOf = (personId: string): string => `<@${personId}>`;
export const channelMention = '<@channel>';

/**
 * Who may mention everyone (`<@channel>`): anyone in a group, only its admins in a channel, which
 * reaches a whole department or the company.
 */
export function mayMentionEveryone(conversation: { kind: ConversationKind; isAdmin: boolean }): boolean {
  return conversation.kind !== 'channel' || conversation.isAdmin;
}

/** Whom a message body mentions: people by id, and (`everyone`) the whole conversation. */
export function mentionsIn(body: string): { personIds: string[]; everyone: boolean } {
  const personIds = new Set<string>();
  let everyone = false;
  for (const [, target] of body.matchAll(mentionToken)) {
    if (target!.toLowerCase() === 'channel') everyone = true;
    else personIds.add(target!.toLowerCase());
  }
  return { personIds: [...personIds], everyone };
}

/** The body split into text and mentions, for rendering. */
export function splitMentions(body: string): Array<{ text: string } | { mention: string }> {
  const parts: Array<{ text: string } | { mention: string }> = [];
  let last = 0;
  for (const match of body.matchAll(mentionToken)) {
    if (match.index > last) parts.push({ text: body.slice(last, match.index) });
    parts.push({ mention: match[1]!.toLowerCase() });
    last = match.index + match[0].length;
  }
  if (last < body.length) parts.push({ text: body.slice(last) });
  return parts;
}

/**
 * How far the members of a direct or group conversation have read (scope: the conversation). Up
 * to `maxNamedReaders` members, each reader by name; in larger groups only how many stand at each
 * of the newest read positions, so a read mark costs every member a small, bounded update.
 */
export const ConversationReads = z
  .object({
    id: Id,
    readers: z.array(z.object({ personId: Id, lastReadMessageId: Id }).strict()).max(maxNamedReaders),
    counts: z
      .array(z.object({ lastReadMessageId: Id, readers: z.number().int().positive() }).strict())
      .max(maxReadPositions),
  })
  .strict();
export type ConversationReads = z.infer<typeof ConversationReads>;

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
  /** The server's refusal code (`forbidden`, `not_found`, …) when `delivery` is `failed`. */
  failure: z.string().nullable(),
}).strict();
export type MessageView = z.infer<typeof MessageView>;

/** The composer's unsent text of one conversation, kept across restarts. */
export const ChatDraft = z
  .object({ body: z.string().max(maxMessageLength), replyToId: Id.nullable() })
  .strict();
export type ChatDraft = z.infer<typeof ChatDraft>;

/** A conversation as the list and its header show it, with the user's own state of it. */
export const ConversationSummary = Conversation.extend({
  muted: z.boolean(),
  pinned: z.boolean(),
  lastReadMessageId: Id.nullable(),
  /** Messages of others after the last one read (tombstones not counted). */
  unreadCount: z.number().int().nonnegative(),
  /** Of those, the ones that mention the user or the whole conversation. */
  mentionCount: z.number().int().nonnegative(),
  lastMessage: MessageView.nullable(),
  /** Members' read positions; none for channels. */
  reads: ConversationReads.omit({ id: true }),
  /** What the user has typed and not sent yet. */
  draft: ChatDraft.nullable(),
}).strict();
export type ConversationSummary = z.infer<typeof ConversationSummary>;

/** A message found by search, with its text around the match (highlight markers of the feed's search). */
export const MessageSearchHit = z
  .object({
    messageId: Id,
    conversationId: Id,
    authorId: Id,
    snippet: z.string(),
    createdAt: Timestamp,
    hasFiles: z.boolean(),
  })
  .strict();
export type MessageSearchHit = z.infer<typeof MessageSearchHit>;

/** A message needs words, a file or both. */
const hasContent = (m: { body: string; attachments: readonly string[] }) =>
  m.body.length > 0 || m.attachments.length > 0;

/** What the user writes; the outbox adds the message's id. */
export const MessageDraft = z
  .object({
    conversationId: Id,
    body: MessageBody,
    replyToId: Id.nullable().default(null),
    /** The sender's own uploads, in order. */
    attachments: z.array(Id).max(maxAttachments).default([]),
  })
  .strict()
  .refine(hasContent, 'A message needs text or a file');

const SendMessageArgs = z
  .object({ messageId: ClientId, ...MessageDraft.shape })
  .strict()
  .refine(hasContent, 'A message needs text or a file');

/** The arguments of the chat's mutations (see `Mutation`). */
export const chatMutationArgs = {
  'chat.sendMessage': SendMessageArgs,
  'chat.editMessage': z.object({ messageId: Id, body: MessageBody.min(1) }).strict(),
  'chat.deleteMessage': z.object({ messageId: Id }).strict(),
  /** A copy of a message the sender can read, with its files, into another conversation. */
  'chat.forwardMessage': z.object({ messageId: ClientId, conversationId: Id, sourceId: Id }).strict(),
  'chat.react': z.object({ messageId: Id, emoji: ReactionEmoji, on: z.boolean() }).strict(),
  'chat.createGroup': z
    .object({
      conversationId: ClientId,
      title: ConversationTitle,
      memberIds: z.array(Id).max(maxGroupMembers),
    })
    .strict(),
  'chat.openDirect': z.object({ conversationId: ClientId, personId: Id }).strict(),
  /** A group's name and picture (the picture: one of the admin's own image uploads, or null). */
  'chat.updateGroup': z
    .object({ conversationId: Id, title: ConversationTitle.optional(), pictureId: Id.nullable().optional() })
    .strict(),
  'chat.addMembers': z
    .object({ conversationId: Id, personIds: z.array(Id).min(1).max(maxGroupMembers) })
    .strict(),
  /** Removing oneself is leaving. */
  'chat.removeMember': z.object({ conversationId: Id, personId: Id }).strict(),
  'chat.setAdmin': z.object({ conversationId: Id, personId: Id, admin: z.boolean() }).strict(),
  'chat.updateSettings': z
    .object({
      conversationId: Id,
      muted: z.boolean().optional(),
      pinned: z.boolean().optional(),
      lastReadMessageId: Id.nullable().optional(),
    })
    .strict(),
} as const;
