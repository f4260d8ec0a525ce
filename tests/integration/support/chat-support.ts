/**
 * Helpers for the scope, chat and mutation tests: signed-in users, full sync pulls, mutation
 * builders and live sockets, all against the real server over loopback.
 */
import {
  type ChatMessage,
  type Conversation,
  MessageHistoryPage,
  type Location,
  type Mutation,
  MutationResponse,
  type MutationResult,
  type OrgUnit,
  type Person,
  type ScopeKey,
  type SyncChange,
  SyncPage,
  LiveServerFrame,
  type LiveChangesFrame,
  type LiveTypingFrame,
  type LivePresenceFrame,
} from '@flurfunk/protocol';
import { v7 } from 'uuid';
import { expect } from 'vitest';
import { WebSocket } from 'ws';
import { type ApiClient, type ApiResponse, signIn } from './server-client.js';

export interface User {
  username: string;
  id: string;
  token: string;
}

export async function signInAs(api: ApiClient, username: string): Promise<User> {
  const tokens = await signIn(api, username);
  return { username, id: tokens.user.id, token: tokens.accessToken };
}

export type SyncQueryParams = {
  after?: string;
  snapshot?: boolean;
  scope?: ScopeKey;
  until?: string;
};

export function syncRequest(api: ApiClient, user: User, query: SyncQueryParams = {}): Promise<ApiResponse> {
  const params = new URLSearchParams({ after: query.after ?? '0', limit: '1000' });
  if (query.snapshot !== undefined) params.set('snapshot', String(query.snapshot));
  if (query.scope !== undefined) params.set('scope', query.scope);
  if (query.until !== undefined) params.set('until', query.until);
  return api.get(`/api/v1/sync?${params}`, { token: user.token });
}

export interface Synced {
  changes: SyncChange[];
  /** The scopes named by the last page. */
  scopes: ScopeKey[];
  cursor: string;
}

/** Pulls pages until `hasMore` is false, like a client does. */
export async function syncAll(api: ApiClient, user: User, query: SyncQueryParams = {}): Promise<Synced> {
  const changes: SyncChange[] = [];
  let after = query.after ?? '0';
  for (;;) {
    const response = await syncRequest(api, user, { ...query, after });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const page = SyncPage.parse(response.body);
    changes.push(...page.changes);
    after = page.cursor;
    if (!page.hasMore) return { changes, scopes: page.scopes, cursor: page.cursor };
  }
}

/** Every id a list of changes mentions, with its type, e.g. `message.upsert:<id>`. */
export const describeChanges = (changes: readonly SyncChange[]) => changes.map((c) => `${c.type}:${c.id}`);

/** The demo company as a fresh client sees it. */
export interface Company {
  person(username: string): Person;
  unit(name: string): OrgUnit;
  location(name: string): Location;
  people: Person[];
}

export async function readCompany(api: ApiClient, user: User): Promise<Company> {
  const { changes } = await syncAll(api, user);
  const people: Person[] = [];
  const units: OrgUnit[] = [];
  const locations: Location[] = [];
  for (const change of changes) {
    if (change.type === 'person.upsert') people.push(change.data);
    if (change.type === 'orgUnit.upsert') units.push(change.data);
    if (change.type === 'location.upsert') locations.push(change.data);
  }
  const find = <T>(list: T[], what: string, match: (item: T) => boolean): T => {
    const found = list.find(match);
    if (!found) throw new Error(`the demo company has no ${what}`);
    return found;
  };
  return {
    people,
    person: (username) => find(people, username, (p) => p.username === username),
    unit: (name) => find(units, name, (u) => u.name === name),
    location: (name) => find(locations, name, (l) => l.name === name),
  };
}

/** Builders for client mutations, each with a fresh UUIDv7 mutation id. */
export const chat = {
  sendMessage: (
    conversationId: string,
    body: string,
    messageId = v7(),
    extra: { replyToId?: string | null; attachments?: string[] } = {},
  ): Mutation => ({
    id: v7(),
    type: 'chat.sendMessage',
    args: {
      messageId,
      conversationId,
      body,
      replyToId: extra.replyToId ?? null,
      attachments: extra.attachments ?? [],
    },
  }),
  forwardMessage: (sourceId: string, conversationId: string, messageId = v7()): Mutation => ({
    id: v7(),
    type: 'chat.forwardMessage',
    args: { messageId, conversationId, sourceId },
  }),
  react: (messageId: string, emoji: string, on = true): Mutation => ({
    id: v7(),
    type: 'chat.react',
    args: { messageId, emoji, on },
  }),
  updateGroup: (
    conversationId: string,
    changes: { title?: string; pictureId?: string | null },
  ): Mutation => ({
    id: v7(),
    type: 'chat.updateGroup',
    args: { conversationId, ...changes },
  }),
  setAdmin: (conversationId: string, personId: string, admin: boolean): Mutation => ({
    id: v7(),
    type: 'chat.setAdmin',
    args: { conversationId, personId, admin },
  }),
  editMessage: (messageId: string, body: string): Mutation => ({
    id: v7(),
    type: 'chat.editMessage',
    args: { messageId, body },
  }),
  deleteMessage: (messageId: string): Mutation => ({
    id: v7(),
    type: 'chat.deleteMessage',
    args: { messageId },
  }),
  createGroup: (title: string, memberIds: string[], conversationId = v7()): Mutation => ({
    id: v7(),
    type: 'chat.createGroup',
    args: { conversationId, title, memberIds },
  }),
  openDirect: (personId: string, conversationId = v7()): Mutation => ({
    id: v7(),
    type: 'chat.openDirect',
    args: { conversationId, personId },
  }),
  addMembers: (conversationId: string, personIds: string[]): Mutation => ({
    id: v7(),
    type: 'chat.addMembers',
    args: { conversationId, personIds },
  }),
  removeMember: (conversationId: string, personId: string): Mutation => ({
    id: v7(),
    type: 'chat.removeMember',
    args: { conversationId, personId },
  }),
  updateSettings: (
    conversationId: string,
    settings: { muted?: boolean; pinned?: boolean; lastReadMessageId?: string | null },
  ): Mutation => ({
    id: v7(),
    type: 'chat.updateSettings',
    args: { conversationId, ...settings },
  }),
};

