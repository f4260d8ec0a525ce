/**
 * Who sees what: for every synced entity type in every kind of scope, the people in the scope
 * receive it and everybody else gets nothing of it, through any sync mode, the REST history or
 * a write (DESIGN rule 3).
 */
import { ErrorBody, type MutationResult, type ScopeKey, type SyncChange, scopeKey } from '@flurfunk/protocol';
import { v7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachStorage } from '../support/server-backends.js';
import { type ApiClient, apiClient } from '../support/server-client.js';
import {
  type Company,
  type SyncQueryParams,
  type Synced,
  type User,
  apply,
  chat,
  createGroup,
  history,
  mutate,
  putChannel,
  readCompany,
  sendMessage,
  signInAs,
  syncAll,
  syncRequest,
} from '../support/chat-support.js';
import {
  addComment,
  confirmations,
  feed,
  pollVoters,
  publishPost,
  putFeedChannel,
  revisions,
} from '../support/feed-support.js';
import { downloadFile, makePng, uploadFile } from '../support/file-support.js';

interface Users {
  lena: User;
  jonas: User;
  petra: User;
  admin: User;
  /** Head of "Produktion", the unit above Lena's "Werkstatt". */
  produktionHead: User;
}

interface Context {
  api: ApiClient;
  serverUrl: string;
  users: Users;
  company: Company;
}

/** What one row of the matrix created. */
interface Fixture {
  scope: ScopeKey;
  /** `type:id` of the changes a member receives as current state. */
  current: string[];
  /** `type:id` of the tombstones a member receives in a normal sync from "0". */
  deleted: string[];
  /** Ids no outsider may receive in any change. */
  secretIds: string[];
  /** `type:id` of changes no member may receive either, in any sync mode. */
  withheld?: string[];
  insiders: User[];
  outsiders: User[];
  /**
   * A conversation with a message that stays (with a file), and a message deleted for everyone,
   * which stays as a tombstone.
   */
  conversation?: { id: string; messageId: string; deletedId: string; fileId: string; member: User };
  /**
   * A newsfeed post that stays, its channel where outsiders may try to post, a comment on it and
   * a file attached to it.
   */
  feedPost?: { id: string; channelId?: string; commentId?: string; fileId?: string };
  /** Further checks of what an outsider received. */
  checkOutsider?(changes: SyncChange[]): void;
}

interface Row {
  name: string;
  /** A newsfeed row: no conversation, but a post. */
  feed?: true;
  setup(context: Context): Promise<Fixture>;
}

/**
 * A conversation with one message that stays, carrying a file and a reaction, and one that its
 * author deleted (a tombstone now); the writer has read up to the first. Direct and group
 * conversations tell their members who read what; channels tell nobody.
 */
async function conversationFixture(
  { api, serverUrl }: Context,
  conversationId: string,
  scope: ScopeKey,
  writer: User,
  insiders: User[],
  outsiders: User[],
): Promise<Fixture> {
  const file = await uploadFile(serverUrl, writer, { bytes: makePng(3, 2), name: 'skizze.png' });
  const messageId = v7();
  await apply(
    api,
    writer,
    chat.sendMessage(conversationId, `Nur für ${scope}`, messageId, { attachments: [file.id] }),
  );
  await apply(api, writer, chat.react(messageId, '👍'));
  const deletedId = await sendMessage(api, writer, conversationId, 'Gleich wieder weg');
  await apply(api, writer, chat.deleteMessage(deletedId));
  await apply(api, writer, chat.updateSettings(conversationId, { lastReadMessageId: messageId }));
  const reads = `conversationReads.upsert:${conversationId}`;
  const isChannel = !scope.startsWith('chat:');
  return {
    scope,
    current: [
      `conversation.upsert:${conversationId}`,
      `message.upsert:${messageId}`,
      `message.upsert:${deletedId}`,
      ...(isChannel ? [] : [reads]),
    ],
    deleted: [],
    secretIds: [conversationId, messageId, deletedId, file.id],
    withheld: isChannel ? [reads, `conversationReads.delete:${conversationId}`] : [],
    insiders,
    outsiders,
    conversation: { id: conversationId, messageId, deletedId, fileId: file.id, member: writer },
  };
}

