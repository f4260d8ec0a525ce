/**
 * Helpers for the newsfeed tests: mutation builders, channel administration, the feed's REST
 * routes and waiting for what the scheduler does, all against the real server over loopback.
 */
import {
  type Attendance,
  type FeedChannel,
  type Mutation,
  type Post,
  type PostEvent,
  type PostPoll,
  PostableChannels,
  type Reaction,
  type ScopeKey,
  type SyncChange,
} from '@flurfunk/protocol';
import { v7 } from 'uuid';
import { expect } from 'vitest';
import { type User, apply, mutate, readCompany, signInAs, sleep, syncAll } from './chat-support.js';
import type { ApiClient } from './server-client.js';

export interface PostSpec {
  channelId: string;
  title?: string;
  body?: string;
  requiresConfirmation?: boolean;
  commentsEnabled?: boolean;
  pinned?: boolean;
  publishAt?: string | null;
  event?: PostEvent | null;
  poll?: PostPoll | null;
  attachments?: string[];
}

/** Builders for the feed's client mutations, each with a fresh UUIDv7 mutation id. */
export const feed = {
  publishPost: (spec: PostSpec, postId = v7()): Mutation => ({
    id: v7(),
    type: 'feed.publishPost',
    args: {
      postId,
      channelId: spec.channelId,
      title: spec.title ?? 'Mitteilung',
      body: spec.body ?? 'Bitte beachten.',
      requiresConfirmation: spec.requiresConfirmation ?? false,
      commentsEnabled: spec.commentsEnabled ?? true,
      pinned: spec.pinned ?? false,
      publishAt: spec.publishAt ?? null,
      event: spec.event ?? null,
      poll: spec.poll ?? null,
      attachments: spec.attachments ?? [],
    },
  }),
  editPost: (postId: string, title: string, body: string): Mutation => ({
    id: v7(),
    type: 'feed.editPost',
    args: { postId, title, body },
  }),
  deletePost: (postId: string): Mutation => ({ id: v7(), type: 'feed.deletePost', args: { postId } }),
  pinPost: (postId: string, pinned: boolean): Mutation => ({
    id: v7(),
    type: 'feed.pinPost',
    args: { postId, pinned },
  }),
  confirmPost: (postId: string): Mutation => ({ id: v7(), type: 'feed.confirmPost', args: { postId } }),
  markSeen: (postIds: string[]): Mutation => ({ id: v7(), type: 'feed.markSeen', args: { postIds } }),
  react: (postId: string, reaction: Reaction | null): Mutation => ({
    id: v7(),
    type: 'feed.react',
    args: { postId, reaction },
  }),
  answerEvent: (postId: string, attendance: Attendance | null): Mutation => ({
    id: v7(),
    type: 'feed.answerEvent',
    args: { postId, attendance },
  }),
  followChannel: (channelId: string, following: boolean): Mutation => ({
    id: v7(),
    type: 'feed.followChannel',
    args: { channelId, following },
  }),
  remindUnconfirmed: (postId: string): Mutation => ({
    id: v7(),
    type: 'feed.remindUnconfirmed',
    args: { postId },
  }),
  addComment: (postId: string, body: string, parentId: string | null = null, commentId = v7()): Mutation => ({
    id: v7(),
    type: 'feed.addComment',
    args: { commentId, postId, parentId, body },
  }),
  editComment: (commentId: string, body: string): Mutation => ({
    id: v7(),
    type: 'feed.editComment',
    args: { commentId, body },
  }),
  deleteComment: (commentId: string): Mutation => ({
    id: v7(),
    type: 'feed.deleteComment',
    args: { commentId },
  }),
  vote: (postId: string, options: number[]): Mutation => ({
    id: v7(),
    type: 'feed.vote',
    args: { postId, options },
  }),
  closePoll: (postId: string): Mutation => ({ id: v7(), type: 'feed.closePoll', args: { postId } }),
  allowComments: (postId: string, enabled: boolean): Mutation => ({
    id: v7(),
    type: 'feed.allowComments',
    args: { postId, enabled },
  }),
};

/** Comments on a post, or answers a comment; returns the comment's id. */
export async function addComment(
  api: ApiClient,
  author: User,
  postId: string,
  body: string,
  parentId: string | null = null,
): Promise<string> {
  const commentId = v7();
  await apply(api, author, feed.addComment(postId, body, parentId, commentId));
  return commentId;
}

/** The code the server refused `mutation` with, or what it answered when it applied it. */
export async function rejection(api: ApiClient, user: User, mutation: Mutation): Promise<string> {
  const [result] = await mutate(api, user, [mutation]);
  return result?.status === 'rejected' ? result.code : `applied (${JSON.stringify(result)})`;
}

