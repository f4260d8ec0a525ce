import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type {
  Attendance,
  FeedChannelView,
  FeedPosition,
  PostSearchHit,
  PostView,
  Reaction,
} from '@flurfunk/protocol';
import { ApiError, call, onEvent, onReconnected } from '@/api/index.js';

/** What a feed is made of: a change to any of them can change what the feed shows. */
const feedEntities = new Set([
  'feedChannel',
  'feedChannelSettings',
  'postStats',
  'post',
  'authoredPost',
  'postState',
  'postReach',
  'postComment',
  'authoredPostComment',
  'outboxEntry',
]);

export const feedPageSize = 30;
const maxPostsPerCall = 100;

const positionOf = (post: PostView): FeedPosition => ({
  pinned: post.pinned,
  publishAt: post.publishAt,
  id: post.id,
});

/**
 * The newsfeed as the screen sees it: the channels, the posts of the open view (all channels or
 * one) loaded so far, and a search. Posts that arrive while the reader is further down are held
 * back behind a "new posts" pill instead of pushing the list away under them.
 */
export const useFeedStore = defineStore('feed', () => {
  const channels = shallowRef<readonly FeedChannelView[]>([]);
  const channelId = ref<string | null>(null);
  const posts = shallowRef<readonly PostView[]>([]);
  /** Posts that arrived live while the reader was not at the top. */
  const arrived = shallowRef<readonly PostView[]>([]);
  const hasMore = ref(true);
  const loading = ref(false);
  const error = ref<ApiError | null>(null);
  const query = ref('');
  const hits = shallowRef<readonly PostSearchHit[]>([]);
  /** Whether the reader sees the top of the list: then new posts go straight in. */
  const atTop = ref(true);
  /** Bumped whenever earlier answers become stale (another channel, signed out). */
  let generation = 0;

  const unreadTotal = computed(() =>
    channels.value.reduce((sum, channel) => sum + (channel.following ? channel.unread : 0), 0),
  );
  const postableChannels = computed(() => channels.value.filter((channel) => channel.canPost));
  const channel = computed(() => channels.value.find((c) => c.id === channelId.value) ?? null);

  function fail(cause: unknown): void {
    error.value =
      cause instanceof ApiError ? cause : new ApiError({ code: 'internal', message: String(cause) });
  }

  async function loadChannels(): Promise<void> {
    try {
      channels.value = await call('listFeedChannels', {});
    } catch (cause) {
      fail(cause);
    }
  }

  /** The first `count` posts of the open view, read again. */
  async function readFirst(count: number): Promise<{ list: PostView[]; more: boolean }> {
    const list: PostView[] = [];
    let after: FeedPosition | undefined;
    for (;;) {
      const limit = Math.min(maxPostsPerCall, count - list.length);
      const page = await call('listPosts', {
        ...(channelId.value === null ? {} : { channelId: channelId.value }),
        ...(after ? { after } : {}),
        limit,
      });
      list.push(...page);
      const last = page.at(-1);
      if (page.length < limit || !last) return { list, more: false };
      if (list.length >= count) return { list, more: true };
      after = positionOf(last);
    }
  }

  /** Opens the feed of all channels (null) or of one. */
  async function open(id: string | null): Promise<void> {
    generation += 1;
    const started = generation;
    channelId.value = id;
    posts.value = [];
    arrived.value = [];
    hasMore.value = true;
    atTop.value = true;
    loading.value = true;
    try {
      // The channels' unread counts come on their own: the posts never wait for them.
      void loadChannels();
      const first = await readFirst(feedPageSize);
      if (started !== generation) return;
      posts.value = first.list;
      hasMore.value = first.more;
      error.value = null;
    } catch (cause) {
      if (started === generation) fail(cause);
    } finally {
      if (started === generation) loading.value = false;
    }
  }

  async function loadMore(): Promise<void> {
    const last = posts.value.at(-1);
    if (loading.value || !hasMore.value || !last) return;
    const started = generation;
    loading.value = true;
    try {
      const page = await call('listPosts', {
        ...(channelId.value === null ? {} : { channelId: channelId.value }),
        after: positionOf(last),
        limit: feedPageSize,
      });
      if (started !== generation) return;
      const known = new Set(posts.value.map((post) => post.id));
      posts.value = [...posts.value, ...page.filter((post) => !known.has(post.id))];
      hasMore.value = page.length === feedPageSize;
    } catch (cause) {
      if (started === generation) fail(cause);
    } finally {
      if (started === generation) loading.value = false;
    }
  }

  /**
   * Reads what the list shows again after a change. Posts newer than the newest shown that
   * arrive while the reader is further down wait behind the pill.
   */
  async function refresh(): Promise<void> {
    const started = generation;
    try {
      const shown = new Set([...posts.value, ...arrived.value].map((post) => post.id));
      const newestShown = posts.value.find((post) => !post.pinned)?.publishAt ?? '';
      const fresh = await readFirst(Math.max(feedPageSize, posts.value.length));
      if (started !== generation) return;
      const isArrival = (post: PostView) =>
        !shown.has(post.id) && !post.pinned && post.publishAt > newestShown;
      const arrivals = atTop.value || posts.value.length === 0 ? [] : fresh.list.filter(isArrival);
      const held = new Set(arrivals.map((post) => post.id));
      posts.value = fresh.list.filter((post) => !held.has(post.id));
      arrived.value = [
        ...arrived.value.filter((post) => fresh.list.some((f) => f.id === post.id) && !held.has(post.id)),
        ...arrivals,
      ];
      hasMore.value = fresh.more;
      error.value = null;
    } catch (cause) {
      if (started === generation) fail(cause);
    }
  }

  /** The pill: shows the posts that arrived, from the top. */
  async function showArrived(): Promise<void> {
    arrived.value = [];
    atTop.value = true;
    await refresh();
  }

  async function search(text: string): Promise<void> {
    query.value = text;
    if (text.trim() === '') {
      hits.value = [];
      return;
    }
    try {
      const found = await call('searchPosts', {
        query: text,
        ...(channelId.value === null ? {} : { channelId: channelId.value }),
        limit: 50,
      });
      if (query.value === text) hits.value = found;
    } catch (cause) {
      fail(cause);
    }
  }

  /** Replaces one post in the list with what a write returned, without waiting for the change event. */
  function replace(updated: PostView): void {
    posts.value = posts.value.map((post) => (post.id === updated.id ? updated : post));
  }

  async function confirm(postId: string): Promise<void> {
    replace(await call('confirmPost', { postId }));
  }

  async function react(postId: string, reaction: Reaction | null): Promise<void> {
    replace(await call('reactToPost', { postId, reaction }));
  }

  async function answerEvent(postId: string, attendance: Attendance | null): Promise<void> {
    replace(await call('answerEvent', { postId, attendance }));
  }

  async function vote(postId: string, options: number[]): Promise<void> {
    replace(await call('vote', { postId, options }));
  }

  async function follow(id: string, following: boolean): Promise<void> {
    channels.value = await call('followChannel', { channelId: id, following });
    await refresh();
  }

  async function markSeen(postIds: readonly string[]): Promise<void> {
    const unseen = postIds.filter((id) => posts.value.find((post) => post.id === id)?.seenAt === null);
    if (unseen.length > 0) await call('markPostsSeen', { postIds: unseen });
  }

  /** Follows the core's changes while the feed is on screen; returns the unsubscribe function. */
  function listen(): () => void {
    const stops = [
      onEvent('dataChanged', ({ changes }) => {
        if (!changes.some((change) => feedEntities.has(change.entity))) return;
        void refresh();
        if (query.value.trim() !== '') void search(query.value);
      }),
      onReconnected(() => void refresh()),
    ];
    return () => stops.forEach((stop) => stop());
  }

  /** Keeps the channels' unread counts current for the navigation; returns the unsubscribe function. */
  function followUnread(): () => void {
    void loadChannels();
    const stops = [
      onEvent('dataChanged', ({ changes }) => {
        if (changes.some((change) => feedEntities.has(change.entity))) void loadChannels();
      }),
      onReconnected(() => void loadChannels()),
    ];
    return () => stops.forEach((stop) => stop());
  }

  function reset(): void {
    generation += 1;
    channels.value = [];
    posts.value = [];
    arrived.value = [];
    hits.value = [];
    query.value = '';
    channelId.value = null;
    error.value = null;
  }

  return {
    channels,
    channelId,
    channel,
    posts,
    arrived,
    hasMore,
    loading,
    error,
    query,
    hits,
    atTop,
    unreadTotal,
    postableChannels,
    loadChannels,
    open,
    loadMore,
    refresh,
    showArrived,
    search,
    replace,
    confirm,
    react,
    answerEvent,
    vote,
    follow,
    markSeen,
    listen,
    followUnread,
    reset,
  };
});
