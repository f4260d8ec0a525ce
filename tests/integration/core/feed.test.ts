/**
 * The newsfeed through the real core against the real server, cache and keychain: an editor
 * publishes to a channel he does not read and follows its reach, an employee receives it live,
 * confirms it offline (the write survives a restart and arrives once), marks posts seen, sees
 * edits and deletions, keeps an author's edit or deletion that has not reached the server over the
 * newer copies sync brings meanwhile, is refused what only editors may do, searches the cache, and
 * keeps a composer draft across a restart. One demo server for the file; each test publishes its
 * own post.
 */
import { highlightEnd, highlightStart } from '@flurfunk/protocol';
import type {
  DataChanged,
  FeedChannel,
  FeedChannelView,
  OutboxEntryView,
  PostComposerDraft,
  PostView,
} from '@flurfunk/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ChaosProxy, startChaosProxy } from '../support/chaos-proxy.js';
import type { DemoServer, TestCore } from '../support/core-harness.js';
import {
  expectError,
  removeTempDirs,
  signIn,
  startDemoServer,
  startTestCore,
  tempDir,
} from '../support/core-harness.js';
import { type User, apply, signInAs } from '../support/chat-support.js';
import {
  type PostSpec,
  channelNamed,
  eventually,
  feed as feedMutation,
  publishPost,
  syncedPost,
} from '../support/feed-support.js';
import { type ApiClient, apiClient } from '../support/server-client.js';

const live = { backoff: { initialMs: 50, maxMs: 400 }, silenceTimeoutMs: 3_000 };
const plantChannelName = 'Standort Werk Gütersloh';
const safetyTitle = 'Sicherheitsunterweisung Halle 2';
const waitMs = 10_000;

let server: DemoServer;
let api: ApiClient;
/** Lena Weber works at the plant and reads its channel; an employee, she may not post. */
let lena: User;
/** Jonas Becker is an editor at head office: he may post in the plant channel but does not read it. */
let jonas: User;
let plant: FeedChannel;
let lenaCore: TestCore;
let jonasCore: TestCore;
const cores: TestCore[] = [];

beforeAll(async () => {
  server = await startDemoServer({ liveHeartbeatMs: 200 });
  api = apiClient(server.url);
  [lena, jonas] = await Promise.all([signInAs(api, 'lena.weber'), signInAs(api, 'jonas.becker')]);
  plant = await channelNamed(api, jonas, plantChannelName);
  [lenaCore, jonasCore] = await Promise.all([coreFor('lena.weber'), coreFor('jonas.becker')]);
});

afterAll(async () => {
  await Promise.all(cores.splice(0).map((test) => test.core.close()));
  await server?.stop();
  await removeTempDirs();
});

async function coreFor(username: string): Promise<TestCore> {
  const test = await startTestCore(await tempDir('core'), { live });
  cores.push(test);
  await signIn(test, server.url, username);
  return test;
}

/** Closes the core and opens it again on the same data dir and keychain, as after quitting the app. */
async function restart(test: TestCore, { online = true } = {}): Promise<TestCore> {
  await test.core.close();
  cores.splice(cores.indexOf(test), 1);
  const next = await startTestCore(test.dataDir, { live });
  cores.push(next);
  // A started session reads the postable channels and announces them; closing it before that logs
  // an error (the answer finds the cache closed). Offline the answer takes seconds (refresh retries).
  if (online)
    await next.waitForEvent('dataChanged', (payload) =>
      (payload as DataChanged).changes.some((change) => change.entity === 'feedChannel'),
    );
  return next;
}

const postOf = (test: TestCore, postId: string) =>
  test.call('getPost', { postId }) as Promise<PostView | null>;
const postsOf = (test: TestCore, channelId?: string) =>
  test.call('listPosts', { ...(channelId ? { channelId } : {}), limit: 100 }) as Promise<PostView[]>;
const outboxOf = (test: TestCore) => test.call('listOutbox') as Promise<OutboxEntryView[]>;
const searchIds = async (test: TestCore, query: string, channelId?: string) =>
  (await test.call('searchPosts', { query, ...(channelId ? { channelId } : {}) })).map((hit) => hit.postId);

