/**
 * The newsfeed on the server: who may post where, who receives a post (by sync, never beyond its
 * audience), edits with their history, deletes, pins, scheduled publishing, read confirmations
 * with reminders, reactions, events with their answers, and reach, all through the real server over
 * loopback.
 */
import {
  DirectoryPage,
  ErrorBody,
  type FeedChannel,
  type Person,
  PostConfirmations,
  PostRevisions,
  scopeKey,
} from '@flurfunk/protocol';
import { v7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoFeed } from '../../../server/src/demo/feed-seed.js';
import { defaultDemoSize, generateDemoCompany } from '../../../server/src/demo/generate.js';
import { describeEachStorage } from '../support/server-backends.js';
import { type ApiClient, apiClient } from '../support/server-client.js';
import {
  type Company,
  type User,
  apply,
  describeChanges,
  mutate,
  openLive,
  readCompany,
  signInAs,
  syncAll,
} from '../support/chat-support.js';
import {
  channelNamed,
  confirmations,
  eventually,
  feed,
  postCopies,
  postableChannels,
  publishPost,
  putFeedChannel,
  putFeedChannelRequest,
  revisions,
  syncedPost,
  upsertOf,
  rejection as refusal,
} from '../support/feed-support.js';

/** How many gave each value; a value nobody gave is missing, as in `PostStats`. */
function countsOf<T extends string>(values: readonly (T | null)[]): Partial<Record<T, number>> {
  const counts: Partial<Record<T, number>> = {};
  for (const value of values) if (value !== null) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

const hostileBody = '<script>window.canary = 1</script><img src=x onerror="alert(1)"> **Achtung**';

describeEachStorage('newsfeed', (backend) => {
  let api: ApiClient;
  let company: Company;
  let lena: User;
  let jonas: User;
  let petra: User;
  /** IT administrator at head office: outside the plant. */
  let admin: User;
  /** Head of Produktion, the unit above Lena's Werkstatt. */
  let produktionHead: User;
  /** Someone else at the plant, who has not confirmed anything. */
  let colleague: User;
  let plantChannel: FeedChannel;
  let companyChannel: FeedChannel;
  let plantPeople: Person[];
  let serverUrl: string;

  const rejection = (user: User, mutation: Parameters<typeof apply>[2]) => refusal(api, user, mutation);
  const errorCode = (response: { status: number; body: unknown }) =>
    `${response.status} ${ErrorBody.parse(response.body).error.code}`;

  beforeAll(async () => {
    const server = await backend.start({ demo: true, feedSchedulerMaxWaitMs: 200 });
    serverUrl = server.url;
    api = apiClient(server.url);
    [lena, jonas, petra, admin] = (await Promise.all(
      ['lena.weber', 'jonas.becker', 'petra.koch', 'admin'].map((name) => signInAs(api, name)),
    )) as [User, User, User, User];
    company = await readCompany(api, lena);
    const head = company.people.find((p) => p.id === company.unit('Produktion').managerId);
    if (!head) throw new Error('Produktion has no head');
    produktionHead = await signInAs(api, head.username);
    const plant = company.location('Werk Gütersloh');
    plantPeople = company.people.filter((p) => p.locationId === plant.id);
    const other = plantPeople.find(
      (p) => p.orgUnitId === company.unit('Montage').id && p.id !== company.unit('Montage').managerId,
    );
    if (!other) throw new Error('nobody in Montage');
    colleague = await signInAs(api, other.username);
    plantChannel = await channelNamed(api, jonas, 'Standort Werk Gütersloh');
    companyChannel = await channelNamed(api, jonas, 'Unternehmen');
  });

  describe('the demo newsfeed', () => {
    it('gives the plant its safety briefing to confirm and head office only what is meant for it', async () => {
      const lenaSees = await syncAll(api, lena);
      const adminSees = await syncAll(api, admin);
      const posts = (changes: typeof lenaSees.changes) =>
        changes.flatMap((c) => (c.type === 'post.upsert' ? [c.data] : []));
      const briefing = posts(lenaSees.changes).find((p) => p.title === 'Sicherheitsunterweisung Halle 2');
      expect(briefing).toMatchObject({
        channelId: plantChannel.id,
        requiresConfirmation: true,
        published: true,
      });
      expect(briefing?.body).toMatch(/^## /);
      const welcome = posts(lenaSees.changes).find((p) => p.title === 'Willkommen im Newsfeed');
      expect(welcome).toMatchObject({ channelId: companyChannel.id, pinned: true });
      expect(welcome?.body).toContain('[www.example.com](https://www.example.com)');

      expect(posts(adminSees.changes).map((p) => p.title)).toContain('Willkommen im Newsfeed');
      expect(posts(adminSees.changes).map((p) => p.id)).not.toContain(briefing?.id);
      const adminChannels = adminSees.changes.flatMap((c) =>
        c.type === 'feedChannel.upsert' ? [c.data.name] : [],
      );
      expect(adminChannels).toContain('Unternehmen');
      expect(adminChannels).toContain('Standort Hauptverwaltung Bielefeld');
      expect(adminChannels).not.toContain('Standort Werk Gütersloh');
    });

    it('shows everyone how the plant reacted to the summer party, and the author how many did', async () => {
      const demo = generateDemoFeed(generateDemoCompany(defaultDemoSize));
      const summer = demo.posts.find((p) => p.title === 'Sommerfest am 4. Juli');
      if (!summer) throw new Error('no summer party in the demo feed');
      const reactions = demo.states.filter((s) => s.postId === summer.id && s.reaction !== null);
      expect(reactions.length).toBeGreaterThan(0);
      const expected: Record<string, number> = {};
      for (const { reaction } of reactions) expected[reaction ?? ''] = (expected[reaction ?? ''] ?? 0) + 1;
      for (const user of [lena, admin]) {
        const stats = upsertOf((await syncAll(api, user)).changes, 'postStats.upsert', summer.id);
        expect(stats.scope, user.username).toBe('company');
        expect(stats.data, user.username).toEqual({
          id: summer.id,
          reactions: expected,
          attendance: {},
          votes: [],
          voters: 0,
        });
      }
      // Lena did not react: she has no state of it.
      expect((await syncAll(api, lena)).changes.filter((c) => c.type === 'postState.upsert')).toEqual([]);
      const reacted = upsertOf((await syncAll(api, colleague)).changes, 'postStats.upsert', summer.id);
      expect(reacted.data.reactions.like).toBe(expected.like);
      const reach = upsertOf((await syncAll(api, jonas)).changes, 'postReach.upsert', summer.id);
      expect(reach.data).toMatchObject({ reacted: reactions.length, seen: reactions.length, confirmed: 0 });
      const reactor = company.people.find((p) => p.id === reactions[0]?.personId);
      if (!reactor) throw new Error('the demo reactor is missing');
      const own = upsertOf(
        (await syncAll(api, await signInAs(api, reactor.username))).changes,
        'postState.upsert',
        summer.id,
      );
      expect(own.scope).toBe(scopeKey('user', reactor.id));
      expect(own.data.reaction).toBe(reactions[0]?.reaction);
    });

    it('invites the whole company to a staff meeting in three weeks, with the answers so far', async () => {
      const demo = generateDemoFeed(generateDemoCompany(defaultDemoSize));
      const meeting = demo.posts.find((p) => p.title === 'Betriebsversammlung');
      if (!meeting) throw new Error('no staff meeting in the demo feed');
      const answers = demo.states.filter((s) => s.postId === meeting.id && s.attendance !== null);
      const expected = countsOf(answers.map((s) => s.attendance));
      expect(expected.yes).toBeGreaterThan(0);
      for (const user of [lena, admin]) {
        const { changes } = await syncAll(api, user);
        const post = upsertOf(changes, 'post.upsert', meeting.id);
        expect(post).toMatchObject({ scope: 'company', data: { channelId: companyChannel.id } });
        const event = post.data.event;
        if (!event) throw new Error('the staff meeting announces no event');
        expect(event.place).toBe('Halle 2, Werk Gütersloh');
        // Three weeks after the seed's day, 10 to 12 o'clock at the company's clocks.
        const daysAhead = (Date.parse(event.startsAt) - Date.now()) / 86_400_000;
        expect(daysAhead).toBeGreaterThan(19);
        expect(daysAhead).toBeLessThan(22);
        const berlin = new Intl.DateTimeFormat('de-DE', {
          timeZone: 'Europe/Berlin',
          hour: '2-digit',
          minute: '2-digit',
        });
        expect(berlin.format(Date.parse(event.startsAt))).toBe('10:00');
        expect(berlin.format(Date.parse(event.endsAt ?? ''))).toBe('12:00');
        expect(upsertOf(changes, 'postStats.upsert', meeting.id).data).toEqual({
          id: meeting.id,
          reactions: {},
          attendance: expected,
          votes: [],
          voters: 0,
        });
      }
      // Lena has not answered yet; someone who has finds their own answer.
      expect(
        (await syncAll(api, lena)).changes.filter(
          (c) => c.type === 'postState.upsert' && c.id === meeting.id,
        ),
      ).toEqual([]);
      const answerer = company.people.find((p) => p.id === answers[0]?.personId);
      if (!answerer) throw new Error('the demo answerer is missing');
      const own = upsertOf(
        (await syncAll(api, await signInAs(api, answerer.username))).changes,
        'postState.upsert',
        meeting.id,
      );
      expect(own.data).toMatchObject({ attendance: answers[0]?.attendance, reaction: null });
      expect(own.data.seenAt).not.toBeNull();
      const reach = upsertOf((await syncAll(api, jonas)).changes, 'postReach.upsert', meeting.id);
      expect(reach.data).toMatchObject({ seen: answers.length, reacted: 0, confirmed: 0 });
    });
  });

  describe('publishing', () => {
    it('delivers an editor’s post to the plant and never to head office, body verbatim', async () => {
      const adminBefore = await syncAll(api, admin);
      const postId = await publishPost(api, jonas, {
        channelId: plantChannel.id,
        title: 'Neue Stechuhren',
        body: hostileBody,
      });

      const lenaSees = await syncAll(api, lena);
      const post = upsertOf(lenaSees.changes, 'post.upsert', postId);
      expect(post.scope).toBe(plantChannel.audience);
      expect(post.data).toMatchObject({
        id: postId,
        channelId: plantChannel.id,
        authorId: jonas.id,
        title: 'Neue Stechuhren',
        body: hostileBody,
        published: true,
        pinned: false,
        requiresConfirmation: false,
        editedAt: null,
      });

      // Head office: not by sync in any mode, not via REST.
      for (const query of [{}, { snapshot: true }, { after: adminBefore.cursor }]) {
        const synced = await syncAll(api, admin, query);
        expect(synced.changes.filter((c) => c.id === postId)).toEqual([]);
      }
      const missing = await confirmations(api, admin, v7());
      expect(errorCode(await confirmations(api, admin, postId))).toBe('404 not_found');
      expect((await confirmations(api, admin, postId)).body).toEqual(missing.body);
      expect(errorCode(await revisions(api, admin, postId))).toBe('404 not_found');

      // The author's reach counts the plant.
      const reach = upsertOf((await syncAll(api, jonas)).changes, 'postReach.upsert', postId);
      expect(reach.scope).toBe(scopeKey('user', jonas.id));
      expect(reach.data).toEqual({
        id: postId,
        audience: plantPeople.length,
        seen: 0,
        confirmed: 0,
        reacted: 0,
        commented: 0,
        votes: [],
        voters: 0,
      });
    });

    it('refuses an employee (forbidden) and hides channels they do not read (not_found)', async () => {
      expect(await rejection(lena, feed.publishPost({ channelId: plantChannel.id }))).toBe('forbidden');
      const sales = await channelNamed(api, jonas, 'Bereich Vertrieb');
      expect(await rejection(lena, feed.publishPost({ channelId: sales.id }))).toBe('not_found');
      expect(await rejection(lena, feed.publishPost({ channelId: v7() }))).toBe('not_found');
      expect(await postableChannels(api, lena)).toEqual([]);
    });

    it('lets a manager post in the channel of their own unit only', async () => {
      const canteen = await channelNamed(api, jonas, 'Bereich Kantine');
      const production = await channelNamed(api, jonas, 'Bereich Produktion');
      expect((await postableChannels(api, petra)).map((c) => c.name)).toEqual(['Bereich Kantine']);
      await publishPost(api, petra, { channelId: canteen.id, title: 'Neue Dienstpläne' });
      // Petra reads the plant channel but may not post there; Produktion's she does not even see.
      expect(await rejection(petra, feed.publishPost({ channelId: plantChannel.id }))).toBe('forbidden');
      expect(await rejection(petra, feed.publishPost({ channelId: production.id }))).toBe('not_found');

      const postId = await publishPost(api, produktionHead, {
        channelId: production.id,
        title: 'Schichtplan',
      });
      const post = upsertOf((await syncAll(api, lena)).changes, 'post.upsert', postId);
      expect(post.data.authorId).toBe(produktionHead.id);
    });

    it('refuses a post id that is taken and malformed arguments, writing nothing', async () => {
      const postId = await publishPost(api, jonas, { channelId: companyChannel.id });
      const before = await syncAll(api, lena);
      expect(await rejection(jonas, feed.publishPost({ channelId: companyChannel.id }, postId))).toBe(
        'conflict',
      );
      const malformed = [
        feed.publishPost({ channelId: companyChannel.id, title: '   ' }),
        feed.publishPost({ channelId: companyChannel.id, body: 'x'.repeat(20_001) }),
        feed.publishPost({ channelId: 'kein-kanal' }),
        feed.publishPost({ channelId: companyChannel.id, publishAt: 'morgen früh' }),
        { ...feed.publishPost({ channelId: companyChannel.id }), args: { channelId: companyChannel.id } },
        feed.markSeen([]),
        feed.markSeen(Array.from({ length: 201 }, () => v7())),
        { ...feed.pinPost(postId, true), args: { postId, pinned: true, extra: 1 } },
        feed.editPost(postId, '', 'Text'),
      ];
      const results = await mutate(api, jonas, malformed);
      expect(results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual(
        malformed.map(() => 'invalid'),
      );
      expect((await syncAll(api, lena, { after: before.cursor })).changes).toEqual([]);
    });
  });

  describe('editing, deleting, pinning', () => {
    it('gives readers the edited text with editedAt and keeps the old text in the history', async () => {
      const postId = await publishPost(api, jonas, {
        channelId: plantChannel.id,
        title: 'Betriebsruhe',
        body: 'Vom 23.12. bis 2.1. ruht der Betrieb.',
      });
      const before = await syncAll(api, lena);
      const edit = await apply(
        api,
        jonas,
        feed.editPost(postId, 'Betriebsruhe zum Jahreswechsel', 'Vom 22.12. an.'),
      );
      expect(edit.seq).not.toBeNull();
      const post = upsertOf(
        (await syncAll(api, lena, { after: before.cursor })).changes,
        'post.upsert',
        postId,
      );
      expect(post.data).toMatchObject({ title: 'Betriebsruhe zum Jahreswechsel', body: 'Vom 22.12. an.' });
      expect(post.data.editedAt).not.toBeNull();

      // The same text again is no edit.
      expect(
        (await apply(api, jonas, feed.editPost(postId, 'Betriebsruhe zum Jahreswechsel', 'Vom 22.12. an.')))
          .seq,
      ).toBeNull();
      await apply(api, jonas, feed.editPost(postId, 'Betriebsruhe', 'Vom 21.12. an.'));

      const history = await revisions(api, jonas, postId);
      expect(history.status).toBe(200);
      const { revisions: list } = PostRevisions.parse(history.body);
      expect(list.map((r) => [r.revision, r.title, r.body, r.editedBy.personId])).toEqual([
        [2, 'Betriebsruhe zum Jahreswechsel', 'Vom 22.12. an.', jonas.id],
        [1, 'Betriebsruhe', 'Vom 23.12. bis 2.1. ruht der Betrieb.', jonas.id],
      ]);
      expect(list[0]?.editedBy.displayName).toBe('Jonas Becker');

      // A reader may neither edit nor read the history.
      expect(await rejection(lena, feed.editPost(postId, 'Gehackt', 'Gehackt'))).toBe('forbidden');
      expect(errorCode(await revisions(api, lena, postId))).toBe('403 forbidden');
    });

    it('sends readers a tombstone of a deleted post and of their state of it', async () => {
      const postId = await publishPost(api, jonas, {
        channelId: plantChannel.id,
        title: 'Gleich wieder weg',
      });
      await apply(api, lena, feed.markSeen([postId]));
      const lenaBefore = await syncAll(api, lena);
      const jonasBefore = await syncAll(api, jonas);
      expect(await rejection(lena, feed.deletePost(postId))).toBe('forbidden');
      await apply(api, jonas, feed.deletePost(postId));

      const lenaAfter = await syncAll(api, lena, { after: lenaBefore.cursor });
      expect(describeChanges(lenaAfter.changes)).toEqual(
        expect.arrayContaining([`post.delete:${postId}`, `postState.delete:${postId}`]),
      );
      expect(lenaAfter.changes.find((c) => c.type === 'postState.delete')?.scope).toBe(
        scopeKey('user', lena.id),
      );
      const jonasAfter = await syncAll(api, jonas, { after: jonasBefore.cursor });
      expect(describeChanges(jonasAfter.changes)).toContain(`postReach.delete:${postId}`);
      expect(await syncedPost(api, lena, postId)).toBeUndefined();

      // Gone for every later write, as if it had never been.
      expect(await rejection(jonas, feed.deletePost(postId))).toBe('not_found');
      expect(await rejection(lena, feed.confirmPost(postId))).toBe('not_found');
      expect(errorCode(await revisions(api, jonas, postId))).toBe('404 not_found');
    });

    it('pins and unpins; pinning again changes nothing', async () => {
      const postId = await publishPost(api, jonas, { channelId: plantChannel.id, title: 'Wichtig' });
      expect((await apply(api, jonas, feed.pinPost(postId, true))).seq).not.toBeNull();
      expect((await syncedPost(api, lena, postId))?.pinned).toBe(true);
      expect((await apply(api, jonas, feed.pinPost(postId, true))).seq).toBeNull();
      expect(await rejection(lena, feed.pinPost(postId, false))).toBe('forbidden');
      await apply(api, jonas, feed.pinPost(postId, false));
      expect((await syncedPost(api, lena, postId))?.pinned).toBe(false);
    });
  });

  describe('the author’s own copy', () => {
    /** Works with Jonas at head office, in his unit, and reads neither the plant nor his posts. */
    let officeColleague: User;
    let jonasScope: ReturnType<typeof scopeKey>;

    beforeAll(async () => {
      const self = company.person('jonas.becker');
      const other = company.people.find(
        (p) => p.orgUnitId === self.orgUnitId && p.locationId === self.locationId && p.id !== self.id,
      );
      if (!other) throw new Error('Jonas works alone');
      officeColleague = await signInAs(api, other.username);
      jonasScope = scopeKey('user', jonas.id);
    });

    it('gives an editor his post in a channel he does not read as authoredPost only, and its readers only as post', async () => {
      const plantScope = plantChannel.audience;
      for (const user of [jonas, officeColleague]) {
        expect((await syncAll(api, user)).scopes, user.username).not.toContain(plantScope);
      }
      const [jonasBefore, lenaBefore, officeBefore] = await Promise.all([
        syncAll(api, jonas),
        syncAll(api, lena),
        syncAll(api, officeColleague),
      ]);
      const since = async (user: User, before: { cursor: string }) =>
        (await syncAll(api, user, { after: before.cursor })).changes;

      // Published: Jonas gets his copy in his own scope, Lena the post in the plant's.
      const postId = await publishPost(api, jonas, {
        channelId: plantChannel.id,
        title: 'Parkplätze Nord',
        body: 'Ab Montag gesperrt.',
      });
      const jonasPublished = await since(jonas, jonasBefore);
      expect(postCopies(jonasPublished, postId)).toEqual([`authoredPost.upsert ${jonasScope}`]);
      const own = upsertOf(jonasPublished, 'authoredPost.upsert', postId).data;
      expect(own).toMatchObject({
        id: postId,
        channelId: plantChannel.id,
        authorId: jonas.id,
        title: 'Parkplätze Nord',
        body: 'Ab Montag gesperrt.',
        published: true,
        editedAt: null,
      });
      const lenaPublished = await since(lena, lenaBefore);
      expect(postCopies(lenaPublished, postId)).toEqual([`post.upsert ${plantScope}`]);
      expect(upsertOf(lenaPublished, 'post.upsert', postId).data).toEqual(own);
      // In every mode of a fresh sync too, and his reach counts the plant.
      for (const query of [{}, { snapshot: true }, { scope: jonasScope }]) {
        const { changes } = await syncAll(api, jonas, query);
        expect(postCopies(changes, postId), JSON.stringify(query)).toEqual([
          `authoredPost.upsert ${jonasScope}`,
        ]);
      }
      for (const query of [{}, { snapshot: true }, { scope: plantScope }]) {
        const { changes } = await syncAll(api, lena, query);
        expect(postCopies(changes, postId), JSON.stringify(query)).toEqual([`post.upsert ${plantScope}`]);
      }
      expect(upsertOf(jonasPublished, 'postReach.upsert', postId).data).toMatchObject({
        audience: plantPeople.length,
      });

      // Edited: each gets the new text in their own entity.
      const [jonasBeforeEdit, lenaBeforeEdit] = await Promise.all([syncAll(api, jonas), syncAll(api, lena)]);
      await apply(api, jonas, feed.editPost(postId, 'Parkplätze Nord gesperrt', 'Ab Dienstag gesperrt.'));
      const jonasEdited = await since(jonas, jonasBeforeEdit);
      const lenaEdited = await since(lena, lenaBeforeEdit);
      expect(postCopies(jonasEdited, postId)).toEqual([`authoredPost.upsert ${jonasScope}`]);
      expect(postCopies(lenaEdited, postId)).toEqual([`post.upsert ${plantScope}`]);
      const edited = upsertOf(jonasEdited, 'authoredPost.upsert', postId).data;
      expect(edited).toMatchObject({ title: 'Parkplätze Nord gesperrt', body: 'Ab Dienstag gesperrt.' });
      expect(edited.editedAt).not.toBeNull();
      expect(upsertOf(lenaEdited, 'post.upsert', postId).data).toEqual(edited);

      // Deleted: a tombstone for each, again each in their own entity and scope.
      const [jonasBeforeDelete, lenaBeforeDelete] = await Promise.all([
        syncAll(api, jonas),
        syncAll(api, lena),
      ]);
      await apply(api, jonas, feed.deletePost(postId));
      const jonasDeleted = await since(jonas, jonasBeforeDelete);
      expect(postCopies(jonasDeleted, postId)).toEqual([`authoredPost.delete ${jonasScope}`]);
      expect(describeChanges(jonasDeleted)).toContain(`postReach.delete:${postId}`);
      expect(postCopies(await since(lena, lenaBeforeDelete), postId)).toEqual([`post.delete ${plantScope}`]);
      expect(await syncedPost(api, jonas, postId, 'authoredPost')).toBeUndefined();
      expect(await syncedPost(api, lena, postId)).toBeUndefined();

      // Lena never got his copy, Jonas never the post, and his colleague at head office nothing at all.
      const lenaAll = await since(lena, lenaBefore);
      expect(lenaAll.filter((c) => c.type.startsWith('authoredPost.') && c.id === postId)).toEqual([]);
      const jonasAll = await since(jonas, jonasBefore);
      expect(jonasAll.filter((c) => c.type.startsWith('post.') && c.id === postId)).toEqual([]);
      for (const query of [{}, { snapshot: true }, { after: officeBefore.cursor }]) {
        const { changes } = await syncAll(api, officeColleague, query);
        expect(changes.filter((c) => c.id === postId)).toEqual([]);
      }
    });

    it('keeps the author of a post in a channel he does not read from confirming it', async () => {
      const postId = await publishPost(api, jonas, {
        channelId: plantChannel.id,
        title: 'Bitte bestätigen',
        requiresConfirmation: true,
      });
      expect(await rejection(jonas, feed.confirmPost(postId))).toBe('forbidden');
      // Nor does he count as having seen it: he is not in its audience.
      expect((await apply(api, jonas, feed.markSeen([postId]))).seq).toBeNull();
      const reach = upsertOf((await syncAll(api, jonas)).changes, 'postReach.upsert', postId);
      expect(reach.data).toMatchObject({ seen: 0, confirmed: 0 });
      const list = PostConfirmations.parse((await confirmations(api, jonas, postId)).body);
      expect(list.confirmed).toEqual([]);
    });
  });

  describe('scheduled publishing', () => {
    it('keeps a scheduled post with its author until it is due, then publishes it to the audience', async () => {
      const publishAt = new Date(Date.now() + 3_000).toISOString();
      const jonasBefore = await syncAll(api, jonas);
      const lenaBefore = await syncAll(api, lena);
      const live = await openLive(serverUrl, lena);
      const postId = await publishPost(api, jonas, {
        channelId: companyChannel.id,
        title: 'Gleich geht es los',
        publishAt,
      });
      const jonasScope = scopeKey('user', jonas.id);

      // Until it is due, only its author has it: as his own copy, in his own scope, and no `post`.
      const early = await syncAll(api, jonas, { after: jonasBefore.cursor });
      expect(postCopies(early.changes, postId)).toEqual([`authoredPost.upsert ${jonasScope}`]);
      const draft = upsertOf(early.changes, 'authoredPost.upsert', postId);
      expect(draft.data).toMatchObject({
        authorId: jonas.id,
        published: false,
        publishAt: publishAt.replace('Z', '000Z'),
      });
      for (const query of [{}, { snapshot: true }]) {
        expect(postCopies((await syncAll(api, jonas, query)).changes, postId)).toEqual([
          `authoredPost.upsert ${jonasScope}`,
        ]);
      }
      expect(
        (await syncAll(api, lena, { after: lenaBefore.cursor })).changes.filter((c) => c.id === postId),
      ).toEqual([]);

      const delivered = await eventually('the scheduled post reaching Lena', async () => {
        const { changes } = await syncAll(api, lena, { after: lenaBefore.cursor });
        return changes.find((c) => c.type === 'post.upsert' && c.id === postId);
      });
      expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(publishAt));
      // Lena's app heard of it at once, without waiting for its next pull.
      await live.changesUpTo(delivered.seq);
      live.close();
      expect(delivered).toMatchObject({
        scope: 'company',
        data: { published: true, publishAt: draft.data.publishAt },
      });
      // A reader gets the post, never the author's copy.
      expect(postCopies((await syncAll(api, lena, { after: lenaBefore.cursor })).changes, postId)).toEqual([
        'post.upsert company',
      ]);

      // The author's copy says it is published, and he reads it in the company channel like everyone:
      // nothing leaves his own scope, so there is no tombstone there.
      const published = await syncAll(api, jonas, { after: early.cursor });
      expect(postCopies(published.changes, postId)).toEqual([
        `authoredPost.upsert ${jonasScope}`,
        'post.upsert company',
      ]);
      expect(upsertOf(published.changes, 'authoredPost.upsert', postId).data).toEqual(
        upsertOf(published.changes, 'post.upsert', postId).data,
      );
      expect(upsertOf(published.changes, 'authoredPost.upsert', postId).data).toMatchObject({
        published: true,
        publishAt: draft.data.publishAt,
      });
    });

    // Only PostgreSQL serves several instances; PGlite is single-process by design.
    if (backend.name === 'postgresql') {
      it('is published by another instance when the one it was scheduled on has stopped', async () => {
        const storage = await backend.newStorage();
        const first = await backend.start({ demo: true, feedSchedulerMaxWaitMs: 60_000 }, storage);
        const second = await backend.start({ demo: true, feedSchedulerMaxWaitMs: 300 }, storage);
        const [onFirst, onSecond] = [apiClient(first.url), apiClient(second.url)];
        const author = await signInAs(onFirst, 'jonas.becker');
        const reader = await signInAs(onSecond, 'lena.weber');
        const channel = await channelNamed(onFirst, author, 'Unternehmen');
        const posts = await Promise.all(
          [0, 1, 2].map(() =>
            publishPost(onFirst, author, {
              channelId: channel.id,
              publishAt: new Date(Date.now() + 2_500).toISOString(),
            }),
          ),
        );
        await first.close();

        const delivered = await eventually('the posts reaching Lena through the other instance', async () => {
          const { changes } = await syncAll(onSecond, reader);
          const published = changes.filter((c) => c.type === 'post.upsert' && posts.includes(c.id));
          return published.length === posts.length ? published : undefined;
        });
        expect(delivered.map((c) => c.scope)).toEqual(['company', 'company', 'company']);
      });
    }

    it('publishes a post scheduled for the past (or now) at once', async () => {
      const postId = await publishPost(api, jonas, {
        channelId: plantChannel.id,
        publishAt: new Date(Date.now() - 60_000).toISOString(),
      });
      const post = await syncedPost(api, lena, postId);
      expect(post?.published).toBe(true);
      expect(Date.parse(post?.publishAt ?? '')).toBeGreaterThan(Date.now() - 30_000);
    });

    it('lets nobody else touch a scheduled post they cannot see', async () => {
      const postId = await publishPost(api, jonas, {
        channelId: plantChannel.id,
        publishAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expect(await rejection(lena, feed.confirmPost(postId))).toBe('not_found');
      expect(await rejection(lena, feed.editPost(postId, 'Früher', 'Früher'))).toBe('not_found');
      const lenaBefore = await syncAll(api, lena);
      await apply(api, jonas, feed.editPost(postId, 'Später', 'Noch geheim'));
      expect(await syncedPost(api, jonas, postId, 'authoredPost')).toMatchObject({
        title: 'Später',
        body: 'Noch geheim',
        published: false,
      });
      // No `post` goes out before it is due, to anyone.
      expect(await syncedPost(api, jonas, postId)).toBeUndefined();
      expect(await syncedPost(api, lena, postId)).toBeUndefined();
      expect(await syncedPost(api, lena, postId, 'authoredPost')).toBeUndefined();
      expect(
        (await syncAll(api, lena, { after: lenaBefore.cursor })).changes.filter((c) => c.id === postId),
      ).toEqual([]);
    });
  });

  describe('read confirmations', () => {
    let postId: string;

    beforeAll(async () => {
      postId = await publishPost(api, jonas, {
        channelId: plantChannel.id,
        title: 'Neue Staplerregeln',
        body: 'Bitte lesen und bestätigen.',
        requiresConfirmation: true,
      });
    });

    it('counts a confirmation once in the author’s reach and lists the reader as confirmed', async () => {
      const confirmed = await apply(api, lena, feed.confirmPost(postId));
      expect(confirmed.seq).not.toBeNull();
      expect((await apply(api, lena, feed.confirmPost(postId))).seq).toBeNull();

      const state = upsertOf((await syncAll(api, lena)).changes, 'postState.upsert', postId);
      expect(state.scope).toBe(scopeKey('user', lena.id));
      expect(state.data.confirmedAt).not.toBeNull();
      expect(state.data.seenAt).not.toBeNull();
      const reach = upsertOf((await syncAll(api, jonas)).changes, 'postReach.upsert', postId);
      expect(reach.data).toEqual({
        id: postId,
        audience: plantPeople.length,
        seen: 1,
        confirmed: 1,
        reacted: 0,
        commented: 0,
        votes: [],
        voters: 0,
      });

      const response = await confirmations(api, jonas, postId);
      expect(response.status).toBe(200);
      const list = PostConfirmations.parse(response.body);
      expect(list.confirmed).toEqual([
        { personId: lena.id, displayName: 'Lena Weber', confirmedAt: state.data.confirmedAt },
      ]);
      expect(list.pending.map((p) => p.personId)).toContain(colleague.id);
      expect(list.pending.map((p) => p.personId)).not.toContain(lena.id);
      expect(list.pending).toHaveLength(plantPeople.length - 1);

      // Pending is in the directory's order: by last name, then first name.
      const directory = DirectoryPage.parse(
        (await api.get('/api/v1/directory?limit=500', { token: jonas.token })).body,
      );
      const pendingIds = new Set(list.pending.map((p) => p.personId));
      expect(list.pending.map((p) => p.personId)).toEqual(
        directory.people.filter((p) => pendingIds.has(p.id)).map((p) => p.id),
      );
    });

    it('shows confirmations only to those who manage the post', async () => {
      expect(errorCode(await confirmations(api, colleague, postId))).toBe('403 forbidden');
      expect(errorCode(await confirmations(api, admin, postId))).toBe('404 not_found');
      // Managing a unit gives no say over a location channel's post, although he reads it.
      expect(errorCode(await confirmations(api, produktionHead, postId))).toBe('403 forbidden');
      const plain = await publishPost(api, jonas, { channelId: plantChannel.id });
      expect(errorCode(await confirmations(api, jonas, plain))).toBe('400 bad_request');
      expect(await rejection(lena, feed.confirmPost(plain))).toBe('invalid');
      expect(await rejection(admin, feed.confirmPost(postId))).toBe('not_found');
    });

    it('reminds those who have not confirmed, at most once an hour', async () => {
      expect(await rejection(lena, feed.remindUnconfirmed(postId))).toBe('forbidden');
      const lenaBefore = await syncAll(api, lena);
      const colleagueBefore = await syncAll(api, colleague);
      const reminded = await apply(api, jonas, feed.remindUnconfirmed(postId));
      expect(reminded.seq).not.toBeNull();

      const state = upsertOf(
        (await syncAll(api, colleague, { after: colleagueBefore.cursor })).changes,
        'postState.upsert',
        postId,
      );
      expect(state.scope).toBe(scopeKey('user', colleague.id));
      expect(state.data).toMatchObject({ confirmedAt: null, seenAt: null });
      expect(state.data.remindedAt).not.toBeNull();
      // Lena confirmed already: nothing for her.
      expect(
        (await syncAll(api, lena, { after: lenaBefore.cursor })).changes.filter((c) => c.id === postId),
      ).toEqual([]);
      expect(
        PostConfirmations.parse((await confirmations(api, jonas, postId)).body).remindedAt,
      ).not.toBeNull();

      expect(await rejection(jonas, feed.remindUnconfirmed(postId))).toBe('conflict');
    });

    it('counts who has seen posts; invisible ones are skipped', async () => {
      const other = await publishPost(api, jonas, { channelId: plantChannel.id, title: 'Auch gelesen' });
      const headOffice = await publishPost(api, jonas, {
        channelId: (await channelNamed(api, jonas, 'Standort Hauptverwaltung Bielefeld')).id,
      });
      const marked = await apply(api, colleague, feed.markSeen([postId, other, headOffice, v7()]));
      expect(marked.seq).not.toBeNull();
      expect((await apply(api, colleague, feed.markSeen([postId, other]))).seq).toBeNull();

      const { changes } = await syncAll(api, jonas);
      expect(upsertOf(changes, 'postReach.upsert', postId).data).toMatchObject({ seen: 2, confirmed: 1 });
      expect(upsertOf(changes, 'postReach.upsert', other).data).toMatchObject({ seen: 1, confirmed: 0 });
      expect(upsertOf(changes, 'postReach.upsert', headOffice).data).toMatchObject({ seen: 0 });
      const colleagueSees = (await syncAll(api, colleague)).changes;
      expect(colleagueSees.filter((c) => c.id === headOffice)).toEqual([]);
      expect(upsertOf(colleagueSees, 'postState.upsert', other).data.seenAt).not.toBeNull();
    });
  });

  describe('reactions', () => {
    const statsOf = async (user: User, postId: string) =>
      (await syncAll(api, user)).changes.find((c) => c.type === 'postStats.upsert' && c.id === postId);
    const reactionsOf = async (user: User, postId: string) => {
      const stats = await statsOf(user, postId);
      return stats?.type === 'postStats.upsert' ? stats.data.reactions : undefined;
    };
    const stateOf = async (user: User, postId: string) =>
      upsertOf((await syncAll(api, user)).changes, 'postState.upsert', postId).data;
    const reachOf = async (postId: string) =>
      upsertOf((await syncAll(api, jonas)).changes, 'postReach.upsert', postId).data;

    it('counts a reader’s reaction for every reader, follows a change and a take-back, and tells the author', async () => {
      const postId = await publishPost(api, jonas, {
        channelId: plantChannel.id,
        title: 'Neue Kaffeemaschine',
      });
      // A published post has its (empty) counts in its audience from the start.
      const fresh = upsertOf((await syncAll(api, lena)).changes, 'postStats.upsert', postId);
      expect(fresh).toMatchObject({
        scope: plantChannel.audience,
        data: { id: postId, reactions: {}, attendance: {}, votes: [], voters: 0 },
      });

      const reacted = await apply(api, lena, feed.react(postId, 'like'));
      expect(reacted.seq).not.toBeNull();
      expect((await apply(api, lena, feed.react(postId, 'like'))).seq).toBeNull();
      for (const reader of [lena, colleague, petra, produktionHead]) {
        const stats = upsertOf((await syncAll(api, reader)).changes, 'postStats.upsert', postId);
        expect(stats.scope, reader.username).toBe(plantChannel.audience);
        expect(stats.data, reader.username).toEqual({
          id: postId,
          reactions: { like: 1 },
          attendance: {},
          votes: [],
          voters: 0,
        });
      }
      const state = await stateOf(lena, postId);
      expect(state).toMatchObject({ reaction: 'like', confirmedAt: null });
      // Reacting is having seen it.
      expect(state.seenAt).not.toBeNull();
      expect(await reachOf(postId)).toEqual({
        id: postId,
        audience: plantPeople.length,
        seen: 1,
        confirmed: 0,
        reacted: 1,
        commented: 0,
        votes: [],
        voters: 0,
      });
      // Nobody else's state is hers.
      expect(
        (await syncAll(api, colleague)).changes.filter(
          (c) => c.type === 'postState.upsert' && c.id === postId,
        ),
      ).toEqual([]);

      await apply(api, colleague, feed.react(postId, 'celebrate'));
      expect(await reactionsOf(petra, postId)).toEqual({ like: 1, celebrate: 1 });
      const colleagueBefore = await syncAll(api, colleague);
      await apply(api, lena, feed.react(postId, 'love'));
      // Her change reaches the others as new counts, and only her as her state.
      const heard = (await syncAll(api, colleague, { after: colleagueBefore.cursor })).changes;
      expect(describeChanges(heard)).toEqual([`postStats.upsert:${postId}`]);
      expect(upsertOf(heard, 'postStats.upsert', postId).data.reactions).toEqual({ celebrate: 1, love: 1 });
      expect((await stateOf(lena, postId)).reaction).toBe('love');
      expect(await reachOf(postId)).toMatchObject({ seen: 2, reacted: 2 });

      const takenBack = await apply(api, lena, feed.react(postId, null));
      expect(takenBack.seq).not.toBeNull();
      expect((await apply(api, lena, feed.react(postId, null))).seq).toBeNull();
      expect(await reactionsOf(colleague, postId)).toEqual({ celebrate: 1 });
      expect(await stateOf(lena, postId)).toMatchObject({ reaction: null });
      expect(await reachOf(postId)).toMatchObject({ seen: 2, reacted: 1 });
      await apply(api, colleague, feed.react(postId, null));
      expect(await reactionsOf(lena, postId)).toEqual({});
      // Taking back what one never gave writes nothing.
      expect((await apply(api, petra, feed.react(postId, null))).seq).toBeNull();
      expect(
        (await syncAll(api, petra)).changes.filter((c) => c.type === 'postState.upsert' && c.id === postId),
      ).toEqual([]);
    });

    it('never shows head office the counts of a plant post, and lets only readers react', async () => {
      const adminBefore = await syncAll(api, admin);
      const postId = await publishPost(api, jonas, { channelId: plantChannel.id, title: 'Nur fürs Werk' });
      await apply(api, lena, feed.react(postId, 'insightful'));
      for (const query of [{}, { snapshot: true }, { after: adminBefore.cursor }]) {
        const { changes } = await syncAll(api, admin, query);
        expect(changes.filter((c) => c.id === postId)).toEqual([]);
        expect(
          changes.filter((c) => c.type.startsWith('postStats.') && c.scope === plantChannel.audience),
        ).toEqual([]);
      }
      expect(await rejection(admin, feed.react(postId, 'like'))).toBe('not_found');
      expect(await rejection(admin, feed.react(v7(), 'like'))).toBe('not_found');
      // The author writes to the plant but does not read it: his reaction would count for nobody.
      expect(await rejection(jonas, feed.react(postId, 'like'))).toBe('forbidden');
      // A scheduled post cannot be reacted to before it appears.
      const later = await publishPost(api, jonas, {
        channelId: plantChannel.id,
        publishAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expect(await rejection(lena, feed.react(later, 'like'))).toBe('not_found');
      expect((await syncAll(api, lena)).changes.filter((c) => c.id === later)).toEqual([]);
      expect(await reactionsOf(lena, postId)).toEqual({ insightful: 1 });
    });

    it('refuses a reaction that is not one of the set, writing nothing', async () => {
      const postId = await publishPost(api, jonas, { channelId: plantChannel.id });
      const before = await syncAll(api, lena);
      const react = feed.react(postId, 'like');
      const malformed = [
        { ...react, args: { postId, reaction: 'angry' } },
        { ...react, args: { postId, reaction: 'LIKE' } },
        { ...react, args: { postId } },
        { ...react, args: { postId: 'kein-post', reaction: 'like' } },
        { ...react, args: { postId, reaction: 'like', extra: true } },
      ];
      const results = await mutate(api, lena, malformed);
      expect(results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual(
        malformed.map(() => 'invalid'),
      );
      expect((await syncAll(api, lena, { after: before.cursor })).changes).toEqual([]);
    });

    it('takes the counts away with a deleted post', async () => {
      const postId = await publishPost(api, jonas, { channelId: plantChannel.id, title: 'Kurzlebig' });
      await apply(api, lena, feed.react(postId, 'sad'));
      const colleagueBefore = await syncAll(api, colleague);
      await apply(api, jonas, feed.deletePost(postId));
      const after = await syncAll(api, colleague, { after: colleagueBefore.cursor });
      expect(describeChanges(after.changes).sort()).toEqual([
        `post.delete:${postId}`,
        `postStats.delete:${postId}`,
      ]);
      expect(await statsOf(colleague, postId)).toBeUndefined();
      expect(await rejection(lena, feed.react(postId, 'like'))).toBe('not_found');
    });
  });

  describe('events', () => {
    const statsOf = async (user: User, postId: string) =>
      upsertOf((await syncAll(api, user)).changes, 'postStats.upsert', postId).data;
    const stateOf = async (user: User, postId: string) =>
      upsertOf((await syncAll(api, user)).changes, 'postState.upsert', postId).data;
    const reachOf = async (postId: string) =>
      upsertOf((await syncAll(api, jonas)).changes, 'postReach.upsert', postId).data;

    it('gives readers and the author the event with its times and place; other posts have none', async () => {
      const postId = await publishPost(api, jonas, {
        channelId: plantChannel.id,
        title: 'Erste-Hilfe-Kurs',
        event: {
          startsAt: '2031-03-14T09:00:00+01:00',
          endsAt: '2031-03-14T11:30:00.250+01:00',
          place: '  Schulungsraum, Werk Gütersloh  ',
        },
      });
      const event = {
        startsAt: '2031-03-14T08:00:00.000000Z',
        endsAt: '2031-03-14T10:30:00.250000Z',
        place: 'Schulungsraum, Werk Gütersloh',
      };
      expect((await syncedPost(api, lena, postId))?.event).toEqual(event);
      expect((await syncedPost(api, colleague, postId))?.event).toEqual(event);
      expect((await syncedPost(api, jonas, postId, 'authoredPost'))?.event).toEqual(event);

      // An open end, no place, and the largest offset there is.
      const openEnd = await publishPost(api, jonas, {
        channelId: companyChannel.id,
        event: { startsAt: '2031-03-14T23:30:00+14:00', endsAt: null, place: '' },
      });
      expect((await syncedPost(api, lena, openEnd))?.event).toEqual({
        startsAt: '2031-03-14T09:30:00.000000Z',
        endsAt: null,
        place: '',
      });

      const plain = await publishPost(api, jonas, { channelId: plantChannel.id, title: 'Ohne Termin' });
      expect((await syncedPost(api, lena, plain))?.event).toBeNull();
      // Editing a post's text keeps its event.
      await apply(api, jonas, feed.editPost(postId, 'Erste-Hilfe-Kurs (ausgebucht)', 'Warteliste.'));
      expect((await syncedPost(api, lena, postId))?.event).toEqual(event);
    });

    it('refuses an event that ends before it starts or lies beyond what the protocol carries, writing nothing', async () => {
      const before = await syncAll(api, jonas);
      const eventPost = (event: unknown) => {
        const mutation = feed.publishPost({ channelId: companyChannel.id });
        return { ...mutation, args: { ...mutation.args, event } };
      };
      const startsAt = '2031-05-04T10:00:00+02:00';
      const malformed = [
        eventPost({ startsAt, endsAt: '2031-05-04T09:59:59+02:00', place: 'Kantine' }),
        eventPost({ startsAt, endsAt: '2031-05-04T08:00:00Z', place: 'Kantine' }),
        eventPost({ startsAt: 'morgen', endsAt: null, place: 'Kantine' }),
        eventPost({ startsAt, endsAt: null }),
        eventPost({ startsAt, endsAt: null, place: 'x'.repeat(301) }),
        eventPost({ startsAt, endsAt: null, place: '', extra: true }),
        // The database knows no year 0, and a year 10000 in UTC would no longer be a protocol timestamp.
        eventPost({ startsAt: '0000-06-01T10:00:00Z', endsAt: null, place: '' }),
        eventPost({ startsAt: '2031-03-14T23:30:00+23:30', endsAt: null, place: '' }),
        eventPost({ startsAt, endsAt: '9999-12-31T23:00:00-05:00', place: '' }),
        feed.publishPost({ channelId: companyChannel.id, publishAt: '9999-12-31T23:00:00-05:00' }),
      ];
      const results = await mutate(api, jonas, malformed);
      expect(results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual(
        malformed.map(() => 'invalid'),
      );
      const [endsEarly] = results;
      expect(endsEarly?.status === 'rejected' ? endsEarly.message : '').toMatch(/ends after it starts/);
      expect((await syncAll(api, jonas, { after: before.cursor })).changes).toEqual([]);
    });

    it('counts a reader’s answer for every reader, follows a change and a take-back, and counts it as seen', async () => {
      const demo = generateDemoFeed(generateDemoCompany(defaultDemoSize));
      const meeting = demo.posts.find((p) => p.title === 'Betriebsversammlung');
      if (!meeting) throw new Error('no staff meeting in the demo feed');
      const postId = meeting.id;
      const demoCounts = countsOf(demo.states.filter((s) => s.postId === postId).map((s) => s.attendance));
      // Someone who reads it and had not answered in the demo.
      const answered = new Set(demo.states.filter((s) => s.postId === postId).map((s) => s.personId));
      const bystander = [colleague, petra, admin, produktionHead].find((user) => !answered.has(user.id));
      if (!bystander) throw new Error('everyone answered the demo staff meeting');
      const plus = (attendance: 'yes' | 'maybe' | 'no') => ({
        ...demoCounts,
        [attendance]: (demoCounts[attendance] ?? 0) + 1,
      });
      expect((await statsOf(lena, postId)).attendance).toEqual(demoCounts);
      const reachBefore = await reachOf(postId);

      const yes = await apply(api, lena, feed.answerEvent(postId, 'yes'));
      expect(yes).toMatchObject({ entityId: postId, seq: expect.any(String) });
      expect((await apply(api, lena, feed.answerEvent(postId, 'yes'))).seq).toBeNull();
      for (const reader of [lena, colleague, petra, admin, produktionHead, jonas]) {
        expect(await statsOf(reader, postId), reader.username).toEqual({
          id: postId,
          reactions: {},
          attendance: plus('yes'),
          votes: [],
          voters: 0,
        });
      }
      const state = await stateOf(lena, postId);
      expect(state).toMatchObject({ attendance: 'yes', reaction: null, confirmedAt: null });
      // Answering is having seen it.
      expect(state.seenAt).not.toBeNull();
      expect(await reachOf(postId)).toEqual({ ...reachBefore, seen: reachBefore.seen + 1 });
      // Nobody else's state is hers.
      expect(
        (await syncAll(api, bystander)).changes.filter(
          (c) => c.type === 'postState.upsert' && c.id === postId,
        ),
      ).toEqual([]);

      // A change reaches the others as new counts, her as her state; having seen it already, the
      // author's reach stays.
      const [bystanderBefore, jonasBefore] = await Promise.all([
        syncAll(api, bystander),
        syncAll(api, jonas),
      ]);
      await apply(api, lena, feed.answerEvent(postId, 'maybe'));
      const heard = (await syncAll(api, bystander, { after: bystanderBefore.cursor })).changes;
      expect(describeChanges(heard)).toEqual([`postStats.upsert:${postId}`]);
      expect(upsertOf(heard, 'postStats.upsert', postId).data.attendance).toEqual(plus('maybe'));
      expect(describeChanges((await syncAll(api, jonas, { after: jonasBefore.cursor })).changes)).toEqual([
        `postStats.upsert:${postId}`,
      ]);
      expect(await stateOf(lena, postId)).toMatchObject({ attendance: 'maybe', seenAt: state.seenAt });

      const takenBack = await apply(api, lena, feed.answerEvent(postId, null));
      expect(takenBack.seq).not.toBeNull();
      expect((await apply(api, lena, feed.answerEvent(postId, null))).seq).toBeNull();
      expect((await statsOf(colleague, postId)).attendance).toEqual(demoCounts);
      expect(await stateOf(lena, postId)).toMatchObject({ attendance: null, seenAt: state.seenAt });
      expect(await reachOf(postId)).toEqual({ ...reachBefore, seen: reachBefore.seen + 1 });
      // Taking back what one never gave writes nothing.
      expect((await apply(api, bystander, feed.answerEvent(postId, null))).seq).toBeNull();
      expect(
        (await syncAll(api, bystander)).changes.filter(
          (c) => c.type === 'postState.upsert' && c.id === postId,
        ),
      ).toEqual([]);
    });

    it('lets only the readers of a post with an event answer it', async () => {
      const plantEvent = { startsAt: '2031-06-01T14:00:00+02:00', endsAt: null, place: 'Halle 1' };
      const postId = await publishPost(api, jonas, {
        channelId: plantChannel.id,
        title: 'Tag der offenen Tür',
        event: plantEvent,
      });
      const plain = await publishPost(api, jonas, { channelId: plantChannel.id, title: 'Kein Termin' });
      const later = await publishPost(api, jonas, {
        channelId: plantChannel.id,
        event: plantEvent,
        publishAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      const [lenaBefore, adminBefore] = await Promise.all([syncAll(api, lena), syncAll(api, admin)]);

      const [noEvent] = await mutate(api, lena, [feed.answerEvent(plain, 'yes')]);
      expect(noEvent).toMatchObject({ status: 'rejected', code: 'invalid' });
      expect(noEvent?.status === 'rejected' ? noEvent.message : '').toBe('This post announces no event');
      expect(await rejection(lena, feed.answerEvent(plain, null))).toBe('invalid');
      // Head office does not see the plant's post: the same answer as for one that does not exist.
      const [outsider] = await mutate(api, admin, [feed.answerEvent(postId, 'yes')]);
      const [nowhere] = await mutate(api, admin, [feed.answerEvent(v7(), 'yes')]);
      expect(outsider).toMatchObject({ status: 'rejected', code: 'not_found' });
      expect({ ...outsider, id: '' }).toEqual({ ...nowhere, id: '' });
      // The author writes to the plant but does not read it.
      expect(await rejection(jonas, feed.answerEvent(postId, 'yes'))).toBe('forbidden');
      // A scheduled post cannot be answered before it appears.
      expect(await rejection(lena, feed.answerEvent(later, 'yes'))).toBe('not_found');
      const answer = feed.answerEvent(postId, 'yes');
      const malformed = [
        { ...answer, args: { postId, attendance: 'vielleicht' } },
        { ...answer, args: { postId, attendance: 'YES' } },
        { ...answer, args: { postId } },
        { ...answer, args: { postId: 'kein-post', attendance: 'yes' } },
        { ...answer, args: { postId, attendance: 'yes', extra: true } },
      ];
      const results = await mutate(api, lena, malformed);
      expect(results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual(
        malformed.map(() => 'invalid'),
      );
      expect((await syncAll(api, lena, { after: lenaBefore.cursor })).changes).toEqual([]);
      expect((await syncAll(api, admin, { after: adminBefore.cursor })).changes).toEqual([]);

      // Head office never sees the plant's answers either.
      await apply(api, lena, feed.answerEvent(postId, 'no'));
      expect((await statsOf(colleague, postId)).attendance).toEqual({ no: 1 });
      for (const query of [{}, { snapshot: true }, { after: adminBefore.cursor }]) {
        const { changes } = await syncAll(api, admin, query);
        expect(changes.filter((c) => c.id === postId)).toEqual([]);
      }
    });
  });

  describe('following channels', () => {
    const settingsOf = async (user: User, channelId: string) =>
      (await syncAll(api, user)).changes.filter(
        (c) => c.type.startsWith('feedChannelSettings.') && c.id === channelId,
      );

    it('keeps a reader’s choice to unfollow a channel in their own scope, and to follow it again', async () => {
      const production = await channelNamed(api, jonas, 'Bereich Produktion');
      expect(production.mandatory).toBe(false);
      // Following is the default: following again what one never unfollowed changes nothing.
      expect((await apply(api, lena, feed.followChannel(production.id, true))).seq).toBeNull();
      expect(await settingsOf(lena, production.id)).toEqual([]);

      const unfollowed = await apply(api, lena, feed.followChannel(production.id, false));
      expect(unfollowed.seq).not.toBeNull();
      expect(unfollowed.entityId).toBe(production.id);
      expect((await apply(api, lena, feed.followChannel(production.id, false))).seq).toBeNull();
      expect(await settingsOf(lena, production.id)).toEqual([
        expect.objectContaining({
          type: 'feedChannelSettings.upsert',
          scope: scopeKey('user', lena.id),
          data: { id: production.id, following: false },
        }),
      ]);
      // Her choice is hers alone.
      expect(await settingsOf(produktionHead, production.id)).toEqual([]);

      const lenaBefore = await syncAll(api, lena);
      expect((await apply(api, lena, feed.followChannel(production.id, true))).seq).not.toBeNull();
      expect((await apply(api, lena, feed.followChannel(production.id, true))).seq).toBeNull();
      const changed = (await syncAll(api, lena, { after: lenaBefore.cursor })).changes;
      expect(changed).toEqual([
        expect.objectContaining({
          type: 'feedChannelSettings.upsert',
          data: { id: production.id, following: true },
        }),
      ]);
    });

    it('refuses to unfollow a mandatory channel and hides channels one does not read', async () => {
      const before = await syncAll(api, lena);
      const [result] = await mutate(api, lena, [feed.followChannel(plantChannel.id, false)]);
      expect(result).toMatchObject({ status: 'rejected', code: 'invalid' });
      expect(result?.status === 'rejected' ? result.message : '').toMatch(/mandatory/);
      expect((await apply(api, lena, feed.followChannel(plantChannel.id, true))).seq).toBeNull();

      const sales = await channelNamed(api, jonas, 'Bereich Vertrieb');
      expect(await rejection(lena, feed.followChannel(sales.id, false))).toBe('not_found');
      expect(await rejection(lena, feed.followChannel(sales.id, true))).toBe('not_found');
      expect(await rejection(lena, feed.followChannel(v7(), false))).toBe('not_found');
      // An editor may post in the plant's channel, but does not read it.
      expect(await rejection(jonas, feed.followChannel(plantChannel.id, false))).toBe('not_found');
      const follow = feed.followChannel(plantChannel.id, true);
      const malformed = [
        { ...follow, args: { channelId: plantChannel.id } },
        { ...follow, args: { channelId: plantChannel.id, following: 'nein' } },
        { ...follow, args: { channelId: 'kein-kanal', following: true } },
      ];
      const results = await mutate(api, lena, malformed);
      expect(results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual(
        malformed.map(() => 'invalid'),
      );
      expect((await syncAll(api, lena, { after: before.cursor })).changes).toEqual([]);
    });
  });

  describe('channel administration', () => {
    it('lets admins and editors create channels and moves a channel’s posts with its audience', async () => {
      const plantScope = plantChannel.audience;
      const headOfficeScope = scopeKey('location', company.location('Hauptverwaltung Bielefeld').id);
      const spec = { name: 'Baustelle Halle 4', audience: plantScope };
      expect(errorCode(await putFeedChannelRequest(api, lena, spec, v7()))).toBe('403 forbidden');
      expect(
        errorCode(
          await putFeedChannelRequest(api, jonas, { ...spec, audience: scopeKey('user', lena.id) }, v7()),
        ),
      ).toBe('400 bad_request');
      const channelId = await putFeedChannel(api, jonas, spec);
      const postId = await publishPost(api, jonas, { channelId, requiresConfirmation: true });
      await apply(api, lena, feed.confirmPost(postId));
      await apply(api, lena, feed.react(postId, 'like'));
      await apply(api, lena, feed.followChannel(channelId, false));
      const channelUpsert = upsertOf((await syncAll(api, lena)).changes, 'feedChannel.upsert', channelId);
      expect(channelUpsert.data).toMatchObject({
        name: 'Baustelle Halle 4',
        description: '',
        mandatory: false,
      });

      const lenaBefore = await syncAll(api, lena);
      const adminBefore = await syncAll(api, admin);
      await putFeedChannel(api, admin, { ...spec, audience: headOfficeScope, mandatory: true }, channelId);

      const lenaAfter = await syncAll(api, lena, { after: lenaBefore.cursor });
      expect(describeChanges(lenaAfter.changes)).toEqual(
        expect.arrayContaining([
          `feedChannel.delete:${channelId}`,
          `post.delete:${postId}`,
          `postState.delete:${postId}`,
          `postStats.delete:${postId}`,
          `feedChannelSettings.delete:${channelId}`,
        ]),
      );
      expect(
        lenaAfter.changes.filter((c) => c.type.endsWith('.upsert') && [channelId, postId].includes(c.id)),
      ).toEqual([]);
      for (const query of [{}, { snapshot: true }]) {
        const { changes } = await syncAll(api, lena, query);
        expect(
          changes.filter((c) => [channelId, postId].includes(c.id) && c.type.endsWith('.upsert')),
        ).toEqual([]);
      }
      const adminAfter = await syncAll(api, admin, { after: adminBefore.cursor });
      expect(upsertOf(adminAfter.changes, 'feedChannel.upsert', channelId).data).toMatchObject({
        audience: headOfficeScope,
        mandatory: true,
      });
      expect(upsertOf(adminAfter.changes, 'post.upsert', postId).scope).toBe(headOfficeScope);
      // The counts go along: head office sees the plant's reaction.
      expect(upsertOf(adminAfter.changes, 'postStats.upsert', postId)).toMatchObject({
        scope: headOfficeScope,
        data: { reactions: { like: 1 } },
      });
      const headOffice = company.people.filter(
        (p) => p.locationId === company.location('Hauptverwaltung Bielefeld').id,
      );
      const reach = upsertOf((await syncAll(api, jonas)).changes, 'postReach.upsert', postId);
      expect(reach.data).toMatchObject({ audience: headOffice.length, confirmed: 1, reacted: 1 });
    });
    it('takes readers’ choices to follow along with the audience, and a mandatory channel resets them', async () => {
      const plantScope = plantChannel.audience;
      const workshopScope = scopeKey('orgUnit', company.unit('Werkstatt').id);
      expect(company.person('lena.weber').orgUnitId).toBe(company.unit('Werkstatt').id);
      const spec = { name: 'Werkstattfunk', audience: plantScope };
      const channelId = await putFeedChannel(api, jonas, spec);
      for (const user of [lena, colleague]) await apply(api, user, feed.followChannel(channelId, false));
      const [lenaBefore, colleagueBefore] = await Promise.all([syncAll(api, lena), syncAll(api, colleague)]);

      // To the Werkstatt: Lena stays and keeps her choice, her colleague from Montage loses it.
      await putFeedChannel(api, jonas, { ...spec, audience: workshopScope }, channelId);
      const settings = <T extends { type: string; id: string }>(changes: T[]) =>
        changes.filter((c) => c.type.startsWith('feedChannelSettings.') && c.id === channelId);
      expect(settings((await syncAll(api, lena, { after: lenaBefore.cursor })).changes)).toEqual([
        expect.objectContaining({
          type: 'feedChannelSettings.upsert',
          data: { id: channelId, following: false },
        }),
      ]);
      const colleagueMoved = await syncAll(api, colleague, { after: colleagueBefore.cursor });
      expect(describeChanges(settings(colleagueMoved.changes))).toEqual([
        `feedChannelSettings.delete:${channelId}`,
      ]);
      expect(settings((await syncAll(api, colleague, { snapshot: true })).changes)).toEqual([]);
      expect(await rejection(colleague, feed.followChannel(channelId, true))).toBe('not_found');

      // Back to the plant: the colleague's choice comes back with it.
      await putFeedChannel(api, jonas, spec, channelId);
      expect(settings((await syncAll(api, colleague, { after: colleagueMoved.cursor })).changes)).toEqual([
        expect.objectContaining({
          type: 'feedChannelSettings.upsert',
          data: { id: channelId, following: false },
        }),
      ]);

      // Mandatory: everyone follows it again.
      const lenaLater = await syncAll(api, lena);
      await putFeedChannel(api, jonas, { ...spec, mandatory: true }, channelId);
      expect(
        describeChanges(settings((await syncAll(api, lena, { after: lenaLater.cursor })).changes)),
      ).toEqual([`feedChannelSettings.delete:${channelId}`]);
      expect(await rejection(lena, feed.followChannel(channelId, false))).toBe('invalid');
      expect((await apply(api, lena, feed.followChannel(channelId, true))).seq).toBeNull();
    });
  });

  describe('the channels one may post in', () => {
    it('are every channel for an editor, their own units’ for a manager, and none for anyone else', async () => {
      const demoCompany = generateDemoCompany(defaultDemoSize);
      const demoChannels = generateDemoFeed(demoCompany).channels;
      const production = company.unit('Produktion');
      const workshop = company.unit('Werkstatt');
      expect(workshop.parentId).toBe(production.id);
      expect(workshop.managerId).not.toBe(produktionHead.id);
      // One channel nobody reads, one for Produktion alone, one for the Werkstatt below it.
      const created = [
        { name: 'Niemandsland', audience: scopeKey('location', v7()) },
        { name: 'Team Produktion', audience: scopeKey('orgUnit', production.id) },
        { name: 'Team Werkstatt', audience: scopeKey('orgUnit', workshop.id) },
      ];
      const createdIds: string[] = [];
      for (const spec of created) createdIds.push(await putFeedChannel(api, admin, spec));
      const [nobodysId, teamId, workshopTeamId] = createdIds as [string, string, string];

      // The editor: every channel, also those he does not read, each once and in full.
      const editorList = await postableChannels(api, jonas);
      const editorIds = editorList.map((c) => c.id);
      expect(new Set(editorIds).size).toBe(editorIds.length);
      expect(editorIds).toEqual(expect.arrayContaining([...demoChannels.map((c) => c.id), ...createdIds]));
      expect(editorList.find((c) => c.id === nobodysId)).toEqual({
        id: nobodysId,
        name: 'Niemandsland',
        description: '',
        audience: created[0]?.audience,
        mandatory: false,
        createdAt: expect.any(String),
      });
      const jonasReads = (await syncAll(api, jonas, { snapshot: true })).changes;
      expect(jonasReads.filter((c) => c.id === nobodysId || c.id === plantChannel.id)).toEqual([]);
      await publishPost(api, jonas, { channelId: nobodysId });

      // A manager: the channels of the units they manage (with or without sub-units), not those below.
      const managed = (personId: string) =>
        new Set(demoCompany.orgUnits.filter((u) => u.managerId === personId).map((u) => u.id));
      const unitChannels = (personId: string) =>
        [...demoChannels, ...created.map((c, i) => ({ ...c, id: createdIds[i] ?? '' }))]
          .filter((c) => {
            const [kind, id] = c.audience.split(':');
            return (kind === 'orgUnit' || kind === 'orgUnitTree') && managed(personId).has(id ?? '');
          })
          .map((c) => c.name)
          .sort();
      expect(managed(produktionHead.id)).toEqual(new Set([production.id]));
      expect(unitChannels(produktionHead.id)).toEqual(['Bereich Produktion', 'Team Produktion']);
      expect((await postableChannels(api, produktionHead)).map((c) => c.name)).toEqual(
        unitChannels(produktionHead.id),
      );
      expect((await postableChannels(api, petra)).map((c) => c.name)).toEqual(['Bereich Kantine']);
      await publishPost(api, produktionHead, { channelId: teamId });
      expect(await rejection(produktionHead, feed.publishPost({ channelId: workshopTeamId }))).toBe(
        'not_found',
      );

      // Employees, and an administrator who is no editor: none.
      for (const user of [lena, colleague, admin]) {
        expect(managed(user.id), user.username).toEqual(new Set());
        expect(await postableChannels(api, user), user.username).toEqual([]);
      }
      expect((await api.get('/api/v1/feed/channels/postable')).status).toBe(401);
    });
  });

  // Last: it takes someone out of the plant.
  describe('a reader who leaves the company', () => {
    it('takes their reaction and their answers out of the counts and the author’s reach', async () => {
      const postId = await publishPost(api, jonas, { channelId: plantChannel.id, title: 'Abschied' });
      const party = await publishPost(api, jonas, {
        channelId: plantChannel.id,
        title: 'Abschiedsfeier',
        event: { startsAt: '2031-07-01T16:00:00+02:00', endsAt: null, place: 'Kantine' },
      });
      const leaving = plantPeople.find(
        (p) =>
          ![lena.id, colleague.id, petra.id, produktionHead.id].includes(p.id) &&
          !company.people.some((other) => other.managerId === p.id),
      );
      if (!leaving) throw new Error('nobody at the plant can leave');
      const leaver = await signInAs(api, leaving.username);
      await apply(api, leaver, feed.react(postId, 'sad'));
      await apply(api, lena, feed.react(postId, 'like'));
      // Answering only, without a reaction: the answer alone changes the counts.
      await apply(api, leaver, feed.answerEvent(party, 'no'));
      await apply(api, lena, feed.answerEvent(party, 'yes'));
      const [lenaBefore, jonasBefore] = await Promise.all([syncAll(api, lena), syncAll(api, jonas)]);

      const removed = await api.delete(`/api/v1/admin/people/${leaving.id}`, { token: admin.token });
      expect(removed.status).toBe(204);
      const stats = upsertOf(
        (await syncAll(api, lena, { after: lenaBefore.cursor })).changes,
        'postStats.upsert',
        postId,
      );
      expect(stats.data.reactions).toEqual({ like: 1 });
      const answers = upsertOf(
        (await syncAll(api, lena, { after: lenaBefore.cursor })).changes,
        'postStats.upsert',
        party,
      );
      expect(answers.data).toEqual({
        id: party,
        reactions: {},
        attendance: { yes: 1 },
        votes: [],
        voters: 0,
      });
      const jonasAfter = (await syncAll(api, jonas, { after: jonasBefore.cursor })).changes;
      const reach = upsertOf(jonasAfter, 'postReach.upsert', postId);
      expect(reach.data).toMatchObject({ audience: plantPeople.length - 1, seen: 1, reacted: 1 });
      expect(upsertOf(jonasAfter, 'postReach.upsert', party).data).toMatchObject({
        audience: plantPeople.length - 1,
        seen: 1,
        reacted: 0,
      });
    });
  });
});
