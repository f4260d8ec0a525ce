/**
 * The outbox and the live channel of the core against the real server, cache and keychain: writes
 * made offline arrive exactly once, survive a restart and a lost answer; refused writes fail
 * visibly; other clients see a message without pulling; scopes gained and lost reach the cache.
 */
import type { Conversation, MessageView, OutboxEntryView } from '@flurfunk/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DemoServer, TestCore } from '../support/core-harness.js';
import {
  cacheFileNames,
  keychainOf,
  noticesOf,
  removeTempDirs,
  signIn,
  startDemoServer,
  startTestCore,
  tempDir,
} from '../support/core-harness.js';
import { type LossyProxy, startLossyProxy } from '../support/core-lossy-proxy.js';
import { apiClient } from '../support/server-client.js';
import {
  type User,
  chat,
  createGroup,
  history,
  mutate,
  sendMessage,
  signInAs,
} from '../support/chat-support.js';

const live = { backoff: { initialMs: 50, maxMs: 400 }, silenceTimeoutMs: 3_000 };
let server: DemoServer;
let api: ReturnType<typeof apiClient>;
const cores: TestCore[] = [];
const proxies: LossyProxy[] = [];

beforeAll(async () => {
  server = await startDemoServer({ liveHeartbeatMs: 200 });
  api = apiClient(server.url);
});