function channelRow(
  name: string,
  audience: (context: Context) => ScopeKey,
  members: (users: Users) => { writer: User; insiders: User[]; outsiders: User[] },
): Row {
  return {
    name,
    async setup(context) {
      const scope = audience(context);
      const id = await putChannel(context.api, context.users.admin, { title: name, audience: scope });
      const { writer, insiders, outsiders } = members(context.users);
      return conversationFixture(context, id, scope, writer, insiders, outsiders);
    },
  };
}

/**
 * A newsfeed channel with a post asking for confirmation, which a reader reacted to, and one its
 * author deleted: the channel, the post and its reaction counts go to the audience only.
 */
function feedRow(
  name: string,
  audience: (context: Context) => ScopeKey,
  members: (users: Users) => { author: User; insiders: User[]; outsiders: User[] },
): Row {
  return {
    name,
    feed: true,
    async setup(context) {
      const { api, users } = context;
      const scope = audience(context);
      const { author, insiders, outsiders } = members(users);
      const channelId = await putFeedChannel(api, users.admin, { name, audience: scope });
      const file = await uploadFile(context.serverUrl, author, { bytes: makePng(4, 3), name: 'plan.png' });
      const postId = await publishPost(api, author, {
        channelId,
        title: `Nur für ${scope}`,
        requiresConfirmation: true,
        poll: {
          question: 'Passt das?',
          options: ['Ja', 'Nein'],
          multiple: false,
          anonymous: false,
          closesAt: null,
        },
        attachments: [file.id],
      });
      const deletedId = await publishPost(api, author, { channelId, title: 'Gleich wieder weg' });
      await apply(api, author, feed.deletePost(deletedId));
      const reader = insiders[0];
      if (!reader) throw new Error(`${name} has no reader`);
      await apply(api, reader, feed.react(postId, 'celebrate'));
      await apply(api, reader, feed.vote(postId, [0]));
      const commentId = await addComment(api, reader, postId, `Kommentar für ${scope}`);
      const deletedCommentId = await addComment(api, reader, postId, 'Gleich wieder weg');
      await apply(api, reader, feed.deleteComment(deletedCommentId));
      return {
        scope,
        current: [
          `feedChannel.upsert:${channelId}`,
          `post.upsert:${postId}`,
          `postStats.upsert:${postId}`,
          `postComment.upsert:${commentId}`,
        ],
        deleted: [
          `post.delete:${deletedId}`,
          `postStats.delete:${deletedId}`,
          `postComment.delete:${deletedCommentId}`,
        ],
        secretIds: [channelId, postId, deletedId, commentId, deletedCommentId, file.id],
        insiders,
        outsiders,
        feedPost: { id: postId, channelId, commentId, fileId: file.id },
      };
    },
  };
}