async function channelOf(test: TestCore, channelId: string): Promise<FeedChannelView> {
  const channel = (await test.call('listFeedChannels')).find((c) => c.id === channelId);
  if (!channel) throw new Error(`channel ${channelId} is not in the feed`);
  return channel;
}

/** Jonas publishes a post to the plant (through the server), and both cores have it live. */
async function plantPost(spec: Omit<PostSpec, 'channelId'>): Promise<string> {
  const postId = await publishPost(api, jonas, { channelId: plant.id, ...spec });
  await eventually('the post at Lena', async () => (await postOf(lenaCore, postId)) ?? undefined, waitMs);
  await eventually(
    'the post and its reach at Jonas',
    async () => {
      const post = await postOf(jonasCore, postId);
      return post?.reach ? post : undefined;
    },
    waitMs,
  );
  return postId;
}

describe('publishing', () => {
  it("shows an editor's post at once as sending, then sent, and brings it to the plant live as unread", async () => {
    const channels = await eventually(
      "the plant among Jonas's channels",
      async () => {
        const listed = await jonasCore.call('listFeedChannels');
        return listed.some((c) => c.id === plant.id) ? listed : undefined;
      },
      waitMs,
    );
    expect(channels.find((c) => c.id === plant.id)).toMatchObject({ name: plantChannelName, canPost: true });
    const unreadBefore = (await channelOf(lenaCore, plant.id)).unread;

    const draft = {
      channelId: plant.id,
      title: 'Tor 3 ab Montag gesperrt',
      body: 'Wegen Bauarbeiten ist die Zufahrt über Tor 3 ab Montag gesperrt. Bitte nutzen Sie Tor 1.',
      requiresConfirmation: true,
    };
    const published = await jonasCore.call('publishPost', draft);
    // No macrotask has run since the write: the server cannot have acknowledged it yet.
    const listedAtOnce = (await postsOf(jonasCore)).find((p) => p.id === published.id);
    expect(published).toMatchObject({
      ...draft,
      authorId: jonas.id,
      published: true,
      canManage: true,
      delivery: 'pending',
    });
    expect(listedAtOnce).toMatchObject({ title: draft.title, delivery: 'pending' });
    expect(listedAtOnce?.outboxId).not.toBeNull();

    const sent = await eventually(
      "Jonas's post synced",
      async () => {
        const post = await postOf(jonasCore, published.id);
        return post?.delivery === 'synced' && post.reach ? post : undefined;
      },
      waitMs,
    );
    expect(sent).toMatchObject({ title: draft.title, body: draft.body, outboxId: null });
    expect(sent.reach).toMatchObject({ seen: 0, confirmed: 0 });
    expect(sent.reach?.audience).toBeGreaterThan(1);
    expect(await outboxOf(jonasCore)).toEqual([]);
    // He has it as its author only: he does not read the plant's channel.
    expect(await syncedPost(api, jonas, published.id, 'authoredPost')).toMatchObject({ title: draft.title });
    expect(await syncedPost(api, jonas, published.id, 'post')).toBeUndefined();

    // Lena's core pulls on the live socket's notice: nobody calls syncNow.
    const received = await eventually(
      'the post at Lena',
      async () => (await postsOf(lenaCore, plant.id)).find((p) => p.id === published.id),
      waitMs,
    );
    expect(received).toMatchObject({
      title: draft.title,
      body: draft.body,
      authorId: jonas.id,
      requiresConfirmation: true,
      seenAt: null,
      confirmedAt: null,
      reach: null,
      canManage: false,
      delivery: 'synced',
    });
    expect((await channelOf(lenaCore, plant.id)).unread).toBe(unreadBefore + 1);
  });
});

