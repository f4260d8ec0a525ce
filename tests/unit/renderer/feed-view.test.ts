// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { highlightEnd, highlightStart } from '@flurfunk/protocol';
import type { FeedChannelView, PostView } from '@flurfunk/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import FeedView from '@/features/feed/FeedView.vue';
import { createAppI18n } from '@/i18n/index.js';
import { installFakeHost } from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';

let host: FakeHost;

const plant: FeedChannelView = {
  id: '01900000-0000-7000-8000-00000000c001',
  name: 'Standort Werk',
  description: '',
  audience: 'company',
  mandatory: true,
  createdAt: '2026-11-01T08:00:00.000000Z',
  following: true,
  unread: 2,
  canPost: false,
};

function makePost(index: number, fields: Partial<PostView> = {}): PostView {
  const hex = index.toString(16).padStart(12, '0');
  return {
    id: `01900000-0000-7000-8000-${hex}`,
    channelId: plant.id,
    authorId: '01900000-0000-7000-8000-00000000a001',
    title: `Meldung ${index}`,
    body: `Text ${index}`,
    requiresConfirmation: false,
    pinned: false,
    commentsEnabled: true,
    event: null,
    published: true,
    publishAt: `2026-11-${String(10 + index).padStart(2, '0')}T08:00:00.000000Z`,
    createdAt: '2026-11-01T08:00:00.000000Z',
    editedAt: null,
    seenAt: null,
    confirmedAt: null,
    remindedAt: null,
    reaction: null,
    reactions: {},
    attendance: null,
    attendances: {},
    reach: null,
    canManage: false,
    delivery: 'synced',
    outboxId: null,
    ...fields,
  };
}

// happy-dom lays nothing out: the virtualized list gets a window's worth of height to fill.
vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(2000);
vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(800);

beforeEach(() => {
  host = installFakeHost(3);
  host.feedChannels = [plant];
  setActivePinia(createPinia());
});

afterEach(() => {
  delete window.flurfunk;
  document.body.innerHTML = '';
});

async function renderFeed() {
  const wrapper = mount(FeedView, {
    global: { plugins: [createAppI18n('en')] },
    attachTo: document.body,
  });
  await flushPromises();
  return wrapper;
}

const titles = (wrapper: Awaited<ReturnType<typeof renderFeed>>) =>
  wrapper.findAll('article h2').map((h2) => h2.text());

