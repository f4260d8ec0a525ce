// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { mentionOf } from '@flurfunk/protocol';
import type { ConversationSummary } from '@flurfunk/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ChatComposer from '@/features/chat/ChatComposer.vue';
import { forgetPersonNames } from '@/features/feed/personNames.js';
import { useChatStore } from '@/stores/chat.js';
import { chatUserId, installFakeHost, makeConversation, makeMessage, makePerson } from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';
import { mountWithApp, settle } from './chatSupport.js';

let host: FakeHost;
const team = makeConversation(1);

beforeEach(() => {
  host = installFakeHost(5);
  host.conversations = [team];
});

afterEach(() => {
  forgetPersonNames();
  delete window.flurfunk;
  document.body.innerHTML = '';
});

async function renderComposer(conversation: ConversationSummary = team) {
  host.conversations = [conversation];
  const mounted = await mountWithApp(ChatComposer, { props: { conversation } });
  const chat = useChatStore();
  await chat.loadConversations();
  await chat.open(conversation.id);
  await flushPromises();
  const field = () => mounted.wrapper.find('textarea');
  const value = () => (field().element as HTMLTextAreaElement).value;
  async function type(text: string) {
    await field().setValue(text);
    const element = field().element as HTMLTextAreaElement;
    element.setSelectionRange(text.length, text.length);
    await field().trigger('input');
    await flushPromises();
  }
  const press = async (key: string, options: Record<string, unknown> = {}) => {
    await field().trigger('keydown', { key, ...options });
    await flushPromises();
  };
  const sent = () => host.chatCalls.filter((c) => c.method === 'sendMessage').map((c) => c.args);
  return { ...mounted, field, value, type, press, sent };
}