describe('read confirmations', () => {
  it('keeps a confirmation given offline across a restart and delivers it once when the server is back', async () => {
    const postId = await plantPost({
      title: 'Brandschutzübung am Donnerstag',
      body: 'Am Donnerstag um 10 Uhr findet eine Brandschutzübung statt. Bitte verlassen Sie das Gebäude zügig.',
      requiresConfirmation: true,
    });
    expect((await postOf(jonasCore, postId))?.reach).toMatchObject({ confirmed: 0 });

    await server.stop();
    const confirmed = await lenaCore.call('confirmPost', { postId });
    expect(confirmed).toMatchObject({ id: postId, delivery: 'pending' });
    expect(confirmed.confirmedAt).not.toBeNull();
    expect(confirmed.seenAt).not.toBeNull();
    expect(await postOf(lenaCore, postId)).toMatchObject({
      confirmedAt: confirmed.confirmedAt,
      delivery: 'pending',
    });
    const waiting = await eventually(
      'a failed attempt to send the confirmation',
      async () => {
        const entries = await outboxOf(lenaCore);
        return entries.length === 1 && entries[0]!.attempts > 0 ? entries[0] : undefined;
      },
      waitMs,
    );
    expect(waiting).toMatchObject({ type: 'feed.confirmPost', entityId: postId, state: 'pending' });

    lenaCore = await restart(lenaCore, { online: false });
    expect(await postOf(lenaCore, postId)).toMatchObject({
      confirmedAt: confirmed.confirmedAt,
      delivery: 'pending',
    });
    expect(await outboxOf(lenaCore)).toMatchObject([
      { id: waiting.id, type: 'feed.confirmPost', entityId: postId },
    ]);

    await server.start();
    const delivered = await eventually(
      'the confirmation delivered',
      async () => {
        const post = await postOf(lenaCore, postId);
        return post?.delivery === 'synced' && (await outboxOf(lenaCore)).length === 0 ? post : undefined;
      },
      waitMs,
    );
    expect(delivered.confirmedAt).not.toBeNull();
    expect(delivered.outboxId).toBeNull();

    const reach = await eventually(
      'the confirmation in the reach at Jonas',
      async () => {
        const post = await postOf(jonasCore, postId);
        return post?.reach?.confirmed === 1 ? post.reach : undefined;
      },
      waitMs,
    );
    expect(reach).toMatchObject({ seen: 1, confirmed: 1 });
    const names = await jonasCore.call('getPostConfirmations', { postId });
    expect(names.confirmed).toEqual([
      { personId: lena.id, displayName: 'Lena Weber', confirmedAt: expect.any(String) },
    ]);
    expect(names.pending.map((p) => p.personId)).not.toContain(lena.id);
    expect(names.pending).toHaveLength(reach.audience - 1);
  });
});

describe('seen marks', () => {
  it("lowers the reader's unread count at once and raises the author's reach after sync", async () => {
    const postId = await plantPost({
      title: 'Grillwoche in der Kantine',
      body: 'Von Montag bis Freitag gibt es mittags Gegrilltes auf der Terrasse.',
    });
    const unreadBefore = (await channelOf(lenaCore, plant.id)).unread;
    const seenBefore = (await postOf(jonasCore, postId))?.reach?.seen;
    expect(seenBefore).toBe(0);

    await lenaCore.call('markPostsSeen', { postIds: [postId] });
    expect((await channelOf(lenaCore, plant.id)).unread).toBe(unreadBefore - 1);
    expect((await postOf(lenaCore, postId))?.seenAt).not.toBeNull();

    await expect
      .poll(async () => (await postOf(jonasCore, postId))?.reach?.seen, { timeout: waitMs, interval: 50 })
      .toBe(1);
    // Once the server has the mark and Lena's core has pulled it back, the post stays seen.
    await expect.poll(() => outboxOf(lenaCore), { timeout: waitMs, interval: 50 }).toEqual([]);
    expect((await channelOf(lenaCore, plant.id)).unread).toBe(unreadBefore - 1);
    expect((await postOf(lenaCore, postId))?.seenAt).not.toBeNull();
  });
});