/** Publishes a post and returns its id. */
export async function publishPost(api: ApiClient, author: User, spec: PostSpec): Promise<string> {
  const postId = v7();
  await apply(api, author, feed.publishPost(spec, postId));
  return postId;
}

export interface FeedChannelSpec {
  name: string;
  description?: string;
  audience: ScopeKey;
  mandatory?: boolean;
}

export function putFeedChannelRequest(api: ApiClient, user: User, channel: FeedChannelSpec, id: string) {
  return api.put(`/api/v1/admin/feed/channels/${id}`, { token: user.token, json: channel });
}

/** An admin or editor creates (or updates) a newsfeed channel; returns its id. */
export async function putFeedChannel(api: ApiClient, user: User, channel: FeedChannelSpec, id = v7()) {
  const response = await putFeedChannelRequest(api, user, channel, id);
  expect(response.status, JSON.stringify(response.body)).toBe(204);
  return id;
}

export async function postableChannels(api: ApiClient, user: User): Promise<FeedChannel[]> {
  const response = await api.get('/api/v1/feed/channels/postable', { token: user.token });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return PostableChannels.parse(response.body).channels;
}

/** A channel by name among those an editor may post in (every channel). */
export async function channelNamed(api: ApiClient, editor: User, name: string): Promise<FeedChannel> {
  const channel = (await postableChannels(api, editor)).find((c) => c.name === name);
  if (!channel) throw new Error(`there is no channel "${name}"`);
  return channel;
}

export const confirmations = (api: ApiClient, user: User, postId: string) =>
  api.get(`/api/v1/feed/posts/${postId}/confirmations`, { token: user.token });

export const revisions = (api: ApiClient, user: User, postId: string) =>
  api.get(`/api/v1/feed/posts/${postId}/revisions`, { token: user.token });

export const pollVoters = (api: ApiClient, user: User, postId: string) =>
  api.get(`/api/v1/feed/posts/${postId}/votes`, { token: user.token });

/**
 * The post as the user's sync delivers it now (a snapshot), or undefined: as a reader of its
 * channel (`post`) or as its author (`authoredPost`).
 */
export async function syncedPost(
  api: ApiClient,
  user: User,
  postId: string,
  entity: 'post' | 'authoredPost' = 'post',
): Promise<Post | undefined> {
  const { changes } = await syncAll(api, user, { snapshot: true });
  const found = changes.find((c) => c.type === `${entity}.upsert` && c.id === postId);
  return found?.type === 'post.upsert' || found?.type === 'authoredPost.upsert' ? found.data : undefined;
}

/** `<type> <scope>` of each change of the post itself (`post` and `authoredPost`) among `changes`. */
export const postCopies = (changes: readonly SyncChange[], postId: string): string[] =>
  changes
    .filter((c) => c.id === postId && /^(post|authoredPost)\./.test(c.type))
    .map((c) => `${c.type} ${c.scope}`);

/** The upsert of `type` for `id` among `changes`, failing the test when there is none. */
export function upsertOf<T extends SyncChange['type'] & `${string}.upsert`>(
  changes: readonly SyncChange[],
  type: T,
  id: string,
): Extract<SyncChange, { type: T }> {
  const found = changes.filter((c): c is Extract<SyncChange, { type: T }> => c.type === type && c.id === id);
  expect(found, `${type}:${id}`).toHaveLength(1);
  return found[0]!;
}

/** Polls `check` until it returns something other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Who the newsfeed's tests act as, with the plant's channel. */
export interface FeedCast {
  /** Works at the plant. */
  lena: User;
  /** Editor at head office: posts anywhere, reads neither the plant nor his posts there. */
  jonas: User;
  /** IT administrator at head office: outside the plant. */
  admin: User;
  /** Someone else at the plant. */
  colleague: User;
  plantChannel: FeedChannel;
}

export async function signInFeedCast(api: ApiClient): Promise<FeedCast> {
  const [lena, jonas, admin] = (await Promise.all(
    ['lena.weber', 'jonas.becker', 'admin'].map((name) => signInAs(api, name)),
  )) as [User, User, User];
  const company = await readCompany(api, lena);
  const plant = company.location('Werk Gütersloh');
  const other = company.people.find(
    (p) => p.locationId === plant.id && p.id !== lena.id && p.id !== jonas.id,
  );
  if (!other) throw new Error('Lena works alone');
  const colleague = await signInAs(api, other.username);
  const plantChannel = await channelNamed(api, jonas, 'Standort Werk Gütersloh');
  return { lena, jonas, admin, colleague, plantChannel };
}
