/**
 * The live socket tells a client about commits in its scopes only, and follows its scopes as
 * they change: added to a group, it hears of it at once and of everything said there afterwards.
 */
import { scopeKey } from '@flurfunk/protocol';
import pg from 'pg';
import { beforeAll, expect, it } from 'vitest';
import { listenerApplicationName } from '../../../server/src/live/postgres-listener.js';
import { describeEachStorage, type TestServer } from '../support/server-backends.js';
import { type ApiClient, apiClient } from '../support/server-client.js';
import {
  type LiveClient,
  type User,
  apply,
  chat,
  createGroup,
  describeChanges,
  openLive,
  putChannel,
  signInAs,
  sleep,
  syncAll,
} from '../support/chat-support.js';

/** How long a client that must hear nothing is watched. */
const quietMs = 500;

async function until(what: string, done: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(20);
  }
}

describeEachStorage('live notices by scope', (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let lena: User;
  let petra: User;
  let jonas: User;
  let admin: User;
  let group: string;

  /** Opens a socket and waits for the frame every client gets on connect. */
  const connect = async (user: User): Promise<LiveClient> => {
    const client = await openLive(server.url, user);
    await client.changesUpTo('0');
    return client;
  };
  /** Frames a client receives from now on. */
  const framesFrom = (client: LiveClient) => {
    const start = client.frames.length;
    return () => client.frames.slice(start);
  };

  beforeAll(async () => {
    server = await backend.start({ demo: true });
    api = apiClient(server.url);
    [lena, petra, jonas, admin] = (await Promise.all(
      ['lena.weber', 'petra.koch', 'jonas.becker', 'admin'].map((name) => signInAs(api, name)),
    )) as [User, User, User, User];
    group = await createGroup(api, lena, [petra], 'Frühschicht');
  });

  it("passes a typing notice to the conversation's other members only, once per burst", async () => {
    const [lenaLive, petraLive, jonasLive] = await Promise.all([
      connect(lena),
      connect(petra),
      connect(jonas),
    ]);
    lenaLive.send({ type: 'typing', conversationId: group });
    lenaLive.send({ type: 'typing', conversationId: group });
    await until('Petra hears Lena typing', () => petraLive.typing.length > 0);
    await sleep(quietMs);
    expect(petraLive.typing).toEqual([{ type: 'typing', conversationId: group, personId: lena.id }]);
    expect(lenaLive.typing).toEqual([]);
    expect(jonasLive.typing).toEqual([]);

    // Typing where one cannot see is ignored, without saying whether the conversation exists.
    jonasLive.send({ type: 'typing', conversationId: group });
    await sleep(quietMs);
    expect(petraLive.typing).toHaveLength(1);
    expect(jonasLive.isOpen()).toBe(true);
    for (const live of [lenaLive, petraLive, jonasLive]) live.close();
  });

  if (backend.name === 'postgresql') {
    it('passes a typing notice to members connected to another server instance', async () => {
      const other = await backend.start({}, server.storage);
      try {
        const [lenaLive, petraElsewhere] = await Promise.all([connect(lena), openLive(other.url, petra)]);
        await petraElsewhere.changesUpTo('0');
        lenaLive.send({ type: 'typing', conversationId: group });
        await until('Petra hears Lena typing on the other instance', () => petraElsewhere.typing.length > 0);
        expect(petraElsewhere.typing).toEqual([{ type: 'typing', conversationId: group, personId: lena.id }]);
        lenaLive.close();
        petraElsewhere.close();
      } finally {
        await other.close();
      }
    });
  }

  it('tells a client who of the people it watches is online, and when that changes', async () => {
    const petraLive = await connect(petra);
    const jonasLive = await connect(jonas);
    petraLive.send({ type: 'watchPresence', personIds: [lena.id, petra.id] });
    await until('the answer to the watch list', () => petraLive.presence.length > 0);
    // Petra herself is not watched: she knows she is online.
    expect(petraLive.presence[0]).toEqual({ type: 'presence', online: [], offline: [lena.id] });

    const lenaLive = await connect(lena);
    await until('Lena online', () => petraLive.presence.length > 1);
    expect(petraLive.presence[1]).toEqual({ type: 'presence', online: [lena.id], offline: [] });
    // A second device of Lena's changes nothing.
    const lenaLaptop = await connect(lena);
    lenaLaptop.close();
    lenaLive.close();
    await until('Lena offline', () => petraLive.presence.length > 2);
    expect(petraLive.presence.slice(2)).toEqual([{ type: 'presence', online: [], offline: [lena.id] }]);
    expect(jonasLive.presence).toEqual([]);
    petraLive.close();
    jonasLive.close();
  });

  if (backend.name === 'postgresql') {
    it('tells a watcher on another server instance when someone comes online', async () => {
      const other = await backend.start({}, server.storage);
      try {
        const petraElsewhere = await openLive(other.url, petra);
        await petraElsewhere.changesUpTo('0');
        petraElsewhere.send({ type: 'watchPresence', personIds: [jonas.id] });
        await until('the answer', () => petraElsewhere.presence.length > 0);
        const jonasLive = await connect(jonas);
        await until('Jonas online over there', () => petraElsewhere.presence.length > 1);
        expect(petraElsewhere.presence[1]).toEqual({ type: 'presence', online: [jonas.id], offline: [] });
        jonasLive.close();
        petraElsewhere.close();
      } finally {
        await other.close();
      }
    });
  }

  if (backend.name === 'postgresql') {
    it('hears the other instances again after PostgreSQL cut its listening connection', async () => {
      const other = await backend.start({}, server.storage);
      const admin = new pg.Client({
        connectionString: (server.storage as { databaseUrl: string }).databaseUrl,
      });
      await admin.connect();
      const listeners = async () =>
        (
          await admin.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity
              WHERE application_name = $1 AND datname = current_database() AND query ILIKE 'LISTEN%'`,
            [listenerApplicationName],
          )
        ).rows.map((row) => row.pid);
      try {
        const before = await listeners();
        expect(before).toHaveLength(2);
        await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [before]);
        let now: number[] = [];
        const reconnected = async () => {
          now = await listeners();
          return now.length === 2 && now.every((pid) => !before.includes(pid));
        };
        const deadline = Date.now() + 10_000;
        while (!(await reconnected())) {
          if (Date.now() > deadline) throw new Error(`listeners did not come back: ${now.join(', ')}`);
          await sleep(50);
        }

        const [lenaLive, petraElsewhere] = await Promise.all([connect(lena), openLive(other.url, petra)]);
        await petraElsewhere.changesUpTo('0');
        lenaLive.send({ type: 'typing', conversationId: group });
        await until('Petra hears Lena typing after the cut', () => petraElsewhere.typing.length > 0);
        const sent = await apply(api, lena, chat.sendMessage(group, 'Nach dem Neustart'));
        await petraElsewhere.changesUpTo(sent.seq ?? '');
        lenaLive.close();
        petraElsewhere.close();
      } finally {
        await admin.end();
        await other.close();
      }
    });
  }

  it('tells the members of a group about a new message, and nobody else', async () => {
    const [petraLive, jonasLive] = await Promise.all([connect(petra), connect(jonas)]);
    const jonasHears = framesFrom(jonasLive);
    const sent = await apply(api, lena, chat.sendMessage(group, 'Band 3 steht'));
    await petraLive.changesUpTo(sent.seq ?? '');
    await sleep(quietMs);
    expect(jonasHears()).toEqual([]);
    petraLive.close();
    jonasLive.close();
  });

  it('tells a person added to a group at once, then of its messages, and of their removal', async () => {
    const jonasLive = await connect(jonas);
    const { cursor } = await syncAll(api, jonas);

    const added = await apply(api, lena, chat.addMembers(group, [jonas.id]));
    await jonasLive.changesUpTo(added.seq ?? '');
    const page = await syncAll(api, jonas, { after: cursor });
    expect(page.scopes).toContain(scopeKey('chat', group));
    expect(describeChanges(page.changes)).toContain(`conversation.upsert:${group}`);

    // The socket now knows the new scope: what is said there reaches Jonas live.
    const message = await apply(api, petra, chat.sendMessage(group, 'Willkommen, Jonas'));
    await jonasLive.changesUpTo(message.seq ?? '');

    const removed = await apply(api, lena, chat.removeMember(group, jonas.id));
    await jonasLive.changesUpTo(removed.seq ?? '');
    expect((await syncAll(api, jonas, { after: page.cursor })).scopes).not.toContain(scopeKey('chat', group));
    const jonasHears = framesFrom(jonasLive);
    const petraLive = await connect(petra);
    const after = await apply(api, lena, chat.sendMessage(group, 'Jetzt ohne Jonas'));
    await petraLive.changesUpTo(after.seq ?? '');
    await sleep(quietMs);
    expect(jonasHears()).toEqual([]);
    jonasLive.close();
    petraLive.close();
  });

  it('follows a role change: the new role channel reaches the person live, the old one no more', async () => {
    const editors = await putChannel(api, admin, { title: 'Redaktion live', audience: 'role:editor' });
    const petraLive = await connect(petra);
    const petraHears = framesFrom(petraLive);
    const quiet = await apply(api, jonas, chat.sendMessage(editors, 'Nur Redaktion'));
    await sleep(quietMs);
    expect(petraHears().filter((frame) => BigInt(frame.upTo) >= BigInt(quiet.seq ?? ''))).toEqual([]);

    const setRoles = (roles: string[]) =>
      api.put(`/api/v1/admin/accounts/${petra.id}/roles`, { token: admin.token, json: { roles } });
    expect((await setRoles(['employee', 'canteenManager', 'editor'])).status).toBe(204);
    const heard = await apply(api, jonas, chat.sendMessage(editors, 'Petra schreibt jetzt mit'));
    await petraLive.changesUpTo(heard.seq ?? '');

    expect((await setRoles(['employee', 'canteenManager'])).status).toBe(204);
    await sleep(quietMs);
    const petraHearsNow = framesFrom(petraLive);
    const gone = await apply(api, jonas, chat.sendMessage(editors, 'Wieder ohne Petra'));
    await sleep(quietMs);
    expect(petraHearsNow().filter((frame) => BigInt(frame.upTo) >= BigInt(gone.seq ?? ''))).toEqual([]);
    petraLive.close();
  });
});