describe('edits and deletions', () => {
  it("brings an editor's edit to the reader, and takes a deleted post out of both feeds and searches", async () => {
    const postId = await plantPost({
      title: 'Parkplatz Nord',
      body: 'Der Parkplatz Nord wird am Samstag gekehrt.',
    });
    expect(await searchIds(lenaCore, 'gekehrt')).toContain(postId);

    const edited = await jonasCore.call('editPost', {
      postId,
      title: 'Parkplatz Nord gesperrt',
      body: 'Der Parkplatz Nord wird am Samstag asphaltiert.',
    });
    expect(edited).toMatchObject({ title: 'Parkplatz Nord gesperrt', delivery: 'pending' });
    expect(edited.editedAt).not.toBeNull();

    const atLena = await eventually(
      'the edit at Lena',
      async () => {
        const post = await postOf(lenaCore, postId);
        return post?.title === 'Parkplatz Nord gesperrt' ? post : undefined;
      },
      waitMs,
    );
    expect(atLena.body).toBe('Der Parkplatz Nord wird am Samstag asphaltiert.');
    expect(atLena.editedAt).not.toBeNull();
    expect(await searchIds(lenaCore, 'asphaltiert')).toContain(postId);
    expect(await searchIds(lenaCore, 'gekehrt')).not.toContain(postId);
    await expect.poll(() => outboxOf(jonasCore), { timeout: waitMs, interval: 50 }).toEqual([]);
    expect(await postOf(jonasCore, postId)).toMatchObject({
      title: 'Parkplatz Nord gesperrt',
      delivery: 'synced',
    });
    // The replaced text stays on the server, for those who may manage the post only.
    const history = await jonasCore.call('getPostRevisions', { postId });
    expect(
      history.revisions.map(({ title, body, editedBy }) => ({ title, body, by: editedBy.displayName })),
    ).toEqual([
      { title: 'Parkplatz Nord', body: 'Der Parkplatz Nord wird am Samstag gekehrt.', by: 'Jonas Becker' },
    ]);
    await expectError(lenaCore.callRaw('getPostRevisions', { postId }), 'forbidden');

    expect(await jonasCore.call('deletePost', { postId })).toBeNull();
    expect(await postOf(jonasCore, postId)).toBeNull();
    await expect.poll(() => postOf(lenaCore, postId), { timeout: waitMs, interval: 50 }).toBeNull();
    expect((await postsOf(lenaCore)).map((p) => p.id)).not.toContain(postId);
    expect(await searchIds(lenaCore, 'asphaltiert')).not.toContain(postId);
    // Once the server has the deletion and Jonas's core has pulled, it does not come back.
    await expect.poll(() => outboxOf(jonasCore), { timeout: waitMs, interval: 50 }).toEqual([]);
    expect(await postOf(jonasCore, postId)).toBeNull();
    expect(await searchIds(jonasCore, 'asphaltiert')).not.toContain(postId);
  });
});

