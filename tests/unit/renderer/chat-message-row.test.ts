// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { channelMention, mentionOf } from '@flurfunk/protocol';
import type { FileMeta, MessageView } from '@flurfunk/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import MessageRow from '@/features/chat/MessageRow.vue';
import { forgetPersonNames } from '@/features/feed/personNames.js';
import { useChatStore } from '@/stores/chat.js';
import {
  chatUserId,
  installFakeHost,
  makeConversation,
  makeMessage,
  makeOutboxEntry,
  makePerson,
} from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';
import { mountWithApp } from './chatSupport.js';

let host: FakeHost;
const team = makeConversation(1, { adminIds: [] });
const colleague = makePerson(1);

beforeEach(() => {
  host = installFakeHost(5);
  host.conversations = [team];
});

afterEach(() => {
  forgetPersonNames();
  delete window.flurfunk;
  document.body.innerHTML = '';
});

async function renderRow(message: MessageView, conversation = team) {
  host.messages = [message];
  const mounted = await mountWithApp(MessageRow, {
    props: { message, conversation, continued: false, highlighted: false, readBy: null },
  });
  const chat = useChatStore();
  await chat.loadConversations();
  await chat.open(conversation.id);
  await flushPromises();
  const button = (name: string) => mounted.wrapper.findAll('button').find((b) => b.text() === name);
  return { ...mounted, button };
}