describe('chat composer', () => {
  it('sends with Enter and starts a new line with Shift+Enter', async () => {
    const { type, press, value, sent } = await renderComposer();
    await type('Guten Morgen');
    await press('Enter', { shiftKey: true });
    expect(sent()).toEqual([]);
    await press('Enter');
    expect(sent()).toEqual([
      { conversationId: team.id, body: 'Guten Morgen', replyToId: null, attachments: [] },
    ]);
    expect(value()).toBe('');
  });

  it('keeps the text and says why when the message cannot be sent', async () => {
    const { wrapper, type, press, value } = await renderComposer();
    host.chatError = { code: 'forbidden', message: 'not a member' };
    await type('Wichtig');
    await press('Enter');
    expect(value()).toBe('Wichtig');
    expect(wrapper.get('[role="alert"]').text()).toBe('You are not allowed to do that.');
  });

  it('sends nothing for an empty message', async () => {
    const { type, press, sent } = await renderComposer();
    await type('   ');
    await press('Enter');
    expect(sent()).toEqual([]);
  });

  it("edits the user's last message with ↑ and puts the unsent text back after Escape", async () => {
    host.messages = [
      makeMessage(team.id, 1, { authorId: chatUserId, body: 'Erste' }),
      makeMessage(team.id, 2, { authorId: chatUserId, body: 'Zweite' }),
      makeMessage(team.id, 3, { body: 'Von anderen' }),
    ];
    const { wrapper, type, press, value } = await renderComposer();
    await press('ArrowUp');
    expect(value()).toBe('Zweite');
    expect(wrapper.text()).toContain('Editing your message');
    await type('Zweite, korrigiert');
    await press('Enter');
    expect(host.chatCalls.at(-1)).toEqual({
      method: 'editMessage',
      args: { messageId: makeMessage(team.id, 2).id, body: 'Zweite, korrigiert' },
    });
    expect(value()).toBe('');

    await type('Halb geschrieben');
    await press('ArrowUp');
    expect(value()).toBe('Halb geschrieben');
    await type('');
    await press('ArrowUp');
    expect(value()).toBe('Zweite, korrigiert');
    await press('Escape');
    expect(value()).toBe('');
    expect(wrapper.text()).not.toContain('Editing your message');
  });

  it('replies to a message, and Escape cancels the reply', async () => {
    const original = makeMessage(team.id, 1, { body: 'Wer übernimmt?' });
    host.messages = [original];
    const { wrapper, type, press, sent } = await renderComposer();
    (wrapper.vm as unknown as { startReply(m: typeof original): void }).startReply(original);
    await flushPromises();
    expect(wrapper.text()).toContain('Replying to Person 0001');
    await press('Escape');
    expect(wrapper.text()).not.toContain('Replying to');
    (wrapper.vm as unknown as { startReply(m: typeof original): void }).startReply(original);
    await type('Ich');
    await press('Enter');
    expect(sent().at(-1)).toMatchObject({ body: 'Ich', replyToId: original.id });
    expect(wrapper.text()).not.toContain('Replying to');
  });

  it('suggests members to mention, shows the chosen name and sends the mention', async () => {
    const { wrapper, type, press, value, sent } = await renderComposer();
    await type('Hallo @pers');
    const options = () => wrapper.findAll('[role="option"]').map((option) => option.attributes('aria-label'));
    expect(options()).toEqual(['@Person 0001', '@Person 0002']);
    expect(wrapper.get('textarea').attributes('aria-activedescendant')).toBe(
      wrapper.findAll('[role="option"]')[0]?.attributes('id'),
    );
    await press('ArrowDown');
    await press('Enter');
    expect(value()).toBe('Hallo @Person 0002 ');
    expect(sent()).toEqual([]);
    await type(`${value()}und @chan`);
    expect(options()).toEqual(['@channel, everyone in this conversation']);
    await press('Tab');
    await press('Enter');
    expect(sent()).toEqual([
      {
        conversationId: team.id,
        body: `Hallo ${mentionOf(makePerson(2).id)} und <@channel>`,
        replyToId: null,
        attachments: [],
      },
    ]);
  });

  it('restores the saved draft with names, and saves what the user types', async () => {
    const { value, type } = await renderComposer(
      makeConversation(1, { draft: { body: `Entwurf für ${mentionOf(makePerson(1).id)}`, replyToId: null } }),
    );
    expect(value()).toBe('Entwurf für @Person 0001');
    await type(`${value()} und dich`);
    await settle();
    expect(host.chatCalls.filter((c) => c.method === 'saveChatDraft').at(-1)).toEqual({
      method: 'saveChatDraft',
      args: {
        conversationId: team.id,
        draft: { body: `Entwurf für ${mentionOf(makePerson(1).id)} und dich`, replyToId: null },
      },
    });
  });

  it('offers @channel in a channel to its admins only, and says why it cannot be sent otherwise', async () => {
    const channel = makeConversation(1, { kind: 'channel', adminIds: [makePerson(1).id] });
    const { wrapper, type, press, value, sent } = await renderComposer(channel);
    await type('Alle @chan');
    expect(wrapper.findAll('[role="option"]')).toHaveLength(0);
    await type('Alle @channel herhören');
    await press('Enter');
    expect(sent()).toEqual([]);
    expect(value()).toBe('Alle @channel herhören');
    expect(wrapper.get('[role="alert"]').text()).toBe(
      'Only the admins of this channel can mention everyone with @channel.',
    );
    wrapper.unmount();

    const own = await renderComposer({ ...channel, adminIds: [chatUserId] });
    await own.type('Alle @chan');
    expect(own.wrapper.findAll('[role="option"]').map((option) => option.attributes('aria-label'))).toEqual([
      '@channel, everyone in this conversation',
    ]);
  });

  it('tells those who may not write in an announcement conversation, instead of a composer', async () => {
    const { wrapper } = await renderComposer(
      makeConversation(1, { readOnly: true, adminIds: [makePerson(1).id] }),
    );
    expect(wrapper.find('textarea').exists()).toBe(false);
    expect(wrapper.text()).toBe('Only admins can write here.');
  });

  it('lets admins write in an announcement conversation', async () => {
    const { wrapper } = await renderComposer(makeConversation(1, { readOnly: true, adminIds: [chatUserId] }));
    expect(wrapper.find('textarea').exists()).toBe(true);
  });
});
