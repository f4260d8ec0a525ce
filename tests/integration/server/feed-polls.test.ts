/**
 * Polls in newsfeed posts on the server: how a poll is published, how readers vote (single or
 * several options, changing and taking back a vote), the live counts every reader gets, closing
 * time and closing early, and who may see the voters' names, through the real server over loopback.
 */
import { ErrorBody, type FeedChannel, type PostPoll, PollVoters } from '@flurfunk/protocol';
import { beforeAll, expect, it } from 'vitest';
import { generateDemoFeed } from '../../../server/src/demo/feed-seed.js';
import { defaultDemoSize, generateDemoCompany } from '../../../server/src/demo/generate.js';
import { describeEachStorage } from '../support/server-backends.js';
import { type ApiClient, apiClient } from '../support/server-client.js';
import { type User, apply, mutate, syncAll } from '../support/chat-support.js';
import {
  feed,
  pollVoters,
  publishPost,
  signInFeedCast,
  syncedPost,
  upsertOf,
  rejection as refusal,
} from '../support/feed-support.js';

const lunch: PostPoll = {
  question: 'Wohin zum Teamessen?',
  options: ['Pizzeria', 'Biergarten', 'Kantine'],
  multiple: false,
  anonymous: false,
  closesAt: null,
};

describeEachStorage('newsfeed polls', (backend) => {
  let api: ApiClient;
  let lena: User;
  let jonas: User;
  let admin: User;
  let colleague: User;
  let plantChannel: FeedChannel;

  const rejection = (user: User, mutation: Parameters<typeof apply>[2]) => refusal(api, user, mutation);
  const statsOf = async (user: User, postId: string) =>
    upsertOf((await syncAll(api, user, { snapshot: true })).changes, 'postStats.upsert', postId).data;
  const ownVotes = async (user: User, postId: string) =>
    upsertOf((await syncAll(api, user, { snapshot: true })).changes, 'postState.upsert', postId).data.votes;
  const voters = (user: User, postId: string) => pollVoters(api, user, postId);

  beforeAll(async () => {
    const server = await backend.start({ demo: true });
    api = apiClient(server.url);
    ({ lena, jonas, admin, colleague, plantChannel } = await signInFeedCast(api));
  });

  it('gives the plant the canteen’s anonymous poll with the votes so far', async () => {
    const demo = generateDemoFeed(generateDemoCompany(defaultDemoSize));
    const [poll] = demo.polls;
    if (!poll) throw new Error('the demo feed asks no poll');
    const post = await syncedPost(api, lena, poll.postId);
    expect(post?.poll).toMatchObject({ question: poll.question, options: poll.options, anonymous: true });
    expect(Date.parse(post?.poll?.closesAt ?? '')).toBeGreaterThan(Date.now());
    const counts = poll.options.map((_, i) => demo.votes.filter((v) => v.option === i).length);
    expect(await statsOf(lena, poll.postId)).toMatchObject({ votes: counts, voters: demo.votes.length });
    expect(demo.votes.length).toBeGreaterThan(0);
  });

  it('counts votes live for every reader, lets a reader change and take back theirs, and keeps them to one for a single choice', async () => {
    const postId = await publishPost(api, jonas, {
      channelId: plantChannel.id,
      title: 'Teamessen',
      poll: lunch,
    });
    expect((await syncedPost(api, lena, postId))?.poll).toEqual(lunch);
    expect(await statsOf(lena, postId)).toMatchObject({ votes: [0, 0, 0], voters: 0 });

    await apply(api, lena, feed.vote(postId, [1]));
    await apply(api, colleague, feed.vote(postId, [1]));
    expect(await statsOf(colleague, postId)).toMatchObject({ votes: [0, 2, 0], voters: 2 });
    expect(await ownVotes(lena, postId)).toEqual([1]);

    const before = await syncAll(api, colleague);
    await apply(api, lena, feed.vote(postId, [2]));
    const live = upsertOf(
      (await syncAll(api, colleague, { after: before.cursor })).changes,
      'postStats.upsert',
      postId,
    );
    expect(live.data).toMatchObject({ votes: [0, 1, 1], voters: 2 });
    expect((await apply(api, lena, feed.vote(postId, [2]))).seq).toBeNull();
    // Jonas does not read the plant: his reach carries the counts for him.
    const reach = upsertOf(
      (await syncAll(api, jonas, { snapshot: true })).changes,
      'postReach.upsert',
      postId,
    );
    expect(reach.data).toMatchObject({ votes: [0, 1, 1], voters: 2 });

    expect(await rejection(lena, feed.vote(postId, [0, 1]))).toBe('invalid');
    expect(await rejection(lena, feed.vote(postId, [3]))).toBe('invalid');
    expect(await rejection(lena, feed.vote(postId, [1, 1]))).toBe('invalid');
    expect(await rejection(admin, feed.vote(postId, [0]))).toBe('not_found');

    await apply(api, lena, feed.vote(postId, []));
    expect(await ownVotes(lena, postId)).toEqual([]);
    expect(await statsOf(lena, postId)).toMatchObject({ votes: [0, 1, 0], voters: 1 });
  });

  it('takes several options in a multiple-choice poll', async () => {
    const postId = await publishPost(api, jonas, {
      channelId: plantChannel.id,
      title: 'Schulungen 2027',
      poll: { ...lunch, question: 'Welche Schulungen interessieren Sie?', multiple: true },
    });
    await apply(api, lena, feed.vote(postId, [2, 0]));
    await apply(api, colleague, feed.vote(postId, [0]));
    expect(await ownVotes(lena, postId)).toEqual([0, 2]);
    expect(await statsOf(lena, postId)).toMatchObject({ votes: [2, 0, 1], voters: 2 });
  });

  it('refuses votes once the poll is closed, by its time or by its author', async () => {
    // Long enough ahead for a busy machine to publish and vote before it closes.
    const closing = Date.now() + 4000;
    const soon = new Date(closing).toISOString();
    const timed = await publishPost(api, jonas, {
      channelId: plantChannel.id,
      title: 'Kurz',
      poll: { ...lunch, closesAt: soon },
    });
    await apply(api, lena, feed.vote(timed, [0]));
    await new Promise((resolve) => setTimeout(resolve, closing - Date.now() + 100));
    expect(await rejection(colleague, feed.vote(timed, [0]))).toBe('forbidden');
    expect(await rejection(lena, feed.vote(timed, []))).toBe('forbidden');
    expect(await statsOf(lena, timed)).toMatchObject({ votes: [1, 0, 0], voters: 1 });

    const open = await publishPost(api, jonas, { channelId: plantChannel.id, title: 'Offen', poll: lunch });
    expect(await rejection(lena, feed.closePoll(open))).toBe('forbidden');
    await apply(api, jonas, feed.closePoll(open));
    const closedAt = (await syncedPost(api, lena, open))?.poll?.closesAt;
    expect(Date.parse(closedAt ?? '')).toBeLessThanOrEqual(Date.now());
    expect(await rejection(lena, feed.vote(open, [0]))).toBe('forbidden');
    expect((await apply(api, jonas, feed.closePoll(open))).seq).toBeNull();
  });

  it('refuses malformed polls and a closing time before publishing, writing nothing', async () => {
    const bad: unknown[] = [
      { ...lunch, options: ['Nur eine'] },
      { ...lunch, options: ['Pizza', 'pizza'] },
      { ...lunch, options: Array.from({ length: 11 }, (_, i) => `Option ${i}`) },
      { ...lunch, question: ' ' },
      { ...lunch, options: ['Pizza', ''] },
      { ...lunch, closesAt: new Date(Date.now() - 60_000).toISOString() },
    ];
    for (const poll of bad) {
      const mutation = feed.publishPost({ channelId: plantChannel.id, title: 'Kaputt' });
      const [result] = await mutate(api, jonas, [{ ...mutation, args: { ...mutation.args, poll } }]);
      expect(result, JSON.stringify(poll)).toMatchObject({ status: 'rejected', code: 'invalid' });
    }
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = feed.publishPost({
      channelId: plantChannel.id,
      title: 'Später',
      publishAt: later,
      poll: { ...lunch, closesAt: new Date(Date.now() + 60_000).toISOString() },
    });
    expect((await mutate(api, jonas, [scheduled]))[0]).toMatchObject({ status: 'rejected', code: 'invalid' });
    const titles = (await syncAll(api, jonas, { snapshot: true })).changes.flatMap((c) =>
      c.type === 'authoredPost.upsert' ? [c.data.title] : [],
    );
    expect(titles).not.toContain('Kaputt');
    expect(titles).not.toContain('Später');
  });

  it('names the voters of a poll that is not anonymous to those who manage the post only', async () => {
    const postId = await publishPost(api, jonas, {
      channelId: plantChannel.id,
      title: 'Namentlich',
      poll: lunch,
    });
    await apply(api, lena, feed.vote(postId, [0]));
    await apply(api, colleague, feed.vote(postId, [2]));
    const response = await voters(jonas, postId);
    expect(response.status).toBe(200);
    const { options } = PollVoters.parse(response.body);
    expect(options.map((people) => people.map((p) => p.personId))).toEqual([[lena.id], [], [colleague.id]]);
    expect((await voters(lena, postId)).status).toBe(403);
    expect((await voters(admin, postId)).status).toBe(404);

    const secret = await publishPost(api, jonas, {
      channelId: plantChannel.id,
      title: 'Geheim',
      poll: { ...lunch, anonymous: true },
    });
    const refused = await voters(jonas, secret);
    expect(`${refused.status} ${ErrorBody.parse(refused.body).error.code}`).toBe('400 bad_request');
  });
});