describe("an author's writes that have not reached the server", () => {
  const mutations = 'POST /api/v1/mutations';
  let proxy: ChaosProxy;
  /**
   * Jonas on a second device, behind a proxy that can cut off his mutation batches only: sync and
   * the live socket pass. He gets his plant posts only as their author (`authoredPost`).
   */
  let jonasAway: TestCore;

  beforeAll(async () => {
    proxy = await startChaosProxy(server.url, Math.random);
    jonasAway = await startTestCore(await tempDir('core'), { live });
    await signIn(jonasAway, proxy.url, 'jonas.becker');
  });

  // A failed test leaves nothing held back for the next one.
  afterEach(async () => {
    proxy.blockedRoutes.clear();
    await jonasAway.call('syncNow');
    await expect.poll(() => outboxOf(jonasAway), { timeout: waitMs, interval: 50 }).toEqual([]);
  });

  afterAll(async () => {
    await jonasAway?.core.close();
    await proxy?.close();
  });

  /** Jonas publishes a post to the plant through the server, and his second device has it. */
  async function postAway(spec: Omit<PostSpec, 'channelId'>): Promise<string> {
    const postId = await publishPost(api, jonas, { channelId: plant.id, ...spec });
    await eventually(
      'the post on the second device',
      async () => (await postOf(jonasAway, postId)) ?? undefined,
      waitMs,
    );
    return postId;
  }

  /** The one queued write to the post once sending it has failed at least once. */
  const failedToSend = (postId: string) =>
    eventually(
      'a failed attempt to send the write',
      async () => {
        const entries = await outboxOf(jonasAway);
        return entries.length === 1 && entries[0]!.entityId === postId && entries[0]!.attempts > 0
          ? entries[0]
          : undefined;
      },
      waitMs,
    );

  it('shows his pending edit over an older copy a pin brings, and delivers it once the mutations get through', async () => {
    const postId = await postAway({
      title: 'Kantine Freitag',
      body: 'Die Kantine hat am Freitag normal geöffnet.',
    });
    expect(await syncedPost(api, jonas, postId, 'post')).toBeUndefined();
    const edit = { title: 'Kantine Freitag geschlossen', body: 'Die Kantine bleibt am Freitag geschlossen.' };

    proxy.blockedRoutes.add(mutations);
    const blockedBefore = proxy.stats.blockedRequests;
    expect(await jonasAway.call('editPost', { postId, ...edit })).toMatchObject({
      ...edit,
      delivery: 'pending',
    });
    const waiting = await failedToSend(postId);
    expect(waiting).toMatchObject({ type: 'feed.editPost', state: 'pending' });
    expect(proxy.stats.blockedRequests).toBeGreaterThan(blockedBefore);

    // Another device pins the post: the server's copy, pinned but with the old text, comes by sync.
    await apply(api, jonas, feedMutation.pinPost(postId, true));
    expect(await syncedPost(api, jonas, postId, 'authoredPost')).toMatchObject({
      title: 'Kantine Freitag',
      pinned: true,
    });
    const pinned = await eventually(
      'the pin on the second device',
      async () => {
        const post = await postOf(jonasAway, postId);
        return post?.pinned ? post : undefined;
      },
      waitMs,
    );
    expect(pinned).toMatchObject({ ...edit, pinned: true, delivery: 'pending', outboxId: waiting.id });
    expect(await outboxOf(jonasAway)).toMatchObject([{ id: waiting.id, type: 'feed.editPost' }]);

    proxy.blockedRoutes.delete(mutations);
    await jonasAway.call('syncNow');
    const delivered = await eventually(
      'the edit delivered',
      async () => {
        const post = await postOf(jonasAway, postId);
        return post?.delivery === 'synced' && (await outboxOf(jonasAway)).length === 0 ? post : undefined;
      },
      waitMs,
    );
    expect(delivered).toMatchObject({ ...edit, pinned: true, outboxId: null });
    expect(await syncedPost(api, jonas, postId, 'authoredPost')).toMatchObject({ ...edit, pinned: true });
    // The other device gets the edit too, and the second device keeps it after further pulls.
    await expect
      .poll(async () => (await postOf(jonasCore, postId))?.title, { timeout: waitMs, interval: 50 })
      .toBe(edit.title);
    await jonasAway.call('syncNow');
    expect(await postOf(jonasAway, postId)).toMatchObject({ ...edit, pinned: true, delivery: 'synced' });
    expect(await outboxOf(jonasAway)).toEqual([]);
  });

  it('keeps a post he deleted gone while newer copies of it are synced, until the deletion gets through', async () => {
    const postId = await postAway({
      title: 'Betriebsausflug',
      body: 'Der Betriebsausflug führt in diesem Jahr an den Möhnesee.',
    });

    proxy.blockedRoutes.add(mutations);
    expect(await jonasAway.call('deletePost', { postId })).toBeNull();
    expect(await postOf(jonasAway, postId)).toBeNull();
    const waiting = await failedToSend(postId);
    expect(waiting).toMatchObject({ type: 'feed.deletePost', state: 'pending' });

    // Another device pins and unpins the post: two newer copies of it on the server.
    await apply(api, jonas, feedMutation.pinPost(postId, true));
    await apply(api, jonas, feedMutation.pinPost(postId, false));
    // Sync goes in order: once a post published after them has arrived, so have the pin and unpin.
    const later = await postAway({ title: 'Parkplatz Süd', body: 'Der Parkplatz Süd ist wieder frei.' });
    expect(await postOf(jonasAway, later)).not.toBeNull();
    expect(await postOf(jonasAway, postId)).toBeNull();
    expect((await postsOf(jonasAway)).map((p) => p.id)).not.toContain(postId);
    expect(await outboxOf(jonasAway)).toMatchObject([{ id: waiting.id, type: 'feed.deletePost' }]);
    expect(await syncedPost(api, jonas, postId, 'authoredPost')).toMatchObject({ pinned: false });

    proxy.blockedRoutes.delete(mutations);
    await jonasAway.call('syncNow');
    await expect.poll(() => outboxOf(jonasAway), { timeout: waitMs, interval: 50 }).toEqual([]);
    expect(await syncedPost(api, jonas, postId, 'authoredPost')).toBeUndefined();
    await jonasAway.call('syncNow');
    expect(await postOf(jonasAway, postId)).toBeNull();
    expect(await postOf(jonasAway, later)).not.toBeNull();
  });
});