const rows: Row[] = [
  {
    name: 'directory (person, org unit, location) in the company scope',
    async setup({ users, company }) {
      const lena = company.person('lena.weber');
      return {
        scope: 'company',
        current: [
          `person.upsert:${lena.id}`,
          `person.upsert:${company.person('jonas.becker').id}`,
          `orgUnit.upsert:${lena.orgUnitId}`,
          `location.upsert:${lena.locationId}`,
        ],
        deleted: [],
        secretIds: [],
        // Everyone is in the company; two are enough to show it.
        insiders: [users.lena, users.jonas],
        outsiders: [],
      };
    },
  },
  {
    name: 'group chat (chat scope)',
    async setup(context) {
      const { lena, petra, jonas, produktionHead } = context.users;
      const id = await createGroup(context.api, lena, [petra], 'Fahrgemeinschaft');
      return conversationFixture(
        context,
        id,
        scopeKey('chat', id),
        lena,
        [lena, petra],
        [jonas, produktionHead],
      );
    },
  },
  {
    name: 'direct chat (chat scope)',
    async setup(context) {
      const { lena, petra, jonas, admin } = context.users;
      const id = (await apply(context.api, petra, chat.openDirect(lena.id))).entityId ?? '';
      return conversationFixture(context, id, scopeKey('chat', id), petra, [lena, petra], [jonas, admin]);
    },
  },
  channelRow(
    'department channel (org unit with its sub-units)',
    ({ company }) => scopeKey('orgUnitTree', company.unit('Produktion').id),
    ({ lena, produktionHead, jonas, petra }) => ({
      writer: produktionHead,
      insiders: [lena, produktionHead],
      outsiders: [jonas, petra],
    }),
  ),
  channelRow(
    'team channel (exactly one org unit)',
    ({ company }) => scopeKey('orgUnit', company.unit('Werkstatt').id),
    ({ lena, produktionHead, jonas }) => ({
      writer: lena,
      insiders: [lena],
      // The head of the unit above is not in the unit itself.
      outsiders: [produktionHead, jonas],
    }),
  ),
  channelRow(
    'location channel',
    ({ company }) => scopeKey('location', company.location('Werk Gütersloh').id),
    ({ lena, petra, jonas, admin }) => ({
      writer: petra,
      insiders: [lena, petra],
      outsiders: [jonas, admin],
    }),
  ),
  channelRow(
    'role channel',
    () => scopeKey('role', 'editor'),
    ({ lena, petra, jonas }) => ({ writer: jonas, insiders: [jonas], outsiders: [lena, petra] }),
  ),
  channelRow(
    'company channel',
    () => 'company',
    ({ petra, jonas }) => ({ writer: petra, insiders: [petra, jonas], outsiders: [] }),
  ),
  feedRow(
    'feed: location channel',
    ({ company }) => scopeKey('location', company.location('Werk Gütersloh').id),
    ({ lena, petra, jonas, admin }) => ({ author: jonas, insiders: [lena, petra], outsiders: [admin] }),
  ),
  feedRow(
    'feed: department channel (org unit with its sub-units)',
    ({ company }) => scopeKey('orgUnitTree', company.unit('Produktion').id),
    ({ lena, produktionHead, petra, admin }) => ({
      author: produktionHead,
      insiders: [lena, produktionHead],
      outsiders: [petra, admin],
    }),
  ),
  feedRow(
    'feed: team channel (exactly one org unit)',
    ({ company }) => scopeKey('orgUnit', company.unit('Werkstatt').id),
    ({ lena, produktionHead, petra, jonas }) => ({
      author: jonas,
      insiders: [lena],
      outsiders: [produktionHead, petra],
    }),
  ),
  feedRow(
    'feed: role channel',
    () => scopeKey('role', 'editor'),
    ({ lena, petra, jonas }) => ({ author: jonas, insiders: [jonas], outsiders: [lena, petra] }),
  ),
  feedRow(
    'company feed channel',
    () => 'company',
    ({ petra, jonas }) => ({ author: jonas, insiders: [petra, jonas], outsiders: [] }),
  ),
  {
    name: 'feed: scheduled post (its author’s user scope)',
    feed: true,
    async setup({ api, users, company }) {
      const { jonas, lena, petra, admin } = users;
      const plant = scopeKey('location', company.location('Werk Gütersloh').id);
      const channelId = await putFeedChannel(api, admin, { name: 'Werk (geplant)', audience: plant });
      // Lena and Petra read the channel, but not before the post is due; until then only its author
      // has it, as his own copy (`authoredPost`) in his own scope, and nobody has it as a `post`.
      const publishAt = new Date(Date.now() + 24 * 3_600_000).toISOString();
      const postId = await publishPost(api, jonas, { channelId, requiresConfirmation: true, publishAt });
      const deletedId = await publishPost(api, jonas, { channelId, title: 'Doch nicht', publishAt });
      await apply(api, jonas, feed.deletePost(deletedId));
      return {
        scope: scopeKey('user', jonas.id),
        current: [`authoredPost.upsert:${postId}`],
        deleted: [`authoredPost.delete:${deletedId}`],
        secretIds: [postId, deletedId],
        withheld: [postId, deletedId].flatMap((id) =>
          ['post', 'postStats'].flatMap((type) => [`${type}.upsert:${id}`, `${type}.delete:${id}`]),
        ),
        insiders: [jonas],
        outsiders: [lena, petra],
        feedPost: { id: postId },
      };
    },
  },
  {
    name: 'conversation settings (user scope)',
    async setup({ api, users }) {
      const { lena, jonas } = users;
      const channel = await putChannel(api, users.admin, { title: 'Alle', audience: 'company' });
      await apply(api, lena, chat.updateSettings(channel, { muted: true, pinned: true }));
      // Jonas has settings for the same conversation: he gets his own, never Lena's.
      await apply(api, jonas, chat.updateSettings(channel, { pinned: true }));
      return {
        scope: scopeKey('user', lena.id),
        current: [`conversationSettings.upsert:${channel}`],
        deleted: [],
        secretIds: [],
        insiders: [lena],
        outsiders: [jonas],
        checkOutsider(changes) {
          const settings = changes.filter(
            (c) => c.type === 'conversationSettings.upsert' && c.id === channel,
          );
          expect(settings).toEqual([
            expect.objectContaining({
              scope: scopeKey('user', jonas.id),
              data: { id: channel, muted: false, pinned: true, lastReadMessageId: null },
            }),
          ]);
        },
      };
    },
  },
  {
    name: 'feed channel settings (user scope)',
    async setup({ api, users }) {
      const { lena, jonas } = users;
      const channel = await putFeedChannel(api, users.admin, { name: 'Flohmarkt', audience: 'company' });
      await apply(api, lena, feed.followChannel(channel, false));
      // Jonas unfollowed and followed again: he gets his own choice, never Lena's.
      await apply(api, jonas, feed.followChannel(channel, false));
      await apply(api, jonas, feed.followChannel(channel, true));
      return {
        scope: scopeKey('user', lena.id),
        current: [`feedChannelSettings.upsert:${channel}`],
        deleted: [],
        secretIds: [],
        insiders: [lena],
        outsiders: [jonas],
        checkOutsider(changes) {
          const settings = changes.filter((c) => c.type === 'feedChannelSettings.upsert' && c.id === channel);
          expect(settings).toEqual([
            expect.objectContaining({
              scope: scopeKey('user', jonas.id),
              data: { id: channel, following: true },
            }),
          ]);
        },
      };
    },
  },
];