describe('the newsfeed screen', () => {
  it('lists posts in the order the core gives, marks pinned, unread and important ones', async () => {
    host.posts = [
      makePost(1, { pinned: true, seenAt: '2026-11-12T08:00:00.000000Z' }),
      makePost(3, { requiresConfirmation: true }),
      makePost(2),
    ];
    const wrapper = await renderFeed();
    expect(titles(wrapper)).toEqual(['Meldung 1', 'Meldung 3', 'Meldung 2']);
    const [pinned, important] = wrapper.findAll('article');
    expect(pinned?.text()).toContain('Pinned');
    expect(pinned?.text()).not.toContain('New');
    expect(important?.text()).toContain('Please confirm');
    expect(wrapper.get('nav').text()).toContain('2 unread');
  });

  it('confirms an important post and shows that it is confirmed', async () => {
    host.posts = [makePost(1, { requiresConfirmation: true })];
    const wrapper = await renderFeed();
    const confirmButton = () =>
      wrapper.findAll('article button').filter((b) => b.text() === 'I have read this');
    await confirmButton()[0]?.trigger('click');
    await flushPromises();
    expect(wrapper.get('article').text()).toContain('You confirmed reading this');
    expect(wrapper.get('article').text()).toContain('Sending…');
    expect(confirmButton()).toEqual([]);
  });

  it('holds posts that arrive while the reader is further down behind a "new posts" pill', async () => {
    host.posts = [makePost(2), makePost(1)];
    const wrapper = await renderFeed();
    const scroller = wrapper.get('.feed__scroller');
    (scroller.element as HTMLElement).scrollTop = 500;
    await scroller.trigger('scroll');

    host.posts = [makePost(5), ...host.posts];
    host.emit('dataChanged', { changes: [{ entity: 'post', ids: [makePost(5).id] }] });
    await flushPromises();
    expect(titles(wrapper)).toEqual(['Meldung 2', 'Meldung 1']);
    const pill = wrapper.get('.feed__pill');
    expect(pill.text()).toBe('1 new post');

    await pill.trigger('click');
    await flushPromises();
    expect(titles(wrapper)).toEqual(['Meldung 5', 'Meldung 2', 'Meldung 1']);
    expect(wrapper.find('.feed__pill').exists()).toBe(false);
  });

  it('puts new posts straight in at the top while the reader is there', async () => {
    host.posts = [makePost(1)];
    const wrapper = await renderFeed();
    host.posts = [makePost(2), ...host.posts];
    host.emit('dataChanged', { changes: [{ entity: 'post', ids: null }] });
    await flushPromises();
    expect(titles(wrapper)).toEqual(['Meldung 2', 'Meldung 1']);
    expect(wrapper.find('.feed__pill').exists()).toBe(false);
  });

  it('shows search matches marked, as text even when the text looks like markup', async () => {
    host.posts = [makePost(1)];
    host.postHits = [
      {
        postId: makePost(1).id,
        channelId: plant.id,
        title: `${highlightStart}Sicherheit${highlightEnd} <img src=x onerror=alert(1)>`,
        snippet: `… die ${highlightStart}Sicherheit${highlightEnd}sregeln …`,
        publishAt: '2026-11-11T08:00:00.000000Z',
      },
    ];
    const wrapper = await renderFeed();
    await wrapper.get('input[type="search"]').setValue('sicher');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await flushPromises();
    const hit = wrapper.get('.feed__hits li');
    expect(hit.findAll('mark').map((mark) => mark.text())).toEqual(['Sicherheit', 'Sicherheit']);
    expect(hit.find('img').exists()).toBe(false);
    expect(hit.text()).toContain('<img src=x onerror=alert(1)>');
    expect(wrapper.text()).toContain('One post found for “sicher”');
  });

  it("shows reaction counts with accessible names and toggles the reader's own reaction", async () => {
    host.posts = [makePost(1, { reactions: { like: 3, celebrate: 1 } })];
    const wrapper = await renderFeed();
    const like = wrapper.get('button[aria-label="Like, 3 people"]');
    expect(like.attributes('aria-pressed')).toBe('false');
    expect(like.text()).toBe('👍3');
    expect(wrapper.find('button[aria-label="Celebrate, 1 person"]').exists()).toBe(true);
    await like.trigger('click');
    await flushPromises();
    expect(wrapper.get('button[aria-label="Like, 3 people"]').attributes('aria-pressed')).toBe('true');
  });

  it('leaves an unfollowed channel out of the unread count and lets the reader follow it again', async () => {
    const optional: FeedChannelView = {
      ...plant,
      id: '01900000-0000-7000-8000-00000000c002',
      name: 'Betriebssport',
      mandatory: false,
      unread: 5,
    };
    host.feedChannels = [plant, optional];
    const wrapper = await renderFeed();
    expect(wrapper.get('nav').text()).toContain('7 unread');
    const channelButton = () =>
      wrapper.findAll('nav button').find((button) => button.text().includes('Betriebssport'))!;
    await channelButton().trigger('click');
    await flushPromises();
    await wrapper.get('button[aria-pressed="true"]').trigger('click');
    await flushPromises();
    expect(channelButton().text()).toContain('(not followed)');
    expect(wrapper.findAll('nav button')[0]?.text()).toContain('2 unread');
    expect(wrapper.get('.feed__head button').text()).toBe('Follow');
  });

  it('shows an event with its answers and saves it as a calendar file', async () => {
    const event = {
      startsAt: '2026-12-12T09:00:00.000000Z',
      endsAt: '2026-12-12T11:30:00.000000Z',
      place: 'Halle 2',
    };
    host.posts = [makePost(1, { title: 'Betriebsversammlung', event, attendances: { yes: 12, maybe: 2 } })];
    const wrapper = await renderFeed();
    const section = wrapper.get('section[aria-label="Event"]');
    expect(section.text()).toContain('Halle 2');
    expect(section.get('time').attributes('datetime')).toBe(event.startsAt);
    const yes = section.findAll('button').find((button) => button.text().startsWith('Yes'))!;
    expect(yes.text()).toBe('Yes 12');
    await yes.trigger('click');
    await flushPromises();
    expect(
      wrapper
        .get('section[aria-label="Event"]')
        .findAll('[aria-pressed="true"]')
        .map((button) => button.text()),
    ).toEqual(['Yes 12']);

    const saved: { name: string; type: string }[] = [];
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved.push({ name: '', type: (blob as Blob).type });
      return 'blob:app://flurfunk/test';
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      saved[0]!.name = this.download;
    });
    await section
      .findAll('button')
      .find((button) => button.text() === 'Add to calendar')!
      .trigger('click');
    expect(saved).toEqual([{ name: 'Betriebsversammlung.ics', type: 'text/calendar;charset=utf-8' }]);
    createObjectURL.mockRestore();
    click.mockRestore();
  });

  it('shows the earlier versions of an edited post to those who may manage it', async () => {
    host.posts = [
      makePost(1, { title: 'Parkplatz gesperrt', editedAt: '2026-11-12T09:00:00.000000Z', canManage: true }),
      makePost(2, { editedAt: '2026-11-12T09:00:00.000000Z' }),
    ];
    host.revisions = [
      {
        revision: 1,
        title: 'Parkplatz',
        body: 'Wird gekehrt.',
        editedBy: { personId: '01900000-0000-7000-8000-00000000a001', displayName: 'Jonas Becker' },
        editedAt: '2026-11-12T09:00:00.000000Z',
      },
    ];
    const wrapper = await renderFeed();
    const [managed, other] = wrapper.findAll('article');
    expect(other?.find('button[aria-label="edited: show the earlier versions"]').exists()).toBe(false);
    expect(other?.text()).toContain('edited');
    await managed!.get('button[aria-label="edited: show the earlier versions"]').trigger('click');
    await flushPromises();
    const dialog = wrapper.get('dialog[aria-labelledby="revisions-title"]');
    expect(dialog.get('h2').text()).toBe('Earlier versions: Parkplatz gesperrt');
    expect(dialog.get('ol li').text()).toContain('Replaced by Jonas Becker');
    expect(dialog.get('ol li h3').text()).toBe('Parkplatz');
  });

  it('offers a new post only to those who may post somewhere', async () => {
    expect((await renderFeed()).text()).not.toContain('New post');
    document.body.innerHTML = '';
    host.feedChannels = [{ ...plant, canPost: true }];
    expect((await renderFeed()).text()).toContain('New post');
  });
});