afterEach(async () => {
  await Promise.all(cores.splice(0).map((test) => test.core.close()));
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

afterAll(async () => {
  await server?.stop();
  await removeTempDirs();
});

async function coreFor(username: string, serverUrl = server.url, dataDir?: string): Promise<TestCore> {
  const test = await startTestCore(dataDir ?? (await tempDir('core')), { live });
  cores.push(test);
  await signIn(test, serverUrl, username);
  return test;
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const messagesOf = (test: TestCore, conversationId: string) =>
  test.call('listMessages', { conversationId }) as Promise<MessageView[]>;
const outboxOf = (test: TestCore) => test.call('listOutbox') as Promise<OutboxEntryView[]>;
const conversationsOf = (test: TestCore) => test.call('listConversations') as Promise<Conversation[]>;

async function serverBodies(user: User, conversationId: string): Promise<string[]> {
  const response = await history(api, user, conversationId);
  expect(response.status).toBe(200);
  return (response.body as { messages: { body: string }[] }).messages.map((m) => m.body).reverse();
}

async function groupWith(admin: User, others: User[], title: string): Promise<string> {
  return createGroup(api, admin, others, title);
}

describe('the outbox', () => {
  it('keeps a message written offline visible as pending and delivers it exactly once when the server is back', async () => {
    const lena = await signInAs(api, 'lena.weber');
    const jonas = await signInAs(api, 'jonas.becker');
    const group = await groupWith(lena, [jonas], 'Zugfahrt');
    const test = await coreFor('lena.weber');
    await until('the group in the cache', async () =>
      (await conversationsOf(test)).some((c) => c.id === group),
    );

    await server.stop();
    const written = await test.call('sendMessage', {
      conversationId: group,
      body: 'Geschrieben im Funkloch',
    });
    expect(written).toMatchObject({ body: 'Geschrieben im Funkloch', delivery: 'pending' });
    const waiting = await until('a failed attempt', async () => {
      const [entry] = await outboxOf(test);
      return entry && entry.attempts > 0 ? entry : undefined;
    });
    expect(waiting).toMatchObject({ state: 'pending', type: 'chat.sendMessage', entityId: written.id });
    expect(waiting.nextAttemptAt).not.toBeNull();

    await server.start();
    const delivered = await until('the message synced', async () =>
      (await messagesOf(test, group)).find((m) => m.id === written.id && m.delivery === 'synced'),
    );
    expect(delivered.body).toBe('Geschrieben im Funkloch');
    expect(await outboxOf(test)).toEqual([]);
    const relogged = await signInAs(api, 'jonas.becker');
    expect(await serverBodies(relogged, group)).toEqual(['Geschrieben im Funkloch']);
  });

  it('keeps its order across a restart of the client and sends everything once the server is back', async () => {
    const lena = await signInAs(api, 'lena.weber');
    const petra = await signInAs(api, 'petra.koch');
    const group = await groupWith(petra, [lena], 'Reihenfolge');
    const dataDir = await tempDir('core');
    const first = await coreFor('lena.weber', server.url, dataDir);
    await until('the group in the cache', async () =>
      (await conversationsOf(first)).some((c) => c.id === group),
    );

    await server.stop();
    for (const body of ['eins', 'zwei', 'drei'])
      await first.call('sendMessage', { conversationId: group, body });
    await first.core.close();
    cores.splice(cores.indexOf(first), 1);

    const restarted = await startTestCore(dataDir, { live });
    cores.push(restarted);
    expect((await messagesOf(restarted, group)).map((m) => [m.body, m.delivery])).toEqual([
      ['eins', 'pending'],
      ['zwei', 'pending'],
      ['drei', 'pending'],
    ]);
    await server.start();
    await until('all synced', async () => {
      const messages = await messagesOf(restarted, group);
      return messages.length === 3 && messages.every((m) => m.delivery === 'synced');
    });
    expect(await serverBodies(await signInAs(api, 'petra.koch'), group)).toEqual(['eins', 'zwei', 'drei']);
  });

  it('sends a write again when its answer was lost, and the server applies it only once', async () => {
    const lena = await signInAs(api, 'lena.weber');
    const group = await groupWith(lena, [], 'Verlorene Antwort');
    const proxy = await startLossyProxy(server.url);
    proxies.push(proxy);
    const test = await coreFor('lena.weber', proxy.url);
    proxy.loseMutationAnswers = 1;

    const written = await test.call('sendMessage', { conversationId: group, body: 'Nur einmal, bitte' });
    await until('the message synced', async () => {
      await test.call('syncNow');
      return (await messagesOf(test, group)).find((m) => m.id === written.id && m.delivery === 'synced');
    });
    expect(proxy.mutationBatches).toBeGreaterThanOrEqual(2);
    expect(await serverBodies(lena, group)).toEqual(['Nur einmal, bitte']);
  });

  /**
   * Lena writes into a group Jonas has just removed her from, and her core has not learnt it yet:
   * the server refuses the message.
   */
  const refusedWrite = async (title: string, body: string) => {
    const lena = await signInAs(api, 'lena.weber');
    const jonas = await signInAs(api, 'jonas.becker');
    const group = await groupWith(jonas, [lena], title);
    const proxy = await startLossyProxy(server.url);
    proxies.push(proxy);
    // Through the proxy the core has no live socket: it learns of the removal only when it pulls.
    const test = await coreFor('lena.weber', proxy.url);
    await mutate(api, jonas, [chat.removeMember(group, lena.id)]);

    const written = await test.call('sendMessage', { conversationId: group, body });
    const failed = await until('the refusal', async () => {
      const [entry] = await outboxOf(test);
      return entry?.state === 'failed' ? entry : undefined;
    });
    return { lena, jonas, group, test, written, failed };
  };

  it('shows a write the server refuses as failed, retries it on request and takes it back when discarded', async () => {
    const { jonas, group, test, written, failed } = await refusedWrite('Bald ohne Lena', 'Hallo?');
    expect(failed.error).toMatchObject({ code: 'not_found' });
    expect((await messagesOf(test, group)).find((m) => m.id === written.id)).toMatchObject({
      delivery: 'failed',
      outboxId: failed.id,
    });

    await test.call('retryOutboxEntry', { id: failed.id });
    await until('the second refusal', async () => (await outboxOf(test))[0]?.state === 'failed');

    expect(await test.call('discardOutboxEntry', { id: failed.id })).toEqual([]);
    expect(await messagesOf(test, group)).toEqual([]);
    expect(await serverBodies(jonas, group)).toEqual([]);
  });

  it('sends a retried write as a new attempt, so it goes through once the reason for the refusal is gone', async () => {
    const { lena, jonas, group, test, written, failed } = await refusedWrite(
      'Gleich wieder dabei',
      'Bin ich noch drin?',
    );

    // Jonas adds Lena back; her retry must not get the stored refusal of the first attempt.
    await mutate(api, jonas, [chat.addMembers(group, [lena.id])]);
    await test.call('retryOutboxEntry', { id: failed.id });
    await until('the message synced', async () => {
      await test.call('syncNow');
      return (await messagesOf(test, group)).find((m) => m.id === written.id && m.delivery === 'synced');
    });
    expect(await outboxOf(test)).toEqual([]);
    expect(await serverBodies(jonas, group)).toEqual(['Bin ich noch drin?']);
  });

  it('shows an edit at once and keeps it while the server has the older text', async () => {
    const lena = await signInAs(api, 'lena.weber');
    const group = await groupWith(lena, [], 'Tippfehler');
    const messageId = await sendMessage(api, lena, group, 'Mittag um 12:00');
    const test = await coreFor('lena.weber');
    await until('the message', async () => (await messagesOf(test, group)).length === 1);

    const edited = await test.call('editMessage', { messageId, body: 'Mittag um 12:30' });
    expect(edited).toMatchObject({ body: 'Mittag um 12:30', delivery: 'pending' });
    expect(edited.editedAt).not.toBeNull();
    await until('the edit synced', async () => {
      const [message] = await messagesOf(test, group);
      return message?.delivery === 'synced' && message.body === 'Mittag um 12:30';
    });
    expect(await serverBodies(lena, group)).toEqual(['Mittag um 12:30']);
  });
});

describe('the live channel', () => {
  it("brings a colleague's message into the cache without anyone pulling", async () => {
    const lena = await signInAs(api, 'lena.weber');
    const jonas = await signInAs(api, 'jonas.becker');
    const group = await groupWith(lena, [jonas], 'Live');
    const [lenaCore, jonasCore] = await Promise.all([coreFor('lena.weber'), coreFor('jonas.becker')]);
    await until('the group at Jonas', async () =>
      (await conversationsOf(jonasCore)).some((c) => c.id === group),
    );

    const sent = await lenaCore.call('sendMessage', {
      conversationId: group,
      body: 'Kommt jemand mit in die Kantine?',
    });
    await until('the message at Jonas', async () =>
      (await messagesOf(jonasCore, group)).find((m) => m.id === sent.id),
    );
    expect(
      jonasCore.events.some(
        (entry) =>
          entry.event === 'dataChanged' &&
          (entry.payload as { changes: { entity: string; ids: string[] | null }[] }).changes.some(
            (change) => change.entity === 'message' && change.ids?.includes(sent.id),
          ),
      ),
    ).toBe(true);
  });

  it("shows a colleague's typing to the other members' apps, and not to the typist's own", async () => {
    const lena = await signInAs(api, 'lena.weber');
    const jonas = await signInAs(api, 'jonas.becker');
    const group = await groupWith(lena, [jonas], 'Tippen');
    const [lenaCore, jonasCore] = await Promise.all([coreFor('lena.weber'), coreFor('jonas.becker')]);
    await until('the group at both', async () =>
      (await Promise.all([lenaCore, jonasCore].map(conversationsOf))).every((list) =>
        list.some((c) => c.id === group),
      ),
    );
    // Repeated while typing: the first one that finds the socket open goes out.
    const typing = await until('Jonas sees Lena typing', async () => {
      await lenaCore.call('sendTyping', { conversationId: group });
      return jonasCore.events.find((entry) => entry.event === 'typing');
    });
    expect(typing.payload).toEqual({ conversationId: group, personId: lena.id });
    expect(lenaCore.events.some((entry) => entry.event === 'typing')).toBe(false);
  });

  it('shows who of the chat partners is online, and when they go offline', async () => {
    const lena = await signInAs(api, 'lena.weber');
    const petra = await signInAs(api, 'petra.koch');
    await groupWith(lena, [petra], 'Präsenz');
    const petraCore = await coreFor('petra.koch');
    const presenceOf = (id: string) =>
      petraCore.events
        .filter((entry) => entry.event === 'presenceChanged')
        .map((entry) => entry.payload as { online: string[]; offline: string[] })
        .flatMap((change) => [
          ...(change.online.includes(id) ? ['online'] : []),
          ...(change.offline.includes(id) ? ['offline'] : []),
        ]);

    const lenaCore = await coreFor('lena.weber');
    await until('Lena online at Petra', async () => presenceOf(lena.id).at(-1) === 'online');
    expect(await petraCore.call('watchPresence', { personIds: [lena.id] })).toEqual({ online: [lena.id] });

    await lenaCore.core.close();
    cores.splice(cores.indexOf(lenaCore), 1);
    await until('Lena offline at Petra', async () => presenceOf(lena.id).at(-1) === 'offline');
    expect(await petraCore.call('watchPresence', { personIds: [lena.id] })).toEqual({ online: [] });
  });

  it('fills in the history of a group one is added to, and purges it when removed', async () => {
    const jonas = await signInAs(api, 'jonas.becker');
    const petra = await signInAs(api, 'petra.koch');
    const lena = await signInAs(api, 'lena.weber');
    const group = await groupWith(jonas, [petra], 'Sommerfest');
    for (const body of ['Termin?', 'Freitag!']) await sendMessage(api, jonas, group, body);
    const test = await coreFor('lena.weber');

    await mutate(api, jonas, [chat.addMembers(group, [lena.id])]);
    await until('the history at Lena', async () => (await messagesOf(test, group)).length === 2);
    expect((await messagesOf(test, group)).map((m) => m.body)).toEqual(['Termin?', 'Freitag!']);

    await mutate(api, jonas, [chat.removeMember(group, lena.id)]);
    await until(
      'the group gone at Lena',
      async () => !(await conversationsOf(test)).some((c) => c.id === group),
    );
    expect(await messagesOf(test, group)).toEqual([]);
  });

  it('wipes the cache and the keychain with a notice when the device is signed out on the server', async () => {
    const dataDir = await tempDir('core');
    const test = await coreFor('lena.weber', server.url, dataDir);
    const keychain = keychainOf(dataDir, server.url);
    expect(await keychain.refreshToken()).not.toBeNull();
    // The user signs this device out from elsewhere: here, with its own refresh token.
    const refresh = await fetch(`${server.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: await keychain.refreshToken() }),
    });
    const { accessToken } = (await refresh.json()) as { accessToken: string };
    expect((await api.post('/api/v1/auth/logout', { token: accessToken })).status).toBe(204);

    await test.waitForEvent(
      'sessionChanged',
      (payload) => (payload as { status: string }).status === 'signedOut',
    );
    expect(await noticesOf(test)).toEqual([{ code: 'deviceRevoked' }]);
    expect(await keychain.refreshToken()).toBeNull();
    expect(await keychain.cacheKey()).toBeNull();
    expect(await cacheFileNames(dataDir)).toEqual([]);
  });
});
