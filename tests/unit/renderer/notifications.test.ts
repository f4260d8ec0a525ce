// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ChatNotification, defaultNotificationSettings } from '@flurfunk/protocol';
import { installFakeHost, makeConversation, makePost } from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';
import { startApp } from './appSupport.js';

let host: FakeHost;

/** What the browser was asked to show; happy-dom has no notifications of its own. */
class RecordedNotification {
  static permission: NotificationPermission = 'granted';
  static shown: RecordedNotification[] = [];
  static requestPermission = vi.fn(async () => RecordedNotification.permission);
  onclick: (() => void) | null = null;
  closed = false;
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    RecordedNotification.shown.push(this);
  }
  close(): void {
    this.closed = true;
  }
}

beforeEach(async () => {
  window.localStorage.clear();
  host = installFakeHost(5);
  RecordedNotification.shown = [];
  RecordedNotification.permission = 'granted';
  vi.stubGlobal('Notification', RecordedNotification);
  await host.api.login({ serverUrl: 'http://127.0.0.1:4100', username: 'lena.weber', password: 'x' });
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  delete window.flurfunk;
  document.body.innerHTML = '';
});

function runsIn(which: 'electron' | 'browser'): void {
  host.api.getAppInfo = async () => ({
    ok: true,
    value: { version: '0.1.0-test', host: which, defaultServerUrl: 'http://127.0.0.1:4100' },
  });
}

const checkbox = (wrapper: Awaited<ReturnType<typeof startApp>>['wrapper'], label: string) => {
  const found = wrapper.findAll('label').find((l) => l.text() === label);
  if (!found) throw new Error(`no checkbox "${label}"`);
  return found.get('input');
};

function notificationFor(conversationId: string): ChatNotification {
  return {
    conversationId,
    messageId: '0195f1a0-0000-7000-8000-0000000000e1',
    conversationKind: 'group',
    conversationTitle: 'Schichtplanung',
    senderName: 'Jonas Becker',
    preview: 'Wer tauscht am Freitag?',
    fileCount: 0,
    mentionsUser: false,
  };
}

describe('notification settings', () => {
  it('shows the stored choices and saves each change at once', async () => {
    const { wrapper } = await startApp('#/settings');
    expect(wrapper.get('#settings-notifications').text()).toBe('Notifications');
    const chat = checkbox(wrapper, 'Notify me of new chat messages');
    expect((chat.element as HTMLInputElement).checked).toBe(true);
    await checkbox(wrapper, 'Show the text in notifications').setValue(false);
    await flushPromises();
    expect(host.notificationSettings).toEqual({ ...defaultNotificationSettings, showPreview: false });

    await checkbox(wrapper, 'Do not disturb').setValue(true);
    const [from, to] = wrapper.findAll('input[type="time"]');
    await from!.setValue('12:00');
    await to!.setValue('13:00');
    await flushPromises();
    expect(host.notificationSettings.quietHours).toEqual({ enabled: true, from: '12:00', to: '13:00' });

    await checkbox(wrapper, 'Notify me of important posts I am asked to confirm').setValue(false);
    await flushPromises();
    expect(host.notificationSettings.importantPosts).toBe(false);
  });

  it('asks the browser for permission where the browser shows the notifications', async () => {
    runsIn('browser');
    RecordedNotification.permission = 'default';
    const { wrapper } = await startApp('#/settings');
    const allow = wrapper.findAll('button').find((b) => b.text() === 'Allow notifications in this browser');
    RecordedNotification.permission = 'granted';
    await allow!.trigger('click');
    await flushPromises();
    expect(RecordedNotification.requestPermission).toHaveBeenCalled();
    expect(wrapper.text()).not.toContain('Allow notifications in this browser');
  });
});

describe('desktop notifications', () => {
  it('in the browser host, shows an important post and opens it on a click', async () => {
    runsIn('browser');
    host.posts = [makePost(1, { id: '0195f1a0-0000-7000-8000-0000000000f1', title: 'Brandschutzübung' })];
    const { router, wrapper } = await startApp('#/chat');
    host.emit('feedNotification', {
      postId: '0195f1a0-0000-7000-8000-0000000000f1',
      channelName: 'Standort Werk Gütersloh',
      authorName: 'Jonas Becker',
      title: 'Brandschutzübung',
      preview: null,
    });
    const [shown] = RecordedNotification.shown;
    expect(shown).toMatchObject({
      title: 'Important: Brandschutzübung',
      options: { body: 'Jonas Becker in Standort Werk Gütersloh\nPlease read and confirm.' },
    });
    shown!.onclick?.();
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/feed?post=0195f1a0-0000-7000-8000-0000000000f1');
    const pointed = wrapper.get('[aria-label="The post from the notification"]');
    expect(pointed.text()).toContain('Brandschutzübung');
    expect(document.activeElement).toBe(pointed.element);
    await pointed
      .findAll('button')
      .find((b) => b.text() === 'Show the whole newsfeed')!
      .trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/feed');
  });

  it('in Electron opens the post when the main process reports its notification clicked', async () => {
    runsIn('electron');
    const { router } = await startApp('#/chat');
    host.emit('openFeed', { postId: '0195f1a0-0000-7000-8000-0000000000f1' });
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ post: '0195f1a0-0000-7000-8000-0000000000f1' });
  });

  it('in the browser host, shows the core’s notification and opens the conversation on a click', async () => {
    runsIn('browser');
    const conversation = makeConversation(7);
    const { router } = await startApp('#/feed');
    host.emit('chatNotification', notificationFor(conversation.id));
    expect(RecordedNotification.shown).toHaveLength(1);
    const [shown] = RecordedNotification.shown;
    expect(shown).toMatchObject({
      title: 'Jonas Becker in Schichtplanung',
      options: { body: 'Wer tauscht am Freitag?', tag: conversation.id },
    });
    shown!.onclick?.();
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe(`/chat/${conversation.id}`);
    expect(shown!.closed).toBe(true);
  });

  it('in Electron leaves showing to the main process and opens what it reports clicked', async () => {
    runsIn('electron');
    const conversation = makeConversation(3);
    const { router } = await startApp('#/feed');
    host.emit('chatNotification', notificationFor(conversation.id));
    expect(RecordedNotification.shown).toEqual([]);
    host.emit('openConversation', { conversationId: conversation.id });
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe(`/chat/${conversation.id}`);
  });

  it('stays quiet about the conversation the user is looking at, not about others', async () => {
    runsIn('browser');
    const open = makeConversation(2);
    host.conversations = [open];
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    await startApp(`#/chat/${open.id}`);
    host.emit('chatNotification', notificationFor(open.id));
    expect(RecordedNotification.shown).toEqual([]);
    const other = makeConversation(4);
    host.emit('chatNotification', notificationFor(other.id));
    expect(RecordedNotification.shown.map((n) => n.options.tag)).toEqual([other.id]);
  });

  it('shows nothing when the browser does not allow it', async () => {
    runsIn('browser');
    RecordedNotification.permission = 'denied';
    await startApp('#/feed');
    host.emit('chatNotification', notificationFor(makeConversation(1).id));
    expect(RecordedNotification.shown).toEqual([]);
  });
});