describe('permissions', () => {
  it('refuses an employee what only editors may do, and queues nothing', async () => {
    const before = (await postsOf(lenaCore)).map((p) => p.id);
    expect(await outboxOf(lenaCore)).toEqual([]);
    expect(await channelOf(lenaCore, plant.id)).toMatchObject({ canPost: false });

    await expectError(
      lenaCore.callRaw('publishPost', { channelId: plant.id, title: 'Von Lena', body: 'Darf ich das?' }),
      'forbidden',
    );
    const safety = (await postsOf(lenaCore, plant.id)).find((p) => p.title === safetyTitle);
    if (!safety) throw new Error('the safety briefing is not in Lena’s feed');
    expect(safety.canManage).toBe(false);
    await expectError(
      lenaCore.callRaw('editPost', { postId: safety.id, title: 'Geändert', body: 'Von Lena geändert' }),
      'forbidden',
    );
    expect(await outboxOf(lenaCore)).toEqual([]);
    expect((await postsOf(lenaCore)).map((p) => p.id)).toEqual(before);
    expect((await postOf(lenaCore, safety.id))?.title).toBe(safetyTitle);

    // Who confirmed is for those who manage the post: the server answers 403.
    await expectError(lenaCore.callRaw('getPostConfirmations', { postId: safety.id }), 'forbidden');
  });
});

describe('search', () => {
  it('finds the safety briefing by a word of its body, with the match marked', async () => {
    const safety = (await postsOf(lenaCore, plant.id)).find((p) => p.title === safetyTitle);
    if (!safety) throw new Error('the safety briefing is not in Lena’s feed');
    for (const query of ['gehörschutz', 'Gehorschutz']) {
      const hit = (await lenaCore.call('searchPosts', { query })).find((h) => h.postId === safety.id);
      expect(hit, query).toMatchObject({ channelId: plant.id, title: safetyTitle });
      expect(hit?.snippet, query).toContain(`${highlightStart}Gehörschutz${highlightEnd}`);
    }
    expect(await searchIds(lenaCore, 'Gehörschutz', plant.id)).toContain(safety.id);
  });
});

describe('the composer draft', () => {
  it('keeps a draft across a restart of the core until it is cleared', async () => {
    expect(await jonasCore.call('getPostDraft')).toBeNull();
    const draft: PostComposerDraft = {
      channelId: plant.id,
      title: 'Betriebsversammlung',
      body: 'Die nächste Betriebsversammlung findet am **12. Mai** statt.',
      requiresConfirmation: false,
      commentsEnabled: true,
      pinned: true,
      publishAt: null,
      poll: null,
      attachments: [],
      event: { startsAt: '2027-05-12T08:00', endsAt: '', place: 'Halle 2' },
    };
    expect(await jonasCore.call('savePostDraft', { draft })).toBeNull();

    jonasCore = await restart(jonasCore);
    expect(await jonasCore.call('getPostDraft')).toEqual(draft);

    await jonasCore.call('savePostDraft', { draft: null });
    expect(await jonasCore.call('getPostDraft')).toBeNull();
    jonasCore = await restart(jonasCore);
    expect(await jonasCore.call('getPostDraft')).toBeNull();
  });
});