export function postMutations(api: ApiClient, user: User, mutations: readonly unknown[]) {
  return api.post('/api/v1/mutations', { token: user.token, json: { mutations } });
}

/** Sends a batch that the server must accept as a request; returns one result per mutation. */
export async function mutate(
  api: ApiClient,
  user: User,
  mutations: readonly unknown[],
): Promise<MutationResult[]> {
  const response = await postMutations(api, user, mutations);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const { results } = MutationResponse.parse(response.body);
  expect(results.map((r) => r.id)).toEqual(mutations.map((m) => (m as { id: string }).id));
  return results;
}

/** Applies one mutation, failing the test with the server's answer when it is rejected. */
export async function apply(
  api: ApiClient,
  user: User,
  mutation: Mutation,
): Promise<Extract<MutationResult, { status: 'applied' }>> {
  const [result] = await mutate(api, user, [mutation]);
  if (result?.status !== 'applied')
    throw new Error(`${mutation.type} was rejected: ${JSON.stringify(result)}`);
  return result;
}

/** Creates a group of `author` and `others` and returns its id. */
export async function createGroup(
  api: ApiClient,
  author: User,
  others: readonly { id: string }[],
  title = 'Gruppe',
) {
  const result = await apply(
    api,
    author,
    chat.createGroup(
      title,
      others.map((o) => o.id),
    ),
  );
  return result.entityId ?? '';
}

/** Sends a message and returns its id. */
export async function sendMessage(api: ApiClient, author: User, conversationId: string, body: string) {
  const messageId = v7();
  await apply(api, author, chat.sendMessage(conversationId, body, messageId));
  return messageId;
}

export interface ChannelSpec {
  title: string;
  audience: ScopeKey;
  readOnly?: boolean;
  adminIds?: string[];
}

/** An admin creates (or updates) a channel; returns its id. */
export async function putChannel(api: ApiClient, admin: User, channel: ChannelSpec, id = v7()) {
  const response = await api.put(`/api/v1/admin/chat/channels/${id}`, { token: admin.token, json: channel });
  expect(response.status, JSON.stringify(response.body)).toBe(204);
  return id;
}

export function history(api: ApiClient, user: User, conversationId: string) {
  return api.get(`/api/v1/chat/conversations/${conversationId}/messages?limit=200`, { token: user.token });
}

/** A conversation's messages as its history route gives them to `user`, newest first. */
export async function messagesOf(api: ApiClient, user: User, conversationId: string): Promise<ChatMessage[]> {
  const response = await history(api, user, conversationId);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return MessageHistoryPage.parse(response.body).messages;
}

/** One message as `user` reads it in the history of its conversation. */
export async function messageAs(
  api: ApiClient,
  user: User,
  conversationId: string,
  messageId: string,
): Promise<ChatMessage> {
  const found = (await messagesOf(api, user, conversationId)).find((m) => m.id === messageId);
  if (!found) throw new Error(`${user.username} does not see message ${messageId}`);
  return found;
}

/** The conversation as `user`'s sync delivers it now (a snapshot of its scope). */
export async function conversationAs(api: ApiClient, user: User, id: string): Promise<Conversation> {
  const { changes } = await syncAll(api, user, { snapshot: true });
  const found = changes.find((c) => c.type === 'conversation.upsert' && c.id === id);
  if (found?.type !== 'conversation.upsert') throw new Error(`${user.username} does not see ${id}`);
  return found.data;
}

/** A live socket and the frames it received: changes frames and typing notices apart. */
export interface LiveClient {
  frames: LiveChangesFrame[];
  typing: LiveTypingFrame[];
  presence: LivePresenceFrame[];
  send(frame: unknown): void;
  isOpen(): boolean;
  /** The first frame announcing changes up to at least `seq`. */
  changesUpTo(seq: string): Promise<LiveServerFrame>;
  close(): void;
}

export async function openLive(serverUrl: string, user: User): Promise<LiveClient> {
  const socket = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/api/v1/live`, {
    headers: { authorization: `Bearer ${user.token}` },
  });
  const frames: LiveChangesFrame[] = [];
  const typing: LiveTypingFrame[] = [];
  const presence: LivePresenceFrame[] = [];
  socket.on('message', (data) => {
    const frame = LiveServerFrame.parse(JSON.parse(String(data)));
    if (frame.type === 'changes') frames.push(frame);
    else if (frame.type === 'typing') typing.push(frame);
    else presence.push(frame);
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const changesUpTo = (seq: string) =>
    new Promise<LiveServerFrame>((resolve, reject) => {
      const find = () => frames.find((frame) => BigInt(frame.upTo) >= BigInt(seq));
      const timer = setTimeout(() => {
        socket.off('message', check);
        reject(
          new Error(`no changes frame up to ${seq} for ${user.username}; got ${JSON.stringify(frames)}`),
        );
      }, 5_000);
      const check = () => {
        const frame = find();
        if (!frame) return;
        clearTimeout(timer);
        socket.off('message', check);
        resolve(frame);
      };
      socket.on('message', check);
      check();
    });
  return {
    frames,
    typing,
    presence,
    changesUpTo,
    send: (frame) => socket.send(JSON.stringify(frame)),
    isOpen: () => socket.readyState === WebSocket.OPEN,
    close: () => socket.close(),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