describe('a chat message', () => {
  it('shows mentions as highlighted names and @channel, never the raw tokens', async () => {
    const { wrapper } = await renderRow(
      makeMessage(team.id, 1, {
        body: `Hallo ${mentionOf(colleague.id)}, bitte an ${channelMention} weitergeben`,
      }),
    );
    const mentions = wrapper.findAll('.ff-mention').map((span) => span.text());
    expect(mentions).toEqual(['@Person 0001', '@channel']);
    expect(wrapper.get('.message__body').text()).toBe('Hallo @Person 0001, bitte an @channel weitergeben');
    expect(wrapper.text()).not.toContain('<@');
    expect(wrapper.get('article').attributes('aria-label')).toContain('Person 0001, ');
  });

  it('keeps markup a name might contain as text', async () => {
    host.people[1] = { ...host.people[1]!, displayName: '<img src=x onerror=alert(1)>' };
    const { wrapper } = await renderRow(makeMessage(team.id, 1, { body: `an ${mentionOf(colleague.id)}` }));
    expect(wrapper.find('.message__body img').exists()).toBe(false);
    expect(wrapper.get('.ff-mention').text()).toBe('@<img src=x onerror=alert(1)>');
  });

  it('cannot be made to show a mention it does not contain', async () => {
    const { wrapper } = await renderRow(
      makeMessage(team.id, 1, { body: `\uE1000\uE101 an ${mentionOf(colleague.id)} \uE1001\uE101` }),
    );
    expect(wrapper.findAll('.ff-mention').map((span) => span.text())).toEqual(['@Person 0001']);
    expect(wrapper.get('.message__body').text()).toBe('0 an @Person 0001 1');
  });

  it('shows a deleted message as a tombstone without actions', async () => {
    const { wrapper } = await renderRow(
      makeMessage(team.id, 1, { body: '', deletedAt: '2026-11-01T09:00:00.000000Z' }),
    );
    expect(wrapper.text()).toContain('This message was deleted');
    expect(wrapper.find('[aria-label="More actions"]').exists()).toBe(false);
  });

  it("shows reactions with their count and who gave them, pressed for the user's own, and toggles them", async () => {
    const { wrapper } = await renderRow(
      makeMessage(team.id, 1, {
        reactions: [
          { emoji: '👍', personIds: [chatUserId, colleague.id] },
          { emoji: '🎉', personIds: [colleague.id] },
        ],
      }),
    );
    const [thumbs, party] = wrapper.findAll('.message__reaction');
    expect(thumbs?.attributes('aria-pressed')).toBe('true');
    expect(thumbs?.attributes('title')).toBe('👍 2: you, Person 0001');
    expect(party?.attributes('aria-pressed')).toBe('false');
    await thumbs?.trigger('click');
    await party?.trigger('click');
    await flushPromises();
    expect(host.chatCalls.filter((c) => c.method === 'reactToMessage').map((c) => c.args)).toEqual([
      { messageId: makeMessage(team.id, 1).id, emoji: '👍', on: false },
      { messageId: makeMessage(team.id, 1).id, emoji: '🎉', on: true },
    ]);
  });

  it('says "Sending…" while the message waits in the outbox', async () => {
    const { wrapper } = await renderRow(
      makeMessage(team.id, 1, { authorId: chatUserId, delivery: 'pending' }),
    );
    expect(wrapper.get('.message__delivery').text()).toBe('Sending…');
  });

  it('offers Retry and Discard for a message the server refused', async () => {
    const entry = makeOutboxEntry(1, { state: 'failed', error: { code: 'forbidden', message: 'no' } });
    host.outbox = [entry];
    const { wrapper, button } = await renderRow(
      makeMessage(team.id, 1, {
        authorId: chatUserId,
        delivery: 'failed',
        outboxId: entry.id,
        failure: 'forbidden',
      }),
    );
    expect(wrapper.get('.message__delivery').text()).toContain('Not sent');
    await button('Retry')?.trigger('click');
    await flushPromises();
    expect(host.outboxCalls.at(-1)).toEqual({ method: 'retryOutboxEntry', id: entry.id });
    expect(host.outbox[0]?.state).toBe('pending');
  });

  it('marks an edited and a forwarded message', async () => {
    const { wrapper } = await renderRow(
      makeMessage(team.id, 1, { editedAt: '2026-11-01T09:00:00.000000Z', forwarded: true }),
    );
    expect(wrapper.text()).toContain('(edited)');
    expect(wrapper.text()).toContain('Forwarded');
  });

  it("offers edit and delete only on the user's own messages", async () => {
    const own = await renderRow(makeMessage(team.id, 1, { authorId: chatUserId }));
    await own.wrapper.get('[aria-label="More actions"]').trigger('click');
    await flushPromises();
    const items = () => document.querySelectorAll('[role="menuitem"]');
    expect([...items()].map((item) => item.textContent?.trim())).toEqual([
      'React',
      'Reply',
      'Edit',
      'Delete for everyone',
      'Copy text',
      'Forward',
    ]);
    own.wrapper.unmount();
    const theirs = await renderRow(makeMessage(team.id, 2));
    await theirs.wrapper.get('[aria-label="More actions"]').trigger('click');
    await flushPromises();
    expect([...items()].map((item) => item.textContent?.trim())).toEqual([
      'React',
      'Reply',
      'Copy text',
      'Forward',
    ]);
  });

  it('deletes for everyone after asking, and reacts from the menu', async () => {
    const message = makeMessage(team.id, 1, { authorId: chatUserId });
    const { wrapper, button } = await renderRow(message);
    await wrapper.get('[aria-label="More actions"]').trigger('click');
    await flushPromises();
    document.querySelectorAll<HTMLElement>('[role="menuitem"]')[3]?.click();
    await flushPromises();
    expect(wrapper.get('dialog').text()).toContain('Delete message?');
    await button('Delete')?.trigger('click');
    await flushPromises();
    expect(host.chatCalls.at(-1)).toEqual({ method: 'deleteMessage', args: { messageId: message.id } });

    await wrapper.get('[aria-label="More actions"]').trigger('click');
    await flushPromises();
    document.querySelector<HTMLElement>('[role="menuitem"]')?.click();
    await flushPromises();
    document.querySelector<HTMLElement>('[aria-label="Celebrate"]')?.click();
    await flushPromises();
    expect(host.chatCalls.at(-1)).toEqual({
      method: 'reactToMessage',
      args: { messageId: message.id, emoji: '🎉', on: true },
    });
  });

  it('shows photos as thumbnails that open at full size, and plays videos in place', async () => {
    const file = (name: string, mediaType: string, size: [number, number] | null = null): FileMeta => ({
      id: `0190000${name.length}-0000-7000-8000-${String(name.charCodeAt(0)).padStart(12, '0')}`,
      name,
      mediaType,
      size: 2_400_000,
      sha256: 'a'.repeat(64),
      width: size?.[0] ?? null,
      height: size?.[1] ?? null,
    });
    const photo = file('Halle.jpg', 'image/jpeg', [4000, 3000]);
    const animation = file('Jubel.gif', 'image/gif', [320, 240]);
    const video = file('Rundgang.mp4', 'video/mp4');
    const { wrapper } = await renderRow(makeMessage(team.id, 1, { attachments: [photo, animation, video] }));
    const images = wrapper.findAll('.attachments__images img');
    expect(images.map((image) => image.attributes('src'))).toEqual([
      `/media/${photo.id}?thumbnail=`,
      // A GIF keeps its animation: no thumbnail.
      `/media/${animation.id}`,
    ]);
    // Nothing of the video is fetched before the user presses play.
    expect(wrapper.get('video').attributes()).toMatchObject({
      src: `/media/${video.id}`,
      controls: '',
      preload: 'none',
    });

    // A thumbnail that cannot be had shows the photo itself.
    await images[0]!.trigger('error');
    expect(wrapper.get('.attachments__images img').attributes('src')).toBe(`/media/${photo.id}`);

    const open = wrapper.get('button[aria-label="Open Halle.jpg"]');
    (open.element as HTMLElement).focus();
    await open.trigger('click');
    const viewer = wrapper.get('dialog[aria-label="Image Halle.jpg"]');
    expect(viewer.get('img').attributes('src')).toBe(`/media/${photo.id}`);
    expect(viewer.get('a').attributes()).toMatchObject({
      href: `/media/${photo.id}?download=`,
      download: 'Halle.jpg',
    });
    expect(document.activeElement?.textContent?.trim()).toBe('Close');
    await viewer.trigger('cancel');
    await flushPromises();
    expect(wrapper.find('dialog[aria-label="Image Halle.jpg"]').exists()).toBe(false);
    // Keyboard users are back where they were.
    expect(document.activeElement).toBe(open.element);
  });
});
