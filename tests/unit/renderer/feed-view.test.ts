// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { highlightEnd, highlightStart } from '@flurfunk/protocol';
import type { CommentView, FeedChannelView, PostPoll, PostView } from '@flurfunk/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import FeedView from '@/features/feed/FeedView.vue';
import { createAppI18n } from '@/i18n/index.js';
import { createAppRouter } from '@/router/index.js';
import { installFakeHost, makePost } from './fakeHost.js';
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
  window.history.replaceState(null, '', '/#/feed');
  const router = createAppRouter();
  const wrapper = mount(FeedView, {
    global: { plugins: [createAppI18n('en'), router] },
    attachTo: document.body,
  });
  await router.isReady();
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
        commentId: null,
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

  describe('comments', () => {
    const comment = (index: number, fields: Partial<CommentView> = {}): CommentView => ({
      id: `01900000-0000-7000-8000-c0000000000${index}`,
      postId: makePost(1).id,
      parentId: null,
      authorId: '01900000-0000-7000-8000-00000000a001',
      body: `Kommentar ${index}`,
      createdAt: `2026-11-12T0${index}:00:00.000000Z`,
      editedAt: null,
      canEdit: false,
      canDelete: false,
      delivery: 'synced',
      outboxId: null,
      ...fields,
    });
    const commentTexts = (wrapper: Awaited<ReturnType<typeof renderFeed>>) =>
      wrapper.findAll('.comment__body').map((body) => body.text());

    it('opens a post’s comments with the replies under the comment they answer', async () => {
      host.posts = [makePost(1, { comments: 3 })];
      host.comments = [
        comment(1),
        comment(2, { parentId: comment(1).id }),
        comment(3, { editedAt: '2026-11-12T04:00:00.000000Z' }),
      ];
      const wrapper = await renderFeed();
      const toggle = wrapper.get('button[aria-expanded]');
      expect(toggle.text()).toBe('3 comments');
      expect(toggle.attributes('aria-expanded')).toBe('false');
      expect(wrapper.find('.comment').exists()).toBe(false);
      await toggle.trigger('click');
      await flushPromises();
      expect(toggle.attributes('aria-expanded')).toBe('true');
      expect(commentTexts(wrapper)).toEqual(['Kommentar 1', 'Kommentar 2', 'Kommentar 3']);
      const replies = wrapper.get('.comments__replies');
      expect(replies.text()).toContain('Kommentar 2');
      expect(replies.text()).not.toContain('Kommentar 3');
      expect(wrapper.findAll('.comment')[2]?.text()).toContain('edited');
    });

    it('sends a comment with Enter, and a reply under its comment', async () => {
      host.posts = [makePost(1)];
      host.comments = [comment(1)];
      const wrapper = await renderFeed();
      expect(wrapper.get('button[aria-expanded]').text()).toBe('Comment');
      await wrapper.get('button[aria-expanded]').trigger('click');
      await flushPromises();
      const field = wrapper.get('textarea[aria-label="Write a comment"]');
      await field.setValue('Prima, danke!');
      await field.trigger('keydown', { key: 'Enter' });
      await flushPromises();
      expect(commentTexts(wrapper)).toEqual(['Kommentar 1', 'Prima, danke!']);
      expect((field.element as HTMLTextAreaElement).value).toBe('');
      expect(wrapper.findAll('.comment')[1]?.text()).toContain('Sending…');

      await wrapper
        .findAll('button')
        .find((b) => b.text() === 'Reply')!
        .trigger('click');
      await flushPromises();
      const reply = wrapper.get('textarea[aria-label^="Reply to"]');
      expect(document.activeElement).toBe(reply.element);
      await reply.setValue('Gern.');
      await reply.trigger('keydown', { key: 'Enter' });
      await flushPromises();
      expect(host.comments.at(-1)).toMatchObject({ body: 'Gern.', parentId: comment(1).id });
      expect(wrapper.get('.comments__replies').text()).toContain('Gern.');
      expect(wrapper.find('textarea[aria-label^="Reply to"]').exists()).toBe(false);
    });

    it('keeps what the user wrote when the comment is refused, and says why', async () => {
      host.posts = [makePost(1)];
      host.commentError = { code: 'forbidden', message: 'comments are turned off' };
      const wrapper = await renderFeed();
      await wrapper.get('button[aria-expanded]').trigger('click');
      await flushPromises();
      const field = wrapper.get('textarea[aria-label="Write a comment"]');
      await field.setValue('Wichtiger Hinweis');
      await wrapper.get('.comment-composer').trigger('submit');
      await flushPromises();
      expect((field.element as HTMLTextAreaElement).value).toBe('Wichtiger Hinweis');
      expect(wrapper.get('[role="alert"]').text()).toBe('You are not allowed to do that.');
    });

    it('asks before deleting a comment with its replies', async () => {
      host.posts = [makePost(1, { comments: 3 })];
      host.comments = [
        comment(1, { canDelete: true }),
        comment(2, { parentId: comment(1).id }),
        comment(3, { parentId: comment(1).id }),
      ];
      const wrapper = await renderFeed();
      await wrapper.get('button[aria-expanded]').trigger('click');
      await flushPromises();
      const deletes = wrapper.findAll('button').filter((b) => b.text() === 'Delete');
      expect(deletes).toHaveLength(1);
      await deletes[0]!.trigger('click');
      const dialog = wrapper.get('dialog');
      expect(dialog.text()).toContain('The comment and its 2 replies will be removed for everyone.');
      await dialog
        .findAll('button')
        .find((b) => b.text() === 'Delete')!
        .trigger('click');
      await flushPromises();
      expect(commentTexts(wrapper)).toEqual([]);
    });

    it('says when a post takes no comments, and lets its manager turn them back on', async () => {
      host.posts = [makePost(1, { commentsEnabled: false, canManage: true })];
      host.comments = [comment(1)];
      const wrapper = await renderFeed();
      await wrapper.get('button[aria-expanded]').trigger('click');
      await flushPromises();
      expect(wrapper.text()).toContain('Comments are turned off for this post.');
      expect(wrapper.find('textarea').exists()).toBe(false);
      expect(wrapper.findAll('button').some((b) => b.text() === 'Reply')).toBe(false);
      await wrapper
        .findAll('button')
        .find((b) => b.text() === 'Turn on comments')!
        .trigger('click');
      await flushPromises();
      expect(wrapper.find('textarea[aria-label="Write a comment"]').exists()).toBe(true);
      expect(wrapper.findAll('button').some((b) => b.text() === 'Turn off comments')).toBe(true);
    });

    it('opens a search hit in a comment on that comment', async () => {
      host.posts = [makePost(1, { comments: 2 })];
      host.comments = [comment(1), comment(2)];
      host.postHits = [
        {
          postId: makePost(1).id,
          commentId: comment(2).id,
          channelId: plant.id,
          title: 'Meldung 1',
          snippet: `${highlightStart}Kommentar${highlightEnd} 2`,
          publishAt: '2026-11-11T08:00:00.000000Z',
        },
      ];
      const wrapper = await renderFeed();
      await wrapper.get('#feed-search').setValue('Kommentar');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await flushPromises();
      const hit = wrapper.get('.feed__hit');
      expect(hit.text()).toContain('in a comment');
      await hit.trigger('click');
      await flushPromises();
      await flushPromises();
      const focused = wrapper.get('.comment--highlighted');
      expect(focused.text()).toContain('Kommentar 2');
      expect(document.activeElement).toBe(focused.element);
    });
  });

  describe('polls', () => {
    const poll: PostPoll = {
      question: 'Welche Aktionswoche?',
      options: ['Grillwoche', 'Italienische Woche', 'Regionale Küche'],
      multiple: false,
      anonymous: true,
      closesAt: '2099-12-01T12:00:00.000Z',
    };
    const pollPost = (fields: Partial<PostView> = {}) =>
      makePost(1, { poll, pollVotes: [1, 3, 0], pollVoters: 4, ...fields });
    const button = (wrapper: Awaited<ReturnType<typeof renderFeed>>, name: string) =>
      wrapper.findAll('button').find((b) => b.text() === name);

    it('asks a reader who has not voted, and shows the results once the vote is cast', async () => {
      host.posts = [pollPost()];
      const wrapper = await renderFeed();
      const section = wrapper.get('section[aria-labelledby$="-question"]');
      expect(section.get('h3').text()).toBe('Welche Aktionswoche?');
      expect(section.find('[aria-label="Results"]').exists()).toBe(false);
      const radios = section.findAll('input[type="radio"]');
      expect(radios).toHaveLength(3);
      expect(button(wrapper, 'Vote')?.attributes('disabled')).toBeDefined();
      await radios[1]!.setValue(true);
      await section.get('form').trigger('submit');
      await flushPromises();
      expect(host.posts[0]?.votes).toEqual([1]);
      const results = section.get('ul[aria-label="Results"]');
      const lines = results.findAll('li').map((li) => {
        const [name, figures] = li.findAll('.poll__result-line > span').map((span) => span.text());
        return `${name} | ${figures}`;
      });
      expect(lines).toEqual([
        'Grillwoche | 25% · 1 vote',
        'Italienische Woche Your vote | 75% · 3 votes',
        'Regionale Küche | 0% · no votes',
      ]);
      expect(section.text()).toContain('4 people voted');
      expect(section.text()).toContain('anonymous');
      expect(button(wrapper, 'Who voted')).toBeUndefined();

      await button(wrapper, 'Change vote')!.trigger('click');
      expect(section.findAll('input[type="radio"]')[1]?.element).toHaveProperty('checked', true);
      await button(wrapper, 'Cancel')!.trigger('click');
      await button(wrapper, 'Take back vote')!.trigger('click');
      await flushPromises();
      expect(host.posts[0]?.votes).toEqual([]);
      expect(section.findAll('input[type="radio"]')).toHaveLength(3);
    });

    it('takes several options when the poll allows it', async () => {
      host.posts = [pollPost({ poll: { ...poll, multiple: true } })];
      const wrapper = await renderFeed();
      const boxes = wrapper.findAll('section input[type="checkbox"]');
      expect(boxes).toHaveLength(3);
      await boxes[2]!.setValue(true);
      await boxes[0]!.setValue(true);
      await wrapper.get('section form').trigger('submit');
      await flushPromises();
      expect(host.posts[0]?.votes).toEqual([0, 2]);
      expect(wrapper.text()).toContain('several answers possible');
    });

    it('shows a closed poll’s final results and takes no vote', async () => {
      host.posts = [pollPost({ poll: { ...poll, closesAt: '2026-11-01T12:00:00.000Z' } })];
      const wrapper = await renderFeed();
      expect(wrapper.findAll('section input[type="radio"]')).toHaveLength(0);
      expect(wrapper.get('ul[aria-label="Results"]').findAll('li')).toHaveLength(3);
      expect(wrapper.get('section[aria-labelledby$="-question"]').text()).toContain('Closed');
      expect(button(wrapper, 'Change vote')).toBeUndefined();
    });

    it('lets its manager close the poll and see who voted when it is not anonymous', async () => {
      host.posts = [pollPost({ poll: { ...poll, anonymous: false }, canManage: true })];
      host.pollVoters = [
        [{ personId: '01900000-0000-7000-8000-00000000a003', displayName: 'Lena Weber' }],
        [],
        [],
      ];
      const wrapper = await renderFeed();
      await button(wrapper, 'Who voted')!.trigger('click');
      await flushPromises();
      const dialog = wrapper.get('dialog[aria-labelledby="voters-title"]');
      expect(dialog.get('h2').text()).toBe('Who voted: Welche Aktionswoche?');
      expect(dialog.get('ul[aria-label="Grillwoche"]').text()).toBe('Lena Weber');
      await dialog
        .findAll('button')
        .find((b) => b.text() === 'Close')!
        .trigger('click');
      await button(wrapper, 'Close poll')!.trigger('click');
      await flushPromises();
      expect(wrapper.get('section[aria-labelledby$="-question"]').text()).toContain('Closed');
      expect(button(wrapper, 'Close poll')).toBeUndefined();
    });
  });
});
