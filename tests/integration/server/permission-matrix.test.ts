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
  insiders: User[];
  outsiders: User[];
  conversation?: { id: string; messageId: string; member: User };
  /** Further checks of what an outsider received. */
  checkOutsider?(changes: SyncChange[]): void;
}

interface Row {
  name: string;
  setup(context: Context): Promise<Fixture>;
}

/** A conversation with one message that stays and one that its author deleted. */
async function conversationFixture(
  { api }: Context,
  conversationId: string,
  scope: ScopeKey,
  writer: User,
  insiders: User[],
  outsiders: User[],
): Promise<Fixture> {
  const messageId = await sendMessage(api, writer, conversationId, `Nur für ${scope}`);
  const deletedId = await sendMessage(api, writer, conversationId, 'Gleich wieder weg');
  await apply(api, writer, chat.deleteMessage(deletedId));
  return {
    scope,
    current: [`conversation.upsert:${conversationId}`, `message.upsert:${messageId}`],
    deleted: [`message.delete:${deletedId}`],
    secretIds: [conversationId, messageId, deletedId],
    insiders,
    outsiders,
    conversation: { id: conversationId, messageId, member: writer },
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
];

const conversationRows = rows.filter(
  (row) => !row.name.startsWith('directory') && !row.name.startsWith('conversation settings'),
);

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
    context = { api, company, users: { lena, jonas, petra, admin, produktionHead } };
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
      const { scope, current, deleted, insiders } = fixture(row);
      for (const user of insiders) {
        const modes = Object.entries(syncModes(scope));
        const results = await Promise.all(modes.map(([, query]) => pull(user, query)));
        for (const [index, [mode, query]] of modes.entries()) {
          const synced = results[index]!;
          const keys = synced.changes.map(keyOf);
          const what = `${user.username}, ${mode}`;
          expect(synced.scopes, what).toContain(scope);
          expect(keys, what).toEqual(expect.arrayContaining(current));
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
        expect(messages.map((m) => m.id)).toEqual([conversation?.messageId]);
      }
    });
  });

  const withOutsiders = rows.filter(
    (row) => !row.name.startsWith('directory') && !row.name.startsWith('company'),
  );
  const conversationsWithOutsiders = conversationRows.filter((row) => !row.name.startsWith('company'));

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
      '$name: outsiders get the same 404 for its history as for a conversation that does not exist',
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
  });
});
