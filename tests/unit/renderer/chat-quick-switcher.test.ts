// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { forgetPersonNames } from '@/features/feed/personNames.js';
import { installFakeHost, makeConversation, makePerson } from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';
import { settle } from './chatSupport.js';
import { startApp } from './appSupport.js';

let host: FakeHost;

vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(800);

beforeEach(async () => {
  window.localStorage.clear();
  host = installFakeHost(6);
  host.conversations = [
    makeConversation(1, { title: 'Schicht A', unreadCount: 2 }),
    makeConversation(2, { title: 'Werkstatt', unreadCount: 5, muted: true, mentionCount: 1 }),
  ];
  await host.api.login({ serverUrl: 'http://127.0.0.1:4100', username: 'lena.weber', password: 'x' });
});

afterEach(() => {
  forgetPersonNames();
  delete window.flurfunk;
  document.body.innerHTML = '';
});

const pressCtrlK = () =>
  window.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, bubbles: true }));

describe('chat in the app shell', () => {
  it('shows the unread chat messages on the Chat entry and in the window title', async () => {
    const { wrapper } = await startApp('#/feed');
    const chatLink = wrapper.findAll('nav a').find((a) => a.text().startsWith('Chat'))!;
    expect(chatLink.get('.ff-badge').text()).toBe('3');
    expect(wrapper.get('#nav-chat-unread').text()).toBe('3 unread');
    expect(document.title).toBe('(3) Newsfeed – Flurfunk');
    host.conversations = host.conversations.map((c) => ({ ...c, unreadCount: 0, mentionCount: 0 }));
    host.emit('dataChanged', { changes: [{ entity: 'conversationSettings', ids: null }] });
    await flushPromises();
    expect(chatLink.find('.ff-badge').exists()).toBe(false);
    expect(document.title).toBe('Newsfeed – Flurfunk');
  });

  it('marks Chat as the current section inside a conversation', async () => {
    const { wrapper } = await startApp(`#/chat/${makeConversation(1).id}`);
    expect(wrapper.get('nav [aria-current="page"]').text()).toContain('Chat');
    expect(document.title).toBe('(3) Chat – Flurfunk');
  });
});

describe('quick switcher', () => {
  it('opens with Ctrl+K, finds conversations and people, and opens a conversation', async () => {
    const { wrapper, router } = await startApp('#/feed');
    pressCtrlK();
    await flushPromises();
    const input = wrapper.get('[role="combobox"]');
    expect(document.activeElement).toBe(input.element);
    await input.setValue('werk');
    await settle(150);
    expect(wrapper.findAll('[role="option"]').map((o) => o.get('.switcher__label').text())).toEqual([
      'Werkstatt',
    ]);
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(router.currentRoute.value.params.conversationId).toBe(makeConversation(2).id);
    expect(wrapper.find('[role="combobox"]').exists()).toBe(false);
  });

  it('opens the direct conversation with a person chosen there', async () => {
    const { wrapper, router } = await startApp('#/feed');
    pressCtrlK();
    await flushPromises();
    const input = wrapper.get('[role="combobox"]');
    await input.setValue('Person 0004');
    await settle(150);
    const options = wrapper.findAll('[role="option"]');
    expect(options.map((o) => o.get('.switcher__label').text())).toEqual(['Person 0004']);
    await input.trigger('keydown', { key: 'ArrowDown' });
    expect(input.attributes('aria-activedescendant')).toBe(options[0]?.attributes('id'));
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(host.chatCalls.find((c) => c.method === 'openDirectConversation')?.args).toEqual({
      personId: makePerson(4).id,
    });
    expect(router.currentRoute.value.name).toBe('chatConversation');
  });

  it('closes with Escape and gives the focus back', async () => {
    const { wrapper } = await startApp('#/feed');
    const search = wrapper.get('#feed-search');
    (search.element as HTMLElement).focus();
    pressCtrlK();
    await flushPromises();
    await wrapper.get('dialog').trigger('cancel');
    await flushPromises();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(wrapper.find('[role="combobox"]').exists()).toBe(false);
    expect(document.activeElement).toBe(search.element);
  });
});
