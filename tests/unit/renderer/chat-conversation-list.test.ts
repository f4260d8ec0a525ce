// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { channelMention, mentionOf } from '@flurfunk/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ConversationList from '@/features/chat/ConversationList.vue';
import { forgetPersonNames } from '@/features/feed/personNames.js';
import { useChatStore } from '@/stores/chat.js';
import { usePresenceStore } from '@/stores/presence.js';
import { chatUserId, installFakeHost, makeConversation, makeMessage, makePerson } from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';
import { mountWithApp } from './chatSupport.js';

let host: FakeHost;

beforeEach(() => {
  host = installFakeHost(5);
});

afterEach(() => {
  forgetPersonNames();
  delete window.flurfunk;
  document.body.innerHTML = '';
});

async function renderList(activeId: string | null = null) {
  const mounted = await mountWithApp(ConversationList, { props: { activeId } });
  useChatStore(mounted.pinia).followConversations();
  usePresenceStore(mounted.pinia).follow();
  await flushPromises();
  const entries = () => mounted.wrapper.findAll('nav a');
  const titles = () => entries().map((a) => a.get('.conversation__title').text());
  return { ...mounted, entries, titles };
}

const at = (hour: number) => new Date(Date.UTC(2026, 10, 20, hour)).toISOString();

