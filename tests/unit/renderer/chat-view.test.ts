// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { highlightEnd, highlightStart } from '@flurfunk/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ChatView from '@/features/chat/ChatView.vue';
import { forgetPersonNames } from '@/features/feed/personNames.js';
import { useChatStore } from '@/stores/chat.js';
import { usePresenceStore } from '@/stores/presence.js';
import { chatUserId, installFakeHost, makeConversation, makeMessage, makePerson } from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';
import { mountWithApp, settle } from './chatSupport.js';

let host: FakeHost;
const team = makeConversation(1, { title: 'Schicht A' });
const other = makeConversation(2, { title: 'Werkstatt' });

// happy-dom lays nothing out: the list gets a window's worth of height to fill, and each row the
// height of a short message when the virtualizer measures it.
const rowHeight = 64;
vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(2000);
vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(800);
// Nor does it send the scroll event a browser sends when a script scrolls.
vi.spyOn(Element.prototype, 'scrollTo').mockImplementation(function (
  this: Element,
  options?: ScrollToOptions | number,
) {
  if (typeof options === 'object' && options.top !== undefined) this.scrollTop = options.top;
  this.dispatchEvent(new Event('scroll'));
});
vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockImplementation(function (this: HTMLElement) {
  const rows = this.querySelector<HTMLElement>('.message-list__rows');
  return rows ? parseFloat(rows.style.height) : 0;
});
vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(function (this: HTMLElement) {
  return this.classList.contains('message-list__row') ? rowHeight : 0;
});

beforeEach(() => {
  host = installFakeHost(5);
  host.conversations = [team, other];
  vi.spyOn(document, 'hasFocus').mockReturnValue(true);
});

afterEach(() => {
  forgetPersonNames();
  delete window.flurfunk;
  document.body.innerHTML = '';
});

async function renderChat(path = `/chat/${team.id}`) {
  const mounted = await mountWithApp(ChatView, { path });
  useChatStore().followConversations();
  await flushPromises();
  await settle(50);
  const rows = () => mounted.wrapper.findAll('[role="feed"] article');
  /** happy-dom moves the scroll position without the event a browser sends: sent here. */
  async function scrolled() {
    await flushPromises();
    mounted.wrapper.find('.message-list__scroller').element.dispatchEvent(new Event('scroll'));
    await settle(50);
  }
  return { ...mounted, rows, scrolled };
}

