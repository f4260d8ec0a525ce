/**
 * Desktop notifications and the unread badge, decided by the real core against the real server:
 * a colleague's new message notifies with sender and preview, the backlog of the first sync does
 * not, a muted conversation only for mentions, quiet hours and the preview switch are kept, and
 * the unread total follows new and read messages.
 */
import { channelMention, defaultNotificationSettings, mentionOf } from '@flurfunk/protocol';
import type {
  ChatNotification,
  ConversationSummary,
  DataChanged,
  EventPayload,
  SyncStatus,
} from '@flurfunk/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DemoServer, TestCore } from '../support/core-harness.js';
import { removeTempDirs, signIn, startDemoServer, startTestCore, tempDir } from '../support/core-harness.js';
import { type User, createGroup, sendMessage, signInAs } from '../support/chat-support.js';
import { type ApiClient, apiClient } from '../support/server-client.js';

const live = { backoff: { initialMs: 50, maxMs: 400 }, silenceTimeoutMs: 3_000 };

let server: DemoServer;
let api: ApiClient;
let lena: User;
let jonas: User;
let lenaCore: TestCore;
let direct: ConversationSummary;
let group: string;

beforeAll(async () => {
  server = await startDemoServer({ liveHeartbeatMs: 200 });
  api = apiClient(server.url);
  [lena, jonas] = await Promise.all([signInAs(api, 'lena.weber'), signInAs(api, 'jonas.becker')]);
  group = await createGroup(api, jonas, [lena], 'Schichtplanung');
  lenaCore = await startTestCore(await tempDir('core'), { live });
  await signIn(lenaCore, server.url, 'lena.weber');
  direct = await lenaCore.call('openDirectConversation', { personId: jonas.id });
});

afterAll(async () => {
  await lenaCore?.core.close();
  await server?.stop();
  await removeTempDirs();
});

beforeEach(async () => {
  await lenaCore.call('saveNotificationSettings', defaultNotificationSettings);
  await lenaCore.call('updateConversationSettings', { conversationId: group, muted: false });
});

const notifications = () =>
  lenaCore.events.filter((e) => e.event === 'chatNotification').map((e) => e.payload as ChatNotification);
const lastUnread = () =>
  lenaCore.events.findLast((e) => e.event === 'unreadCountChanged')?.payload as
    EventPayload<'unreadCountChanged'> | undefined;

/** Jonas writes; resolves once the message is in Lena's cache (and any notification was decided). */
async function jonasWrites(conversationId: string, body: string): Promise<string> {
  const messageId = await sendMessage(api, jonas, conversationId, body);
  await lenaCore.waitForEvent('dataChanged', (payload) =>
    (payload as DataChanged).changes.some((c) => c.entity === 'message' && c.ids?.includes(messageId)),
  );
  return messageId;
}

const notificationOf = (messageId: string) => notifications().find((n) => n.messageId === messageId);

