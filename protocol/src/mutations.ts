import { z } from 'zod';
import { canteenMutationArgs } from './canteen.js';
import { ClientId, chatMutationArgs } from './chat.js';
import { Id, directoryMutationArgs } from './directory.js';
import { feedMutationArgs } from './feed.js';
import { Cursor } from './sync.js';

const mutation = <T extends string, A extends z.ZodType>(type: T, args: A) =>
  z.object({ id: ClientId, type: z.literal(type), args }).strict();

/**
 * Everything a client writes goes through `POST /api/v1/mutations`, one entry of its outbox each.
 * `id` is the client's UUIDv7 for this write: sending it again (a lost answer, a retry after a
 * restart) returns the first result and changes nothing.
 */
export const Mutation = z.discriminatedUnion('type', [
  mutation('chat.sendMessage', chatMutationArgs['chat.sendMessage']),
  mutation('chat.editMessage', chatMutationArgs['chat.editMessage']),
  mutation('chat.deleteMessage', chatMutationArgs['chat.deleteMessage']),
  mutation('chat.forwardMessage', chatMutationArgs['chat.forwardMessage']),
  mutation('chat.react', chatMutationArgs['chat.react']),
  mutation('chat.createGroup', chatMutationArgs['chat.createGroup']),
  mutation('chat.openDirect', chatMutationArgs['chat.openDirect']),
  mutation('chat.updateGroup', chatMutationArgs['chat.updateGroup']),
  mutation('chat.addMembers', chatMutationArgs['chat.addMembers']),
  mutation('chat.removeMember', chatMutationArgs['chat.removeMember']),
  mutation('chat.setAdmin', chatMutationArgs['chat.setAdmin']),
  mutation('chat.updateSettings', chatMutationArgs['chat.updateSettings']),
  mutation('directory.updateProfile', directoryMutationArgs['directory.updateProfile']),
  mutation('directory.setCelebrations', directoryMutationArgs['directory.setCelebrations']),
  mutation('feed.publishPost', feedMutationArgs['feed.publishPost']),
  mutation('feed.editPost', feedMutationArgs['feed.editPost']),
  mutation('feed.deletePost', feedMutationArgs['feed.deletePost']),
  mutation('feed.pinPost', feedMutationArgs['feed.pinPost']),
  mutation('feed.confirmPost', feedMutationArgs['feed.confirmPost']),
  mutation('feed.markSeen', feedMutationArgs['feed.markSeen']),
  mutation('feed.react', feedMutationArgs['feed.react']),
  mutation('feed.answerEvent', feedMutationArgs['feed.answerEvent']),
  mutation('feed.followChannel', feedMutationArgs['feed.followChannel']),
  mutation('feed.remindUnconfirmed', feedMutationArgs['feed.remindUnconfirmed']),
  mutation('feed.addComment', feedMutationArgs['feed.addComment']),
  mutation('feed.editComment', feedMutationArgs['feed.editComment']),
  mutation('feed.deleteComment', feedMutationArgs['feed.deleteComment']),
  mutation('feed.allowComments', feedMutationArgs['feed.allowComments']),
  mutation('feed.vote', feedMutationArgs['feed.vote']),
  mutation('feed.closePoll', feedMutationArgs['feed.closePoll']),
  mutation('canteen.saveWeek', canteenMutationArgs['canteen.saveWeek']),
]);
export type Mutation = z.infer<typeof Mutation>;
export type MutationType = Mutation['type'];
export type MutationArgs<T extends MutationType> = Extract<Mutation, { type: T }>['args'];

/**
 * The batch envelope checks only id and type, so one malformed mutation is rejected on its own
 * (`invalid`) instead of failing the whole batch and blocking every write queued behind it.
 */
export const MutationEnvelope = z
  .object({ id: ClientId, type: z.string().min(1).max(60), args: z.unknown() })
  .strict();

export const maxMutationsPerBatch = 100;

export const MutationBatch = z
  .object({ mutations: z.array(MutationEnvelope).min(1).max(maxMutationsPerBatch) })
  .strict();
export type MutationBatch = z.infer<typeof MutationBatch>;

/** Why a mutation was refused; the client shows it and keeps the write as failed (retry or discard). */
export const MutationRejection = z.enum(['invalid', 'forbidden', 'not_found', 'conflict']);
export type MutationRejection = z.infer<typeof MutationRejection>;

export const MutationResult = z.discriminatedUnion('status', [
  z
    .object({
      id: ClientId,
      status: z.literal('applied'),
      /** The change-log seq of its effect; null when it changed nothing (e.g. settings already so). */
      seq: Cursor.nullable(),
      /** The entity it created or found, e.g. an existing direct conversation. */
      entityId: Id.nullable(),
    })
    .strict(),
  z
    .object({
      id: ClientId,
      status: z.literal('rejected'),
      code: MutationRejection,
      message: z.string().max(500),
    })
    .strict(),
]);
export type MutationResult = z.infer<typeof MutationResult>;

/** One result per mutation, in the batch's order. */
export const MutationResponse = z.object({ results: z.array(MutationResult) }).strict();
export type MutationResponse = z.infer<typeof MutationResponse>;