describe('conversation list', () => {
  it('puts pinned conversations first, then the most recent; "unread first" lifts unread ones', async () => {
    const old = makeConversation(1, {
      title: 'Alt',
      lastMessage: makeMessage(makeConversation(1).id, 1, { createdAt: at(8) }),
    });
    const unread = makeConversation(2, {
      title: 'Ungelesen',
      unreadCount: 2,
      lastMessage: makeMessage(makeConversation(2).id, 2, { createdAt: at(9) }),
    });
    const recent = makeConversation(3, {
      title: 'Neu',
      lastMessage: makeMessage(makeConversation(3).id, 3, { createdAt: at(12) }),
    });
    const pinned = makeConversation(4, {
      title: 'Angeheftet',
      pinned: true,
      lastMessage: makeMessage(makeConversation(4).id, 4, { createdAt: at(7) }),
    });
    host.conversations = [old, unread, recent, pinned];
    const { wrapper, titles } = await renderList();
    expect(titles()).toEqual(['Angeheftet', 'Neu', 'Ungelesen', 'Alt']);
    await wrapper.get('select').setValue('unread');
    expect(titles()).toEqual(['Angeheftet', 'Ungelesen', 'Neu', 'Alt']);
    expect(wrapper.findAll('nav li')[0]?.text()).toContain('pinned');
  });

  it('shows the unread count and, distinct from it, the mentions; muted ones say so', async () => {
    host.conversations = [
      makeConversation(1, { title: 'Team', unreadCount: 4, mentionCount: 1 }),
      makeConversation(2, { title: 'Leise', unreadCount: 9, muted: true }),
    ];
    const { entries } = await renderList();
    const team = entries().find((a) => a.text().includes('Team'))!;
    expect(team.get('.conversation__mention').text()).toContain('@1');
    expect(team.text()).toContain('4 unread messages');
    expect(team.text()).toContain('1 mention of you');
    const quiet = entries().find((a) => a.text().includes('Leise'))!;
    expect(quiet.text()).toContain('muted');
    expect(quiet.find('.conversation__mention').exists()).toBe(false);
  });

  it("names a direct conversation after the other person and previews the last message's words", async () => {
    const other = makePerson(2);
    host.conversations = [
      makeConversation(1, {
        kind: 'direct',
        title: '',
        memberIds: [chatUserId, other.id],
        lastMessage: makeMessage(makeConversation(1).id, 1, {
          authorId: other.id,
          createdAt: at(12),
          body: `**Hallo** ${mentionOf(chatUserId)},\n\n> siehe _${channelMention}_ und [den Plan](https://example.com/plan)\n\n- \`Halle 3\``,
        }),
      }),
      makeConversation(2, {
        title: 'Dateien',
        lastMessage: makeMessage(makeConversation(2).id, 2, {
          authorId: other.id,
          createdAt: at(10),
          body: '',
          attachments: [
            {
              id: '01900000-0000-7000-8000-0000000f0001',
              name: 'Plan.pdf',
              mediaType: 'application/pdf',
              size: 1000,
              sha256: 'a'.repeat(64),
              width: null,
              height: null,
            },
          ],
        }),
      }),
      makeConversation(3, {
        title: 'Gelöscht',
        lastMessage: makeMessage(makeConversation(3).id, 3, { body: '', deletedAt: at(9) }),
      }),
    ];
    const { entries } = await renderList();
    await flushPromises();
    const [direct, files, deleted] = entries();
    expect(direct?.get('.conversation__title').text()).toBe(other.displayName);
    // The words without their Markdown, on one line.
    expect(direct?.get('.conversation__line').text()).toBe(
      'Hallo @Person 0000, siehe @channel und den Plan Halle 3',
    );
    expect(files?.get('.conversation__line').text()).toBe('Person 0002: 📎 Plan.pdf');
    expect(deleted?.get('.conversation__line').text()).toContain('Message deleted');
  });

  it('shows which partners of direct conversations are online, and follows them going offline', async () => {
    const partner = makePerson(2);
    const direct = makeConversation(1, { kind: 'direct', title: '', memberIds: [chatUserId, partner.id] });
    host.conversations = [direct, makeConversation(2, { title: 'Gruppe' })];
    host.online = [partner.id];
    const { entries } = await renderList();
    await flushPromises();
    expect(entries()[0]?.find('.avatar__online').exists()).toBe(true);
    expect(entries()[0]?.text()).toContain('Online');
    expect(entries()[1]?.find('.avatar__online').exists()).toBe(false);

    host.emit('presenceChanged', { online: [], offline: [partner.id] });
    await flushPromises();
    expect(entries()[0]?.find('.avatar__online').exists()).toBe(false);
    expect(entries()[0]?.text()).not.toContain('Online');
  });

  it('previews an unsent draft with names, except in the open conversation', async () => {
    const draft = { body: `${mentionOf(makePerson(1).id)} bitte\nprüfen`, replyToId: null };
    host.conversations = [
      makeConversation(1, { title: 'Offen', draft }),
      makeConversation(2, { title: 'Entwurf', draft }),
    ];
    const { entries } = await renderList(makeConversation(1).id);
    await flushPromises();
    const line = (title: string) =>
      entries()
        .find((a) => a.text().includes(title))
        ?.get('.conversation__line')
        .text();
    expect(line('Entwurf')).toBe('Draft: @Person 0001 bitte prüfen');
    expect(line('Offen')).toBe('No messages yet');
  });

  it('filters by name, ignoring case and accents, and says when nothing matches', async () => {
    host.conversations = [
      makeConversation(1, { title: 'Müller-Runde' }),
      makeConversation(2, { title: 'Schicht' }),
    ];
    const { wrapper, titles } = await renderList();
    await wrapper.get('input[type="search"]').setValue('muller');
    expect(titles()).toEqual(['Müller-Runde']);
    await wrapper.get('input[type="search"]').setValue('xyz');
    expect(titles()).toEqual([]);
    expect(wrapper.get('[role="status"]').text()).toBe('No conversation matches “xyz”.');
  });

  it('marks the open conversation and moves between conversations with the arrow keys', async () => {
    host.conversations = [makeConversation(1, { title: 'Eins' }), makeConversation(2, { title: 'Zwei' })];
    const { entries } = await renderList(makeConversation(1).id);
    expect(entries()[0]?.attributes('aria-current')).toBe('page');
    (entries()[0]?.element as HTMLElement).focus();
    await entries()[0]?.trigger('keydown', { key: 'ArrowDown' });
    expect(document.activeElement).toBe(entries()[1]?.element);
  });

  it('speaks German', async () => {
    host.conversations = [makeConversation(1, { title: 'Team', unreadCount: 2 })];
    const mounted = await mountWithApp(ConversationList, { props: { activeId: null }, locale: 'de' });
    useChatStore().followConversations();
    await flushPromises();
    expect(mounted.wrapper.text()).toContain('2 ungelesene Nachrichten');
    expect(mounted.wrapper.get('label').text()).toBe('Unterhaltungen filtern');
  });
});