describe('the chat screen', () => {
  it('keeps a few dozen message rows in the DOM however long the conversation is', async () => {
    host.messages = Array.from({ length: 50 }, (_, i) => makeMessage(team.id, i));
    const { rows, wrapper, scrolled } = await renderChat();
    // As if the reader had scrolled back through all of it.
    useChatStore().messages = Array.from({ length: 10_000 }, (_, i) => makeMessage(team.id, i));
    await scrolled();
    const shown = rows().length;
    expect(shown).toBeGreaterThan(2000 / rowHeight - 2);
    expect(shown).toBeLessThanOrEqual(60);
    expect(wrapper.get('[role="feed"]').attributes('aria-label')).toBe('Messages');
    expect(wrapper.get('h2').text()).toBe('Schicht A');
    expect(wrapper.text()).toContain('3 members');
  });

  it('shows a "new messages" divider after the last message read, and reports the newest as read', async () => {
    host.messages = [1, 2, 3, 4].map((i) => makeMessage(team.id, i));
    host.conversations = [{ ...team, lastReadMessageId: makeMessage(team.id, 2).id, unreadCount: 2 }, other];
    const { wrapper } = await renderChat();
    const text = wrapper.get('[role="feed"]').text();
    expect(text.indexOf('Nachricht 2')).toBeLessThan(text.indexOf('New messages'));
    expect(text.indexOf('New messages')).toBeLessThan(text.indexOf('Nachricht 3'));
    expect(host.chatCalls.filter((c) => c.method === 'markConversationRead').at(-1)?.args).toEqual({
      conversationId: team.id,
      messageId: makeMessage(team.id, 4).id,
    });
  });

  it("says under the user's last message who has read it", async () => {
    host.messages = [
      makeMessage(team.id, 1, { authorId: chatUserId }),
      makeMessage(team.id, 2, { authorId: chatUserId }),
    ];
    host.conversations = [
      {
        ...team,
        reads: {
          readers: [
            { personId: makePerson(1).id, lastReadMessageId: makeMessage(team.id, 2).id },
            { personId: makePerson(2).id, lastReadMessageId: makeMessage(team.id, 1).id },
          ],
          counts: [],
        },
      },
      other,
    ];
    const { rows } = await renderChat();
    expect(rows()[1]?.text()).toContain('Read by Person 0001');
    expect(rows()[1]?.text()).not.toContain('Person 0002');
    expect(rows()[0]?.text()).not.toContain('Read by');
  });

  it('counts the readers of a large group, without the user among them', async () => {
    const own = makeMessage(team.id, 1, { authorId: chatUserId });
    const later = makeMessage(team.id, 2);
    host.messages = [own, later];
    host.conversations = [
      {
        ...team,
        memberIds: Array.from({ length: 30 }, (_, i) => makePerson(i).id),
        lastReadMessageId: later.id,
        // The user's own position is among the server's counts: two others and the user.
        reads: {
          readers: [],
          counts: [
            { lastReadMessageId: later.id, readers: 2 },
            { lastReadMessageId: own.id, readers: 1 },
          ],
        },
      },
      other,
    ];
    const { rows } = await renderChat();
    expect(rows()[0]?.text()).toContain('Read by 2 people');
    expect(rows()[0]?.text()).not.toContain('Person 0001');
  });

  it('says in the header whether the partner of a direct conversation is online', async () => {
    const partner = makePerson(3);
    const direct = makeConversation(3, { kind: 'direct', title: '', memberIds: [chatUserId, partner.id] });
    host.conversations = [team, direct];
    host.online = [partner.id];
    const { wrapper, pinia } = await renderChat(`/chat/${direct.id}`);
    usePresenceStore(pinia).follow();
    await settle(50);
    expect(wrapper.get('.pane__meta').text()).toBe('Online');
    host.online = [];
    host.emit('presenceChanged', { online: [], offline: [partner.id] });
    await settle(50);
    expect(wrapper.get('.pane__meta').text()).toBe('Not online');
  });

  it('moves between messages with the arrow keys, and back to the composer with Escape', async () => {
    host.messages = [1, 2, 3].map((i) => makeMessage(team.id, i));
    const { rows } = await renderChat();
    const last = rows()[2]!;
    expect(last.attributes('tabindex')).toBe('0');
    expect(rows()[0]?.attributes('tabindex')).toBe('-1');
    (last.element as HTMLElement).focus();
    await last.trigger('keydown', { key: 'ArrowUp' });
    await settle(50);
    expect(document.activeElement).toBe(rows()[1]?.element);
    await rows()[1]!.trigger('keydown', { key: 'Home' });
    await settle(50);
    expect(document.activeElement).toBe(rows()[0]?.element);
    await rows()[0]!.trigger('keydown', { key: 'Escape' });
    expect(document.activeElement?.tagName).toBe('TEXTAREA');
  });

  it('groups consecutive messages of one author under one name', async () => {
    host.messages = [
      makeMessage(team.id, 1),
      makeMessage(team.id, 2),
      makeMessage(team.id, 3, { authorId: makePerson(2).id }),
    ];
    const { rows } = await renderChat();
    expect(rows().map((row) => row.find('.message__author').exists())).toEqual([true, false, true]);
  });

  it('jumps to the quoted message when its quote is clicked, and highlights it', async () => {
    host.messages = Array.from({ length: 300 }, (_, i) =>
      makeMessage(team.id, i, i === 299 ? { replyToId: makeMessage(team.id, 3).id } : {}),
    );
    const { wrapper, scrolled } = await renderChat();
    const quote = wrapper.get('.message__quote');
    expect(quote.text()).toBe('Reply to Person 0001: Nachricht 3');
    await quote.trigger('click');
    await scrolled();
    expect(useChatStore().highlightedId).toBe(makeMessage(team.id, 3).id);
    expect(wrapper.get('.message--highlighted').text()).toContain('Nachricht 3');
    expect(wrapper.text()).toContain('Latest messages ↓');
  });

  it('offers "new messages" when messages arrive while the reader is further up', async () => {
    host.messages = Array.from({ length: 40 }, (_, i) => makeMessage(team.id, i));
    const { wrapper } = await renderChat();
    const scroller = wrapper.get('.message-list__scroller').element as HTMLElement;
    scroller.scrollTop = 100;
    await wrapper.get('.message-list__scroller').trigger('scroll');
    host.messages = [...host.messages, makeMessage(team.id, 40)];
    host.emit('dataChanged', { changes: [{ entity: 'message', ids: [makeMessage(team.id, 40).id] }] });
    await flushPromises();
    const button = wrapper.findAll('button').find((b) => b.text() === '1 new message ↓');
    expect(button).toBeDefined();
    await button?.trigger('click');
    await flushPromises();
    expect(wrapper.findAll('button').some((b) => b.text().includes('new message'))).toBe(false);
  });

  it('searches all conversations with filters and opens a hit at its message', async () => {
    host.messages = Array.from({ length: 300 }, (_, i) => makeMessage(other.id, i));
    host.messageHits = [
      {
        messageId: makeMessage(other.id, 5).id,
        conversationId: other.id,
        authorId: makePerson(1).id,
        snippet: `<@${makePerson(2).id}> die ${highlightStart}Schicht${highlightEnd} <b>morgen</b>`,
        createdAt: makeMessage(other.id, 5).createdAt,
        hasFiles: false,
      },
    ];
    const { wrapper, router, scrolled } = await renderChat('/chat');
    expect(wrapper.text()).toContain('Choose a conversation');
    await wrapper.get('#chat-search').setValue('Schicht');
    await wrapper.get('input[type="checkbox"]').setValue(true);
    await settle(300);
    expect(host.chatCalls.filter((c) => c.method === 'searchMessages').at(-1)?.args).toMatchObject({
      query: 'Schicht',
      hasFiles: true,
    });
    const hit = wrapper.get('.chat-search__hit');
    expect(hit.get('mark').text()).toBe('Schicht');
    expect(hit.text()).toContain('<b>morgen</b>');
    // A mention in the snippet reads as the person's name, not as its token.
    expect(hit.text()).toContain(`@${makePerson(2).displayName} die`);
    expect(hit.text()).not.toContain('<@');
    expect(hit.text()).toContain('in Werkstatt');
    await hit.trigger('click');
    await settle(50);
    await scrolled();
    expect(router.currentRoute.value.params.conversationId).toBe(other.id);
    expect(useChatStore().highlightedId).toBe(makeMessage(other.id, 5).id);
    expect(wrapper.find('.message--highlighted').exists()).toBe(true);
  });

  it('mutes and pins the open conversation', async () => {
    const { wrapper } = await renderChat();
    const mute = wrapper.findAll('button').find((b) => b.text().includes('Mute'))!;
    expect(mute.attributes('aria-pressed')).toBe('false');
    await mute.trigger('click');
    await flushPromises();
    expect(host.chatCalls.at(-1)).toEqual({
      method: 'updateConversationSettings',
      args: { conversationId: team.id, muted: true },
    });
    expect(mute.attributes('aria-pressed')).toBe('true');
  });

  it('starts a direct conversation from the new-conversation dialog', async () => {
    const { wrapper, router } = await renderChat('/chat');
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'New conversation')!
      .trigger('click');
    await settle(300);
    await wrapper.get('[aria-label="Message Person 0003"]').trigger('click');
    await flushPromises();
    expect(host.chatCalls.find((c) => c.method === 'openDirectConversation')).toEqual({
      method: 'openDirectConversation',
      args: { personId: makePerson(3).id },
    });
    const opened = host.conversations.at(-1)!;
    expect(router.currentRoute.value.params.conversationId).toBe(opened.id);
    await settle(50);
    expect(wrapper.get('h2').text()).toBe('Person 0003');
  });

  it('creates a group with a name and members', async () => {
    const { wrapper, router } = await renderChat('/chat');
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'New conversation')!
      .trigger('click');
    await wrapper.get('input[value="group"]').setValue(true);
    await settle(300);
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Create group')!
      .trigger('click');
    expect(wrapper.text()).toContain('Enter a name for the group.');
    expect(wrapper.text()).toContain('Choose at least one person.');
    await wrapper.get('dialog input:not([type])').setValue('Sommerfest');
    await wrapper.get('[aria-label="Add Person 0002"]').trigger('click');
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Create group')!
      .trigger('click');
    await flushPromises();
    expect(host.chatCalls.find((c) => c.method === 'createGroup')).toEqual({
      method: 'createGroup',
      args: { title: 'Sommerfest', memberIds: [makePerson(2).id] },
    });
    expect(router.currentRoute.value.name).toBe('chatConversation');
  });

  it('says in the group details which members are online', async () => {
    host.online = [makePerson(1).id];
    const { wrapper } = await renderChat();
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Details')!
      .trigger('click');
    await settle(50);
    const rows = wrapper.findAll('aside .info__members li').map((row) => row.get('.info__member').text());
    expect(rows).toEqual(['Person 0000 (you) admin', 'Person 0001 Online', 'Person 0002']);
  });

  it('lets a group admin rename the group and make a member admin', async () => {
    const { wrapper } = await renderChat();
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Details')!
      .trigger('click');
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Rename')!
      .trigger('click');
    await wrapper.get('aside form input').setValue('Schicht A (neu)');
    await wrapper.get('aside form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('h2').text()).toBe('Schicht A (neu)');
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Make Person 0001 an admin')!
      .trigger('click');
    await flushPromises();
    expect(host.chatCalls.at(-1)).toEqual({
      method: 'setGroupAdmin',
      args: { conversationId: team.id, personId: makePerson(1).id, admin: true },
    });
    expect(wrapper.get('aside').text()).toContain('Remove Person 0001 as admin');
  });

  it('says so when the conversation asked for is not there', async () => {
    const { wrapper } = await renderChat(`/chat/${makeConversation(99).id}`);
    expect(wrapper.text()).toContain('This conversation is not available (any more).');
  });
});