describe('desktop notifications of new messages', () => {
  it('stay silent about what the first sync brought', () => {
    expect(notifications()).toEqual([]);
  });

  it('name the sender and show the start of the text, mentions as names, without Markdown', async () => {
    const messageId = await jonasWrites(
      direct.id,
      `**Hallo** ${mentionOf(lena.id)},\n\n_Presse 3_ läuft [wieder](https://example.com/presse).`,
    );
    expect(notificationOf(messageId)).toEqual({
      conversationId: direct.id,
      messageId,
      conversationKind: 'direct',
      conversationTitle: null,
      senderName: 'Jonas Becker',
      preview: 'Hallo @Lena Weber, Presse 3 läuft wieder.',
      fileCount: 0,
      mentionsUser: true,
    });
  });

  it('name the group a message was written in', async () => {
    const messageId = await jonasWrites(group, 'Wer tauscht die Spätschicht am Freitag?');
    expect(notificationOf(messageId)).toMatchObject({
      conversationKind: 'group',
      conversationTitle: 'Schichtplanung',
      preview: 'Wer tauscht die Spätschicht am Freitag?',
    });
  });

  it('keep a muted conversation quiet, except when a message mentions the user or everyone', async () => {
    await lenaCore.call('updateConversationSettings', { conversationId: group, muted: true });
    const quiet = await jonasWrites(group, 'Nur zur Info: Kaffee ist alle.');
    const toLena = await jonasWrites(group, `${mentionOf(lena.id)} kannst du übernehmen?`);
    const toAll = await jonasWrites(group, `${channelMention} Besprechung um 14 Uhr`);
    expect(notificationOf(quiet)).toBeUndefined();
    expect(notificationOf(toLena)).toMatchObject({ mentionsUser: true });
    expect(notificationOf(toAll)).toMatchObject({ mentionsUser: true });
  });

  it('leave out the text when previews are off', async () => {
    await lenaCore.call('saveNotificationSettings', { ...defaultNotificationSettings, showPreview: false });
    const messageId = await jonasWrites(direct.id, 'Das Passwort für das WLAN ist …');
    expect(notificationOf(messageId)).toMatchObject({ senderName: 'Jonas Becker', preview: null });
  });

  it('say nothing during quiet hours, mentions included', async () => {
    const allDay = { enabled: true, from: '00:00', to: '00:00' };
    const saved = await lenaCore.call('saveNotificationSettings', {
      ...defaultNotificationSettings,
      quietHours: allDay,
    });
    expect(saved.quietHours).toEqual(allDay);
    expect(await lenaCore.call('getNotificationSettings')).toEqual(saved);
    const messageId = await jonasWrites(direct.id, `${mentionOf(lena.id)} dringend!`);
    expect(notificationOf(messageId)).toBeUndefined();
  });

  it('refuses settings that are not settings', async () => {
    const refused = await lenaCore.callRaw('saveNotificationSettings', {
      ...defaultNotificationSettings,
      quietHours: { enabled: true, from: '25:00', to: '07:00' },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(await lenaCore.call('getNotificationSettings')).toEqual(defaultNotificationSettings);
  });
});

describe('the unread total for the badge', () => {
  it('grows with new messages and shrinks when the user reads them', async () => {
    const before = (await lenaCore.call('getConversation', { conversationId: direct.id }))!;
    await lenaCore.call('markConversationRead', {
      conversationId: direct.id,
      messageId: before.lastMessage!.id,
    });
    const afterRead = lastUnread()!;
    const messageId = await jonasWrites(direct.id, 'Noch eine Frage zur Schicht.');
    expect(lastUnread()).toEqual({ messages: afterRead.messages + 1, mentions: afterRead.mentions });
    await lenaCore.call('markConversationRead', { conversationId: direct.id, messageId });
    expect(lastUnread()).toEqual(afterRead);
  });

  it('counts a muted conversation only by its mentions', async () => {
    await lenaCore.call('updateConversationSettings', { conversationId: group, muted: true });
    const start = lastUnread()!;
    await jonasWrites(group, 'Noch mehr Kaffee-Neuigkeiten.');
    expect(lastUnread()).toEqual(start);
    await jonasWrites(group, `${mentionOf(lena.id)} bitte kurz melden`);
    expect(lastUnread()).toEqual({ messages: start.messages + 1, mentions: start.mentions + 1 });
  });
});

describe('after a restart', () => {
  it('stays silent about what arrived while the app was closed, and notifies what comes after', async () => {
    await lenaCore.core.close();
    const missed = await sendMessage(api, jonas, direct.id, 'Während du weg warst …');
    lenaCore = await startTestCore(lenaCore.dataDir, { live });
    await lenaCore.waitForEvent('dataChanged', (payload) =>
      (payload as DataChanged).changes.some((c) => c.entity === 'message' && c.ids?.includes(missed)),
    );
    await lenaCore.waitForEvent('syncStatusChanged', (payload) => (payload as SyncStatus).state === 'idle');
    const fresh = await jonasWrites(direct.id, 'Und jetzt bist du wieder da.');
    expect(notificationOf(missed)).toBeUndefined();
    expect(notificationOf(fresh)).toMatchObject({ preview: 'Und jetzt bist du wieder da.' });
  });
});
