/**
 * Desktop notifications of important posts, decided by the real core against the real server: an
 * editor's post that asks to be confirmed notifies a reader of its channel with title, author,
 * channel and preview; an ordinary post, the first sync's backlog, a post confirmed already, the
 * switch turned off and the quiet hours do not; the preview switch holds.
 */
import { defaultNotificationSettings, NotificationSettings } from '@flurfunk/protocol';
import type { DataChanged, FeedNotification } from '@flurfunk/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DemoServer, TestCore } from '../support/core-harness.js';
import { removeTempDirs, startDemoServer, testCores } from '../support/core-harness.js';
import { type User, signInAs } from '../support/chat-support.js';
import { channelNamed, publishPost } from '../support/feed-support.js';
import { type ApiClient, apiClient } from '../support/server-client.js';

let server: DemoServer;
let api: ApiClient;
let jonas: User;
let plantChannel: string;
let lena: TestCore;
const cores = testCores();

beforeAll(async () => {
  server = await startDemoServer({ liveHeartbeatMs: 200 });
  api = apiClient(server.url);
  jonas = await signInAs(api, 'jonas.becker');
  plantChannel = (await channelNamed(api, jonas, 'Standort Werk Gütersloh')).id;
  lena = await cores.signedIn(server.url, 'lena.weber');
});

afterAll(async () => {
  await cores.closeAll();
  await server?.stop();
  await removeTempDirs();
});

beforeEach(async () => {
  await lena.call('saveNotificationSettings', defaultNotificationSettings);
});

const notifications = () =>
  lena.events.filter((e) => e.event === 'feedNotification').map((e) => e.payload as FeedNotification);

/** Jonas posts to Lena's plant; resolves once the post is in Lena's cache (and decided on). */
async function jonasPosts(spec: {
  title: string;
  body: string;
  requiresConfirmation: boolean;
}): Promise<string> {
  const postId = await publishPost(api, jonas, { channelId: plantChannel, ...spec });
  await lena.waitForEvent('dataChanged', (payload) =>
    (payload as DataChanged).changes.some((c) => c.entity === 'post' && c.ids?.includes(postId)),
  );
  return postId;
}

describe('desktop notifications of important posts', () => {
  it('stay silent about the important posts the first sync brought', () => {
    expect(notifications()).toEqual([]);
  });

  it('name the post, its author and channel, with the start of its text without Markdown', async () => {
    const postId = await jonasPosts({
      title: 'Brandschutzübung am Freitag',
      body: '**Bitte** alle um _10 Uhr_ am [Sammelplatz](https://example.com/plan) sein.',
      requiresConfirmation: true,
    });
    expect(notifications().find((n) => n.postId === postId)).toEqual({
      postId,
      channelName: 'Standort Werk Gütersloh',
      authorName: 'Jonas Becker',
      title: 'Brandschutzübung am Freitag',
      preview: 'Bitte alle um 10 Uhr am Sammelplatz sein.',
    });
  });

  it('do not come for an ordinary post', async () => {
    const postId = await jonasPosts({
      title: 'Kuchen in der Kantine',
      body: 'Für alle.',
      requiresConfirmation: false,
    });
    expect(notifications().some((n) => n.postId === postId)).toBe(false);
  });

  it('keep the text private without previews, and stop when switched off', async () => {
    await lena.call('saveNotificationSettings', { ...defaultNotificationSettings, showPreview: false });
    const hidden = await jonasPosts({
      title: 'Neue Schichtpläne',
      body: 'Vertraulich',
      requiresConfirmation: true,
    });
    expect(notifications().find((n) => n.postId === hidden)?.preview).toBeNull();

    await lena.call('saveNotificationSettings', { ...defaultNotificationSettings, importantPosts: false });
    const off = await jonasPosts({
      title: 'Betriebsversammlung',
      body: 'Am Montag.',
      requiresConfirmation: true,
    });
    expect(notifications().some((n) => n.postId === off)).toBe(false);
  });

  it('keep the quiet hours', async () => {
    await lena.call('saveNotificationSettings', {
      ...defaultNotificationSettings,
      quietHours: { enabled: true, from: '00:00', to: '00:00' },
    });
    const postId = await jonasPosts({ title: 'Nachts', body: 'Still.', requiresConfirmation: true });
    expect(notifications().some((n) => n.postId === postId)).toBe(false);
  });

  it('read settings saved before important posts could notify as on', async () => {
    const older = { chat: false, showPreview: true, quietHours: defaultNotificationSettings.quietHours };
    expect(NotificationSettings.parse(older)).toEqual({ ...older, importantPosts: true });
    await lena.call('saveNotificationSettings', older);
    expect(await lena.call('getNotificationSettings')).toEqual({ ...older, importantPosts: true });
  });
});