const conversationRows = rows.filter(
  (row) => !row.feed && !row.name.startsWith('directory') && !row.name.includes('settings (user scope)'),
);
const feedRows = rows.filter((row) => row.feed);

const keyOf = (change: SyncChange) => `${change.type}:${change.id}`;

describeEachStorage('permission matrix', (backend) => {
  let context: Context;
  let latest: string;
  const fixtures = new Map<string, Fixture>();
  const fixture = (row: Row) => {
    const found = fixtures.get(row.name);
    if (!found) throw new Error(`no fixture for ${row.name}`);
    return found;
  };

  beforeAll(async () => {
    const server = await backend.start({ demo: true });
    const api = apiClient(server.url);
    const [lena, jonas, petra, admin] = await Promise.all(
      ['lena.weber', 'jonas.becker', 'petra.koch', 'admin'].map((name) => signInAs(api, name)),
    );
    if (!lena || !jonas || !petra || !admin) throw new Error('demo accounts missing');
    const company = await readCompany(api, lena);
    const headId = company.unit('Produktion').managerId;
    const head = company.people.find((p) => p.id === headId);
    if (!head) throw new Error('Produktion has no head');
    const produktionHead = await signInAs(api, head.username);
    context = { api, serverUrl: server.url, company, users: { lena, jonas, petra, admin, produktionHead } };
    for (const row of rows) fixtures.set(row.name, await row.setup(context));
    // A last change everyone sees: Lena's cursor then covers every row's changes.
    await putChannel(api, admin, { title: 'Schluss', audience: 'company' });
    latest = (await syncAll(api, lena)).cursor;
  });

  /**
   * Nothing in the matrix changes what anyone sees after the setup, so each person's pulls of the
   * whole log (the same for every row) are made once and shared.
   */
  const wholeLog = new Map<string, Promise<Synced>>();
  const pull = (user: User, query: SyncQueryParams): Promise<Synced> => {
    if (query.scope) return syncAll(context.api, user, query);
    const key = `${user.username} ${JSON.stringify(query)}`;
    const pulled = wholeLog.get(key) ?? syncAll(context.api, user, query);
    wholeLog.set(key, pulled);
    return pulled;
  };

  /** Every way a client can ask the sync route, for a scope it names. */
  const syncModes = (scope: ScopeKey): Record<string, SyncQueryParams> => ({
    normal: {},
    snapshot: { snapshot: true },
    'scope=': { scope },
    'scope= snapshot': { scope, snapshot: true },
    until: { until: latest },
    'scope= until snapshot (backfill)': { scope, until: latest, snapshot: true },
  });

  describe('members', () => {
    it.each(rows)('$name: members receive it in every sync mode', async (row) => {
      const { scope, current, deleted, withheld = [], insiders } = fixture(row);
      for (const user of insiders) {
        const modes = Object.entries(syncModes(scope));
        const results = await Promise.all(modes.map(([, query]) => pull(user, query)));
        for (const [index, [mode, query]] of modes.entries()) {
          const synced = results[index]!;
          const keys = synced.changes.map(keyOf);
          const what = `${user.username}, ${mode}`;
          expect(synced.scopes, what).toContain(scope);
          expect(keys, what).toEqual(expect.arrayContaining(current));
          expect(
            keys.filter((key) => withheld.includes(key)),
            what,
          ).toEqual([]);
          for (const change of synced.changes.filter((c) => current.includes(keyOf(c)))) {
            expect(change.scope, what).toBe(scope);
          }
          if (query.scope)
            expect(new Set(synced.changes.map((c) => c.scope)), what).toEqual(new Set([scope]));
          if (query.snapshot)
            expect(
              keys.filter((key) => key.includes('.delete:')),
              what,
            ).toEqual([]);
          else expect(keys, what).toEqual(expect.arrayContaining(deleted));
        }
      }
    });

    it.each(conversationRows)('$name: members read its history', async (row) => {
      const { conversation, insiders } = fixture(row);
      for (const user of insiders) {
        const response = await history(context.api, user, conversation?.id ?? '');
        expect(response.status, user.username).toBe(200);
        const { messages } = response.body as { messages: { id: string }[] };
        expect(messages.map((m) => m.id)).toEqual([conversation?.deletedId, conversation?.messageId]);
        const download = await downloadFile(context.serverUrl, user, conversation?.fileId ?? '');
        expect(download.status, user.username).toBe(200);
      }
    });
  });

  const withOutsiders = rows.filter(
    (row) => !row.name.startsWith('directory') && !row.name.startsWith('company'),
  );
  const conversationsWithOutsiders = conversationRows.filter((row) => !row.name.startsWith('company'));
  const feedRowsWithOutsiders = feedRows.filter((row) => !row.name.startsWith('company'));

  describe('everybody else', () => {
    it('has someone outside every scope but the company', () => {
      for (const row of withOutsiders) expect(fixture(row).outsiders.length, row.name).toBeGreaterThan(0);
    });

    it.each(withOutsiders)('$name: outsiders never receive it, in any sync mode', async (row) => {
      const { api } = context;
      const { scope, secretIds, outsiders, checkOutsider } = fixture(row);
      for (const user of outsiders) {
        const modes = Object.entries(syncModes(scope));
        const results = await Promise.all(modes.map(([, query]) => pull(user, query)));
        for (const [index, [mode, query]] of modes.entries()) {
          const what = `${user.username}, ${mode}`;
          const synced = results[index]!;
          expect(synced.scopes, what).not.toContain(scope);
          expect(synced.changes.filter((c) => c.scope === scope).map(keyOf), what).toEqual([]);
          expect(synced.changes.filter((c) => secretIds.includes(c.id)).map(keyOf), what).toEqual([]);
          if (query.scope) expect(synced.changes, what).toEqual([]);
          if (!query.scope) checkOutsider?.(synced.changes);
        }
        // Asking for the foreign scope looks exactly like asking for one that does not exist.
        const foreign = await syncRequest(api, user, { scope, until: latest });
        const nowhere = await syncRequest(api, user, { scope: scopeKey('chat', v7()), until: latest });
        expect(foreign.status).toBe(200);
        expect(foreign.body).toEqual(nowhere.body);
      }
    });

    it.each(conversationsWithOutsiders)(
      '$name: outsiders get the same 404 for its history and its files as for ones that do not exist',
      async (row) => {
        const { conversation, outsiders } = fixture(row);
        for (const user of outsiders) {
          const response = await history(context.api, user, conversation?.id ?? '');
          const missing = await history(context.api, user, v7());
          expect(response.status, user.username).toBe(404);
          expect(ErrorBody.parse(response.body).error.code).toBe('not_found');
          expect(response.body).toEqual(missing.body);
          const older = await context.api.get(
            `/api/v1/chat/conversations/${conversation?.id}/messages?before=${conversation?.messageId}`,
            { token: user.token },
          );
          expect(older.status).toBe(404);
          expect(older.body).toEqual(missing.body);
          // A file of one of its messages looks exactly like one that does not exist.
          const file = await downloadFile(context.serverUrl, user, conversation?.fileId ?? '');
          expect(file.status, user.username).toBe(404);
          expect(file.bytes).toEqual((await downloadFile(context.serverUrl, user, v7())).bytes);
        }
      },
    );

    it.each(conversationsWithOutsiders)(
      '$name: outsiders cannot write into it (not_found, as for a nonexistent id) and nothing changes',
      async (row) => {
        const { api } = context;
        const { scope, conversation, outsiders } = fixture(row);
        if (!conversation) throw new Error('a conversation row without a conversation');
        const { id, messageId, member } = conversation;
        const memberBefore = await syncAll(api, member, { after: latest });
        const memberView = await syncAll(api, member, { scope, snapshot: true });
        const attempts = (target: { conversation: string; message: string }, user: User) => [
          chat.sendMessage(target.conversation, 'Eingeschmuggelt'),
          chat.editMessage(target.message, 'Überschrieben'),
          chat.deleteMessage(target.message),
          chat.addMembers(target.conversation, [user.id]),
          chat.removeMember(target.conversation, member.id),
          chat.removeMember(target.conversation, user.id),
          chat.updateSettings(target.conversation, { muted: true, lastReadMessageId: target.message }),
          chat.react(target.message, '🎉'),
          chat.react(target.message, '👍', false),
          chat.sendMessage(target.conversation, 'Antwort von außen', v7(), { replyToId: target.message }),
          chat.forwardMessage(target.message, target.conversation),
          chat.updateGroup(target.conversation, { title: 'Gekapert' }),
          chat.setAdmin(target.conversation, user.id, true),
          chat.setAdmin(target.conversation, member.id, false),
        ];
        const withoutIds = (results: MutationResult[]) =>
          results.map(({ id: _, ...rest }) => rest as Omit<MutationResult, 'id'>);

        for (const user of outsiders) {
          const ownBefore = await syncAll(api, user, { after: latest });
          const results = await mutate(api, user, attempts({ conversation: id, message: messageId }, user));
          const nonexistent = await mutate(api, user, attempts({ conversation: v7(), message: v7() }, user));
          for (const result of results) {
            expect(result, user.username).toMatchObject({ status: 'rejected', code: 'not_found' });
          }
          // The answer tells nothing about whether the conversation or message exists.
          expect(withoutIds(results)).toEqual(withoutIds(nonexistent));
          // Trying again gets the same answers; nothing was written for the outsider either.
          expect(
            withoutIds(await mutate(api, user, attempts({ conversation: id, message: messageId }, user))),
          ).toEqual(withoutIds(results));
          expect((await syncAll(api, user, { after: ownBefore.cursor })).changes).toEqual([]);
        }
        expect((await syncAll(api, member, { after: memberBefore.cursor })).changes).toEqual([]);
        expect(await syncAll(api, member, { scope, snapshot: true })).toEqual(memberView);
      },
    );

    it.each(feedRowsWithOutsiders)(
      '$name: outsiders get the same answers for its post as for one that does not exist, and nothing changes',
      async (row) => {
        const { api } = context;
        const { feedPost, insiders, outsiders } = fixture(row);
        if (!feedPost) throw new Error('a feed row without a post');
        const attempts = (target: { id: string; channelId?: string; commentId?: string }) => [
          feed.confirmPost(target.id),
          feed.markSeen([target.id]),
          feed.editPost(target.id, 'Überschrieben', 'Überschrieben'),
          feed.pinPost(target.id, true),
          feed.remindUnconfirmed(target.id),
          feed.react(target.id, 'like'),
          feed.react(target.id, null),
          feed.answerEvent(target.id, 'yes'),
          feed.answerEvent(target.id, null),
          feed.vote(target.id, [0]),
          feed.closePoll(target.id),
          feed.allowComments(target.id, false),
          feed.addComment(target.id, 'Von außen'),
          ...(target.commentId
            ? [
                feed.addComment(target.id, 'Antwort von außen', target.commentId),
                feed.editComment(target.commentId, 'Überschrieben'),
                feed.deleteComment(target.commentId),
              ]
            : []),
          feed.deletePost(target.id),
          ...(target.channelId
            ? [
                feed.publishPost({ channelId: target.channelId }),
                feed.followChannel(target.channelId, false),
                feed.followChannel(target.channelId, true),
              ]
            : []),
        ];
        const nowhere = {
          id: v7(),
          channelId: feedPost.channelId && v7(),
          commentId: feedPost.commentId && v7(),
        };
        const withoutIds = (results: MutationResult[]) =>
          results.map(({ id: _, ...rest }) => rest as Omit<MutationResult, 'id'>);
        const insider = insiders[0];
        if (!insider) throw new Error('a feed row without insiders');
        const insiderBefore = await syncAll(api, insider, { after: latest });

        for (const user of outsiders) {
          const ownBefore = await syncAll(api, user, { after: latest });
          const results = await mutate(api, user, attempts(feedPost));
          const nonexistent = await mutate(api, user, attempts(nowhere));
          expect(withoutIds(results), user.username).toEqual(withoutIds(nonexistent));
          for (const result of results) {
            expect(result, user.username).toMatchObject(
              result.status === 'applied' ? { seq: null } : { status: 'rejected', code: 'not_found' },
            );
          }
          for (const route of [confirmations, revisions, pollVoters]) {
            const response = await route(api, user, feedPost.id);
            expect(response.status, user.username).toBe(404);
            expect(response.body).toEqual((await route(api, user, nowhere.id)).body);
          }
          if (feedPost.fileId) {
            const download = await downloadFile(context.serverUrl, user, feedPost.fileId);
            expect(download.status, user.username).toBe(404);
            expect(download.bytes).toEqual((await downloadFile(context.serverUrl, user, v7())).bytes);
          }
          expect((await syncAll(api, user, { after: ownBefore.cursor })).changes).toEqual([]);
        }
        expect((await syncAll(api, insider, { after: insiderBefore.cursor })).changes).toEqual([]);
      },
    );
  });
});
