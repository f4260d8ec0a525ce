// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { typingShownMs } from '@flurfunk/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useChatStore } from '@/stores/chat.js';
import { chatUserId, installFakeHost, makeConversation, makeMessage, makePerson } from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';
import { signedInPinia } from './chatSupport.js';

let host: FakeHost;
const team = makeConversation(1);
const other = makeConversation(2, { title: 'Schicht B' });
const colleague = makePerson(1).id;

beforeEach(() => {
  host = installFakeHost(5);
  host.conversations = [team, other];
  signedInPinia();
});

afterEach(() => {
  vi.useRealTimers();
  delete window.flurfunk;
});

async function following() {
  const chat = useChatStore();
  const stops = [chat.followConversations(), chat.listen()];
  await flushPromises();
  return { chat, stop: () => stops.forEach((stop) => stop()) };
}

describe('chat store', () => {
  it('re-reads only the conversation a settings change names', async () => {
    const { chat } = await following();
    const listed = vi.spyOn(host.api, 'listConversations');
    const read = vi.spyOn(host.api, 'getConversation');
    host.conversations = [team, { ...other, muted: true }];
    host.emit('dataChanged', { changes: [{ entity: 'conversationSettings', ids: [other.id] }] });
    await flushPromises();
    expect(read).toHaveBeenCalledWith({ conversationId: other.id });
    expect(listed).not.toHaveBeenCalled();
    expect(chat.conversations.find((c) => c.id === other.id)?.muted).toBe(true);
  });

  it('drops a conversation the core no longer has when its change names it', async () => {
    const { chat } = await following();
    host.conversations = [team];
    host.emit('dataChanged', { changes: [{ entity: 'conversation', ids: [other.id] }] });
    await flushPromises();
    expect(chat.conversations.map((c) => c.id)).toEqual([team.id]);
  });

  it('shows a new message of the open conversation and re-reads the list for its preview', async () => {
    host.messages = [makeMessage(team.id, 1), makeMessage(team.id, 2)];
    const { chat } = await following();
    await chat.open(team.id);
    expect(chat.messages.map((m) => m.body)).toEqual(['Nachricht 1', 'Nachricht 2']);
    const arrived = makeMessage(team.id, 3);
    host.messages = [...host.messages, arrived];
    host.conversations = [{ ...team, lastMessage: arrived, unreadCount: 1 }, other];
    const listed = vi.spyOn(host.api, 'listConversations');
    // As the core tells it: the message, and its conversation by id.
    host.emit('dataChanged', {
      changes: [
        { entity: 'message', ids: [arrived.id] },
        { entity: 'conversation', ids: [team.id] },
      ],
    });
    await flushPromises();
    expect(chat.messages.map((m) => m.body)).toEqual(['Nachricht 1', 'Nachricht 2', 'Nachricht 3']);
    expect(chat.conversations.find((c) => c.id === team.id)?.lastMessage?.id).toBe(arrived.id);
    expect(chat.unreadTotal).toBe(1);
    // Only that conversation is read again, not the whole list.
    expect(listed).not.toHaveBeenCalled();
  });

  it('leaves the open conversation alone when a message arrives in another one', async () => {
    const { chat } = await following();
    await chat.open(team.id);
    const messages = vi.spyOn(host.api, 'listMessages');
    const arrived = makeMessage(other.id, 1);
    host.messages = [...host.messages, arrived];
    host.emit('dataChanged', {
      changes: [
        { entity: 'message', ids: [arrived.id] },
        { entity: 'conversation', ids: [other.id] },
      ],
    });
    await flushPromises();
    expect(messages).not.toHaveBeenCalled();
    // The state of the user's own writes shows in the open conversation: those are read again.
    host.emit('dataChanged', { changes: [{ entity: 'outboxEntry', ids: null }] });
    await flushPromises();
    expect(messages).toHaveBeenCalled();
  });

  it('ignores changes to things the chat is not made of', async () => {
    const { chat } = await following();
    await chat.open(team.id);
    const listed = vi.spyOn(host.api, 'listConversations');
    const messages = vi.spyOn(host.api, 'listMessages');
    host.emit('dataChanged', { changes: [{ entity: 'post', ids: null }] });
    await flushPromises();
    expect(listed).not.toHaveBeenCalled();
    expect(messages).not.toHaveBeenCalled();
  });

  it('counts unread messages for the badge, and of muted conversations only the mentions', async () => {
    host.conversations = [
      makeConversation(1, { unreadCount: 3 }),
      makeConversation(2, { unreadCount: 5, mentionCount: 1, muted: true }),
      makeConversation(3, { unreadCount: 7, muted: true }),
    ];
    const { chat } = await following();
    expect(chat.unreadTotal).toBe(4);
  });

  it('shows who is typing for a few seconds, longer while they keep typing, never the user', async () => {
    vi.useFakeTimers();
    const { chat } = await following();
    host.emit('typing', { conversationId: team.id, personId: colleague });
    host.emit('typing', { conversationId: team.id, personId: chatUserId });
    expect(chat.typingIn(team.id)).toEqual([colleague]);
    vi.advanceTimersByTime(typingShownMs - 1000);
    host.emit('typing', { conversationId: team.id, personId: colleague });
    vi.advanceTimersByTime(typingShownMs - 1000);
    expect(chat.typingIn(team.id)).toEqual([colleague]);
    vi.advanceTimersByTime(1001);
    expect(chat.typingIn(team.id)).toEqual([]);
    expect(chat.typingIn(other.id)).toEqual([]);
  });

  it('loads older messages from the cache first, then from the server, keeping them in order', async () => {
    host.messages = Array.from({ length: 60 }, (_, i) => makeMessage(team.id, 100 + i));
    host.olderOnServer = Array.from({ length: 20 }, (_, i) => makeMessage(team.id, 50 + i));
    const { chat } = await following();
    await chat.open(team.id);
    expect(chat.messages).toHaveLength(50);
    expect(chat.messages[0]?.body).toBe('Nachricht 110');
    await chat.loadOlder();
    expect(chat.messages).toHaveLength(60);
    expect(host.chatCalls.filter((c) => c.method === 'loadOlderMessages')).toHaveLength(0);
    await chat.loadOlder();
    expect(host.chatCalls.filter((c) => c.method === 'loadOlderMessages')).toHaveLength(1);
    expect(chat.messages).toHaveLength(80);
    expect(chat.messages.map((m) => m.body).slice(0, 2)).toEqual(['Nachricht 50', 'Nachricht 51']);
    expect(chat.olderOnServer).toBe(false);
    expect(chat.olderInCache).toBe(false);
  });

  it('keeps the older messages it loaded while a re-read was on its way', async () => {
    host.messages = Array.from({ length: 60 }, (_, i) => makeMessage(team.id, 100 + i));
    const { chat } = await following();
    await chat.open(team.id);
    const listMessages = host.api.listMessages;
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    host.api.listMessages = async (args) => {
      if (args.after !== undefined) await held;
      return listMessages(args);
    };
    host.emit('dataChanged', { changes: [{ entity: 'message', ids: [host.messages[59]!.id] }] });
    await chat.loadOlder();
    expect(chat.messages).toHaveLength(60);
    release();
    await flushPromises();
    expect(chat.messages).toHaveLength(60);
    expect(chat.messages[0]?.body).toBe('Nachricht 100');
  });

  it('jumps to an earlier message and back to the newest', async () => {
    host.messages = Array.from({ length: 600 }, (_, i) => makeMessage(team.id, i));
    const { chat } = await following();
    await chat.open(team.id);
    const target = makeMessage(team.id, 20).id;
    await chat.jumpTo(team.id, target);
    expect(chat.messages.some((m) => m.id === target)).toBe(true);
    expect(chat.highlightedId).toBe(target);
    expect(chat.newerInCache).toBe(true);
    await chat.jumpToLatest();
    expect(chat.messages.at(-1)?.body).toBe('Nachricht 599');
    expect(chat.newerInCache).toBe(false);
  });

  it('reports the newest read message once, and never a message still on its way', async () => {
    host.messages = [makeMessage(team.id, 1), makeMessage(team.id, 2, { delivery: 'pending' })];
    host.conversations = [{ ...team, unreadCount: 1 }, other];
    const { chat } = await following();
    await chat.open(team.id);
    await chat.markRead(chat.messages[1]!);
    await chat.markRead(chat.messages[0]!);
    await chat.markRead(chat.messages[0]!);
    expect(host.chatCalls.filter((c) => c.method === 'markConversationRead')).toEqual([
      { method: 'markConversationRead', args: { conversationId: team.id, messageId: chat.messages[0]!.id } },
    ]);
  });

  it('forgets everything at sign-out', async () => {
    host.messages = [makeMessage(team.id, 1)];
    const { chat } = await following();
    await chat.open(team.id);
    chat.reset();
    expect(chat.conversations).toEqual([]);
    expect(chat.messages).toEqual([]);
    expect(chat.openId).toBeNull();
  });
});
