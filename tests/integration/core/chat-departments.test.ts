/**
 * Department channels follow the org chart on the device: when an admin moves a person to another
 * department in the server's admin API, their app drops the old department's channel with its
 * messages and files, and brings the new one's with its history. Its own demo server: the move
 * changes the company.
 */
import { scopeKey } from '@flurfunk/protocol';
import type { ConversationSummary, MessageView } from '@flurfunk/protocol';
import { v7 } from 'uuid';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DemoServer, TestCore } from '../support/core-harness.js';
import { removeTempDirs, signIn, startDemoServer, startTestCore, tempDir } from '../support/core-harness.js';
import {
  type User,
  apply,
  chat,
  putChannel,
  readCompany,
  sendMessage,
  signInAs,
} from '../support/chat-support.js';
import { makePdf, uploadFile } from '../support/file-support.js';
import { eventually } from '../support/feed-support.js';
import { apiClient } from '../support/server-client.js';
import { masterDataOf } from '../support/directory-admin.js';

const live = { backoff: { initialMs: 50, maxMs: 400 }, silenceTimeoutMs: 3_000 };
const waitMs = 10_000;

let server: DemoServer;
let test: TestCore | undefined;

beforeAll(async () => {
  server = await startDemoServer({ liveHeartbeatMs: 200 });
});

afterAll(async () => {
  await test?.core.close();
  await server?.stop();
  await removeTempDirs();
});

const conversationAt = (core: TestCore, conversationId: string) =>
  core.call('getConversation', { conversationId }) as Promise<ConversationSummary | null>;
const messagesOf = (core: TestCore, conversationId: string) =>
  core.call('listMessages', { conversationId, limit: 200 }) as Promise<MessageView[]>;

it('moves a person’s department channel on their device when an admin moves them', async () => {
  const api = apiClient(server.url);
  const [lena, jonas, admin] = (await Promise.all(
    ['lena.weber', 'jonas.becker', 'admin'].map((name) => signInAs(api, name)),
  )) as [User, User, User];
  const company = await readCompany(api, lena);
  const werkstatt = company.unit('Werkstatt');
  const kommunikation = company.unit('Interne Kommunikation');
  const mover = company.people.find(
    (p) => p.orgUnitId === werkstatt.id && p.id !== werkstatt.managerId && p.username !== 'lena.weber',
  );
  if (!mover) throw new Error('nobody else in the Werkstatt');
  const oldTeam = await putChannel(api, admin, {
    title: 'Werkstatt intern',
    audience: scopeKey('orgUnit', werkstatt.id),
  });
  const newTeam = await putChannel(api, admin, {
    title: 'Redaktion',
    audience: scopeKey('orgUnit', kommunikation.id),
  });
  const plan = await uploadFile(server.url, lena, { bytes: makePdf('Werkzeugliste'), name: 'Werkzeuge.pdf' });
  expect(plan.status).toBe(201);
  const tools = v7();
  await apply(
    api,
    lena,
    chat.sendMessage(oldTeam, 'Werkzeugausgabe heute bis 14 Uhr', tools, { attachments: [plan.id] }),
  );
  const meeting = await sendMessage(api, jonas, newTeam, 'Redaktionssitzung am Dienstag');

  test = await startTestCore(await tempDir('core'), { live });
  await signIn(test, server.url, mover.username);
  expect(await conversationAt(test, oldTeam)).toMatchObject({ kind: 'channel', title: 'Werkstatt intern' });
  expect((await messagesOf(test, oldTeam)).map((m) => m.id)).toEqual([tools]);
  expect(await conversationAt(test, newTeam)).toBeNull();
  expect((await test.core.readMedia(plan.id)).ok).toBe(true);

  const moved = await api.put(`/api/v1/admin/people/${mover.id}`, {
    token: admin.token,
    json: { ...masterDataOf(mover), orgUnitId: kommunikation.id },
  });
  expect(moved.status).toBe(204);

  // The live channel tells the app; no one pulls by hand.
  const core = test;
  await eventually(
    'the new department channel',
    async () => ((await messagesOf(core, newTeam)).some((m) => m.id === meeting) ? true : undefined),
    waitMs,
  );
  // Its history is there to read, but none of it counts as unread to a newcomer.
  expect(await conversationAt(core, newTeam)).toMatchObject({
    title: 'Redaktion',
    lastReadMessageId: meeting,
    unreadCount: 0,
  });
  expect(await conversationAt(core, oldTeam)).toBeNull();
  expect(await messagesOf(core, oldTeam)).toEqual([]);
  expect(await core.call('searchMessages', { query: 'werkzeugausgabe' })).toEqual([]);
  expect(await core.core.readMedia(plan.id)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  expect((await core.call('searchMessages', { query: 'redaktionssitzung' })).map((h) => h.messageId)).toEqual(
    [meeting],
  );
  // What is written after they joined is.
  await sendMessage(api, jonas, newTeam, 'Willkommen im Team!');
  await eventually(
    'the first unread message in the new channel',
    async () => ((await conversationAt(core, newTeam))?.unreadCount === 1 ? true : undefined),
    waitMs,
  );
});
