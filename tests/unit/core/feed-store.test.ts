import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { highlightEnd, highlightStart, scopeKey } from '@flurfunk/protocol';
import type { FeedChannel, Post, PostComment, PostPoll, SessionUser, SyncPage } from '@flurfunk/protocol';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CacheDatabase, openCacheDatabase } from '../../../electron/core/cache/database.js';
import { FeedPermissions } from '../../../electron/core/feed/feed-permissions.js';
import { FeedReader } from '../../../electron/core/feed/feed-reader.js';
import { CommentWrites } from '../../../electron/core/feed/comment-writes.js';
import { FeedWrites } from '../../../electron/core/feed/feed-writes.js';
import { KnownFiles } from '../../../electron/core/files/known-files.js';
import type { ServerSession } from '../../../electron/core/session/server-session.js';
import { applySyncPage } from '../../../electron/core/sync/apply-page.js';
import { ChangeSet } from '../../../electron/core/sync/change-set.js';
import { readCursor } from '../../../electron/core/sync/sync-state.js';
import {
  type UnnumberedChange,
  changesFor,
  jonas,
  lena,
  plant,
  upsertAll,
  workshop,
} from './core-test-data.js';
import { syncStoresFor } from './sync-test-stores.js';

let dir: string;
let db: CacheDatabase;
let stores: ReturnType<typeof syncStoresFor>;

const plantScope = scopeKey('location', plant.id);
const workshopScope = scopeKey('orgUnitTree', workshop.id);
const lenaScopes = ['company', plantScope, workshopScope, scopeKey('user', lena.id)];

const companyChannel: FeedChannel = {
  id: uuidv7(),
  name: 'Unternehmen',
  description: 'Alles, was alle angeht',
  audience: 'company',
  mandatory: true,
  createdAt: '2026-11-01T08:00:00.000000Z',
};
const plantChannel: FeedChannel = { ...companyChannel, id: uuidv7(), name: 'Werk', audience: plantScope };
const workshopChannel: FeedChannel = {
  ...companyChannel,
  id: uuidv7(),
  name: 'Werkstatt',
  audience: workshopScope,
};

function post(channel: FeedChannel, title: string, publishAt: string, extra: Partial<Post> = {}): Post {
  return {
    id: uuidv7(),
    channelId: channel.id,
    authorId: jonas.id,
    title,
    body: `Text zu ${title}`,
    requiresConfirmation: false,
    pinned: false,
    commentsEnabled: true,
    event: null,
    poll: null,
    attachments: [],
    published: true,
    publishAt,
    createdAt: publishAt,
    editedAt: null,
    ...extra,
  };
}

function sync(entries: UnnumberedChange[], scopes = lenaScopes): void {
  const after = readCursor(db);
  const changes = changesFor(entries, Number(after) + 1);
  const page: SyncPage = {
    epoch: 'e1',
    scopes,
    changes,
    cursor: changes.at(-1)?.seq ?? after,
    hasMore: false,
  };
  applySyncPage(db, stores.stores, page, { kind: 'main', after }, null);
}

const channelChange = (channel: FeedChannel): UnnumberedChange => ({
  type: 'feedChannel.upsert',
  id: channel.id,
  scope: channel.audience,
  data: channel,
});
const postChange = (p: Post, channel: FeedChannel): UnnumberedChange => ({
  type: 'post.upsert',
  id: p.id,
  scope: channel.audience,
  data: p,
});

const allChannels = [companyChannel, plantChannel, workshopChannel];
const noServer = {} as ServerSession;
/** The user's view and writes, with the channels the server says they may post in. */
const asUser = (
  user: SessionUser,
  postable: FeedChannel[] = user.roles.includes('editor') ? allChannels : [],
) => {
  stores.feed.replacePostableChannels(postable);
  const permissions = new FeedPermissions(stores.feed, user);
  return {
    reader: new FeedReader(stores.feed, stores.comments, permissions, noServer, user.id),
    writes: new FeedWrites(
      db,
      stores.feed,
      permissions,
      stores.outbox,
      stores.index,
      user,
      new KnownFiles(db),
    ),
    comments: new CommentWrites(
      db,
      stores.feed,
      stores.comments,
      permissions,
      stores.outbox,
      stores.index,
      user,
    ),
  };
};
const lenaUser: SessionUser = {
  id: lena.id,
  username: lena.username,
  displayName: lena.displayName,
  roles: ['employee'],
};
const jonasUser: SessionUser = {
  id: jonas.id,
  username: jonas.username,
  displayName: jonas.displayName,
  roles: ['employee', 'editor'],
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flurfunk-feed-'));
  db = openCacheDatabase(join(dir, 'c.db'), randomBytes(32).toString('hex'));
  stores = syncStoresFor(db);
  sync([
    ...upsertAll(),
    channelChange(companyChannel),
    channelChange(plantChannel),
    channelChange(workshopChannel),
  ]);
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the cached newsfeed', () => {
  it('lists pinned posts first, then the newest, and pages on without gaps or repeats', () => {
    const posts = Array.from({ length: 25 }, (_, i) =>
      post(
        i % 2 ? companyChannel : plantChannel,
        `Meldung ${i}`,
        `2026-11-${String(1 + i).padStart(2, '0')}T09:00:00.000000Z`,
      ),
    );
    const pinned = post(companyChannel, 'Angeheftet', '2026-10-01T09:00:00.000000Z', { pinned: true });
    sync([
      ...posts.map((p) => postChange(p, p.channelId === plantChannel.id ? plantChannel : companyChannel)),
      postChange(pinned, companyChannel),
    ]);
    const { reader } = asUser(lenaUser);

    const seen: string[] = [];
    let page = reader.listPosts({ limit: 10 });
    while (page.length > 0) {
      seen.push(...page.map((p) => p.title));
      const last = page.at(-1)!;
      page = reader.listPosts({
        limit: 10,
        after: { pinned: last.pinned, publishAt: last.publishAt, id: last.id },
      });
    }
    expect(seen).toEqual(['Angeheftet', ...posts.map((p) => p.title).reverse()]);

    const plantOnly = reader.listPosts({ channelId: plantChannel.id, limit: 100 });
    expect(plantOnly.map((p) => p.channelId)).toEqual(Array(13).fill(plantChannel.id));
  });

  it('counts unread posts of others per channel and forgets them once seen', () => {
    const a = post(plantChannel, 'Neue Schichtpläne', '2026-11-20T06:00:00.000000Z');
    const b = post(plantChannel, 'Hallenfest', '2026-11-21T06:00:00.000000Z');
    sync([postChange(a, plantChannel), postChange(b, plantChannel)]);
    const { reader, writes } = asUser(lenaUser);
    expect(reader.listChannels().find((c) => c.id === plantChannel.id)?.unread).toBe(2);

    const changes = new ChangeSet();
    writes.markSeen({ postIds: [a.id, uuidv7()] }, changes);
    expect(reader.listChannels().find((c) => c.id === plantChannel.id)?.unread).toBe(1);
    expect(reader.getPost(a.id)?.seenAt).not.toBeNull();
    expect(stores.outbox.list().map((e) => e.type)).toEqual(['feed.markSeen']);

    // Seen twice is sent once.
    writes.markSeen({ postIds: [a.id] }, new ChangeSet());
    expect(stores.outbox.list()).toHaveLength(1);
  });

  it('finds posts by words in title or body, accents and case ignored, with the matches marked', () => {
    const safety = post(plantChannel, 'Sicherheitsunterweisung Halle 2', '2026-11-20T06:00:00.000000Z', {
      body: 'Bitte die neue Prüfvorschrift für Hebezeuge lesen.',
    });
    const party = post(companyChannel, 'Weihnachtsfeier', '2026-11-21T06:00:00.000000Z', {
      body: 'Mit Glühwein und Prüfungsfreiem Programm.',
    });
    sync([postChange(safety, plantChannel), postChange(party, companyChannel)]);
    const { reader } = asUser(lenaUser);

    const hits = reader.searchPosts({ query: 'prufvor', limit: 10 });
    expect(hits.map((h) => h.postId)).toEqual([safety.id]);
    expect(hits[0]?.snippet).toContain(`${highlightStart}Prüfvorschrift${highlightEnd}`);

    expect(reader.searchPosts({ query: 'SICHERHEIT', limit: 10 })[0]?.title).toBe(
      `${highlightStart}Sicherheitsunterweisung${highlightEnd} Halle 2`,
    );
    expect(
      reader.searchPosts({ query: 'prüf', channelId: companyChannel.id, limit: 10 }).map((h) => h.postId),
    ).toEqual([party.id]);
    // FTS5 syntax typed by a user is plain text, not an error.
    expect(reader.searchPosts({ query: '"halle* -(', limit: 10 }).map((h) => h.postId)).toEqual([safety.id]);
    expect(reader.searchPosts({ query: '***', limit: 10 })).toEqual([]);
  });

  it('keeps edited text findable under the new words only, and drops deleted posts from search', () => {
    const p = post(companyChannel, 'Kantine', '2026-11-20T06:00:00.000000Z', { body: 'Heute Linsensuppe' });
    sync([postChange(p, companyChannel)]);
    sync([
      postChange(
        { ...p, body: 'Heute Kartoffelsuppe', editedAt: '2026-11-20T07:00:00.000000Z' },
        companyChannel,
      ),
    ]);
    const { reader } = asUser(lenaUser);
    expect(reader.searchPosts({ query: 'linsen', limit: 10 })).toEqual([]);
    expect(reader.searchPosts({ query: 'kartoffel', limit: 10 })).toHaveLength(1);
    sync([{ type: 'post.delete', id: p.id, scope: 'company' }]);
    expect(reader.searchPosts({ query: 'kartoffel', limit: 10 })).toEqual([]);
    expect(reader.getPost(p.id)).toBeNull();
  });

  it('offers posting where the server allows it, and refuses a post elsewhere before queueing it', () => {
    expect(
      asUser(lenaUser)
        .reader.listChannels()
        .every((c) => !c.canPost),
    ).toBe(true);
    expect(
      asUser(jonasUser)
        .reader.listChannels()
        .every((c) => c.canPost),
    ).toBe(true);
    expect(() =>
      asUser(lenaUser).writes.publishPost(
        {
          channelId: plantChannel.id,
          title: 'Hallo',
          body: 'Test',
          requiresConfirmation: false,
          commentsEnabled: true,
          pinned: false,
          publishAt: null,
          event: null,
          poll: null,
          attachments: [],
        },
        new ChangeSet(),
      ),
    ).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(stores.outbox.list()).toEqual([]);

    const asManager = asUser(lenaUser, [workshopChannel]).reader.listChannels();
    expect(asManager.filter((c) => c.canPost).map((c) => c.name)).toEqual(['Werkstatt']);
  });

  it("lists an editor's channels they may post in but do not read, with their own posts there", () => {
    const elsewhere: FeedChannel = {
      ...companyChannel,
      id: uuidv7(),
      name: 'Vertrieb',
      audience: scopeKey('orgUnitTree', uuidv7()),
    };
    const { reader, writes } = asUser(jonasUser, [...allChannels, elsewhere]);
    expect(reader.listChannels().find((c) => c.id === elsewhere.id)).toMatchObject({
      canPost: true,
      unread: 0,
    });
    const id = writes.publishPost(
      {
        channelId: elsewhere.id,
        title: 'Messe',
        body: 'Stand 4',
        requiresConfirmation: false,
        commentsEnabled: true,
        pinned: false,
        publishAt: null,
        event: null,
        poll: null,
        attachments: [],
      },
      new ChangeSet(),
    );
    expect(reader.listPosts({ channelId: elsewhere.id, limit: 10 }).map((p) => p.id)).toEqual([id]);
  });

  it("keeps the author's own post while it comes as authored post, though its audience copy goes", () => {
    const own = post(plantChannel, 'Eigener Beitrag', '2026-11-20T06:00:00.000000Z', { authorId: lena.id });
    sync([
      postChange(own, plantChannel),
      { type: 'authoredPost.upsert', id: own.id, scope: scopeKey('user', lena.id), data: own },
    ]);
    sync(
      [],
      lenaScopes.filter((scope) => scope !== plantScope),
    );
    expect(asUser(lenaUser).reader.getPost(own.id)).toMatchObject({
      title: 'Eigener Beitrag',
      canManage: true,
    });
    sync([{ type: 'authoredPost.delete', id: own.id, scope: scopeKey('user', lena.id) }]);
    expect(asUser(lenaUser).reader.getPost(own.id)).toBeNull();
  });

  it('shows a new post with the user’s uploads as its attachments at once, and refuses files that are not theirs', () => {
    const { reader, writes } = asUser(jonasUser);
    const known = new KnownFiles(db);
    const photo = {
      id: uuidv7(),
      name: 'Foto.png',
      mediaType: 'image/png',
      size: 1234,
      sha256: 'a'.repeat(64),
      width: 80,
      height: 60,
    };
    known.recordUpload(photo);
    const draft = {
      channelId: plantChannel.id,
      title: 'Mit Bild',
      body: 'Siehe unten.',
      requiresConfirmation: false,
      commentsEnabled: true,
      pinned: false,
      publishAt: null,
      event: null,
      poll: null,
    };
    const id = writes.publishPost({ ...draft, attachments: [photo.id] }, new ChangeSet());
    expect(reader.getPost(id)?.attachments).toEqual([photo]);
    expect(known.meta(photo.id)).toEqual(photo);
    // Taken by that post: it cannot be attached again, nor can a file never uploaded here.
    for (const attachments of [[photo.id], [uuidv7()]]) {
      expect(() => writes.publishPost({ ...draft, attachments }, new ChangeSet())).toThrow(
        expect.objectContaining({ code: 'not_found' }),
      );
    }
    expect(stores.outbox.list().map((e) => e.type)).toEqual(['feed.publishPost']);

    // The server refuses the post and the user discards it: the files can be attached again.
    const [entry] = stores.outbox.list();
    stores.outbox.markFailed(entry!.id, 'forbidden', 'no');
    const stored = stores.outbox.get(entry!.id)!;
    db.transaction(() => {
      stores.outbox.delete(stored.id);
      writes.undo(stored, new ChangeSet());
    }).immediate();
    expect(reader.getPost(id)).toBeNull();
    expect(known.takeUploads([photo.id])).toEqual([photo]);
  });

  it('shows a new post at once as pending, and a scheduled one as not yet published', () => {
    const { reader, writes } = asUser(jonasUser);
    const changes = new ChangeSet();
    const id = writes.publishPost(
      {
        channelId: plantChannel.id,
        title: 'Sicherheitsunterweisung',
        body: '**Bitte lesen**',
        requiresConfirmation: true,
        commentsEnabled: false,
        pinned: false,
        publishAt: null,
        event: null,
        poll: null,
        attachments: [],
      },
      changes,
    );
    expect(reader.getPost(id)).toMatchObject({ delivery: 'pending', published: true, canManage: true });
    expect(changes.idsOf('post')).toEqual([id]);

    const later = new Date(Date.now() + 3_600_000).toISOString();
    const scheduledId = writes.publishPost(
      {
        channelId: companyChannel.id,
        title: 'Morgen',
        body: 'Später',
        requiresConfirmation: false,
        commentsEnabled: true,
        pinned: false,
        publishAt: later,
        event: null,
        poll: null,
        attachments: [],
      },
      new ChangeSet(),
    );
    expect(reader.getPost(scheduledId)).toMatchObject({ published: false, publishAt: later });
    expect(stores.outbox.list().map((e) => e.type)).toEqual(['feed.publishPost', 'feed.publishPost']);
  });

  it('confirms a post optimistically and takes the confirmation back when the user discards the refused write', () => {
    const notice = post(plantChannel, 'Unterweisung', '2026-11-20T06:00:00.000000Z', {
      requiresConfirmation: true,
    });
    sync([postChange(notice, plantChannel)]);
    const { reader, writes } = asUser(lenaUser);
    writes.confirmPost({ postId: notice.id }, new ChangeSet());
    expect(reader.getPost(notice.id)).toMatchObject({ delivery: 'pending' });
    expect(reader.getPost(notice.id)?.confirmedAt).not.toBeNull();

    const [entry] = stores.outbox.list();
    stores.outbox.markFailed(entry!.id, 'not_found', 'gone');
    const stored = stores.outbox.get(entry!.id)!;
    db.transaction(() => {
      stores.outbox.delete(stored.id);
      writes.undo(stored, new ChangeSet());
    }).immediate();
    expect(reader.getPost(notice.id)).toMatchObject({ confirmedAt: null, delivery: 'synced' });
  });

  it('re-applies an unconfirmed edit over an older server version that sync brings', () => {
    const p = post(companyChannel, 'Kantine', '2026-11-20T06:00:00.000000Z');
    sync([postChange(p, companyChannel)]);
    const { reader, writes } = asUser(jonasUser);
    writes.editPost({ postId: p.id, title: 'Kantine heute', body: 'Neu' }, new ChangeSet());
    sync([postChange({ ...p, pinned: true }, companyChannel)]);
    writes.reapply(stores.outbox.forEntities([p.id]));
    expect(reader.getPost(p.id)).toMatchObject({ title: 'Kantine heute', body: 'Neu', pinned: true });
  });

  it('refuses to confirm a post that asks for no confirmation', () => {
    const p = post(companyChannel, 'Info', '2026-11-20T06:00:00.000000Z');
    sync([postChange(p, companyChannel)]);
    expect(() => asUser(lenaUser).writes.confirmPost({ postId: p.id }, new ChangeSet())).toThrow(
      expect.objectContaining({ code: 'invalid_args' }),
    );
    expect(stores.outbox.list()).toEqual([]);
  });

  it('purges a channel and its posts when the user loses its scope', () => {
    const p = post(plantChannel, 'Nur fürs Werk', '2026-11-20T06:00:00.000000Z');
    sync([postChange(p, plantChannel)]);
    sync(
      [],
      lenaScopes.filter((scope) => scope !== plantScope),
    );
    const { reader } = asUser(lenaUser);
    expect(reader.getPost(p.id)).toBeNull();
    expect(reader.listChannels().map((c) => c.name)).not.toContain('Werk');
    expect(reader.searchPosts({ query: 'werk', limit: 10 })).toEqual([]);
  });

  it("shows the reader's own reaction at once and everyone's counts as sync brings them", () => {
    const p = post(companyChannel, 'Sommerfest', '2026-11-20T06:00:00.000000Z');
    sync([postChange(p, companyChannel)]);
    const { reader, writes } = asUser(lenaUser);
    writes.react({ postId: p.id, reaction: 'celebrate' }, new ChangeSet());
    expect(reader.getPost(p.id)).toMatchObject({ reaction: 'celebrate', reactions: {}, delivery: 'pending' });

    sync([
      {
        type: 'postStats.upsert',
        id: p.id,
        scope: 'company',
        data: { id: p.id, reactions: { celebrate: 4, like: 2 }, attendance: {}, votes: [], voters: 0 },
      },
    ]);
    expect(reader.getPost(p.id)?.reactions).toEqual({ celebrate: 4, like: 2 });

    // The server's older state of her post (without the reaction) does not undo her pending one.
    const state = {
      id: p.id,
      seenAt: null,
      confirmedAt: null,
      remindedAt: null,
      reaction: null,
      attendance: null,
      votes: [],
    };
    sync([{ type: 'postState.upsert', id: p.id, scope: scopeKey('user', lena.id), data: state }]);
    writes.reapply(stores.outbox.forEntities([p.id]));
    expect(reader.getPost(p.id)?.reaction).toBe('celebrate');

    writes.react({ postId: p.id, reaction: null }, new ChangeSet());
    expect(reader.getPost(p.id)?.reaction).toBeNull();
    expect(stores.outbox.list().map((e) => e.type)).toEqual(['feed.react', 'feed.react']);
  });

  it('leaves an unfollowed channel out of the feed of all channels, but not out of its own', () => {
    const optional: FeedChannel = {
      ...companyChannel,
      id: uuidv7(),
      name: 'Betriebssport',
      mandatory: false,
    };
    const sport = post(optional, 'Lauftreff', '2026-11-21T06:00:00.000000Z');
    const news = post(companyChannel, 'Neuigkeiten', '2026-11-20T06:00:00.000000Z');
    sync([channelChange(optional), postChange(sport, optional), postChange(news, companyChannel)]);
    const { reader, writes } = asUser(lenaUser);
    expect(reader.listPosts({ limit: 10 }).map((p) => p.title)).toEqual(['Lauftreff', 'Neuigkeiten']);

    writes.followChannel({ channelId: optional.id, following: false }, new ChangeSet());
    expect(reader.listPosts({ limit: 10 }).map((p) => p.title)).toEqual(['Neuigkeiten']);
    expect(reader.listPosts({ channelId: optional.id, limit: 10 }).map((p) => p.title)).toEqual([
      'Lauftreff',
    ]);
    expect(reader.listChannels().find((c) => c.id === optional.id)?.following).toBe(false);

    expect(() =>
      writes.followChannel({ channelId: companyChannel.id, following: false }, new ChangeSet()),
    ).toThrow(expect.objectContaining({ code: 'invalid_args' }));
    const [entry] = stores.outbox.list();
    stores.outbox.markFailed(entry!.id, 'invalid', 'refused');
    db.transaction(() => writes.undo(stores.outbox.get(entry!.id)!, new ChangeSet())).immediate();
    expect(reader.listChannels().find((c) => c.id === optional.id)?.following).toBe(true);
  });

  it("keeps an event with its post and takes the reader's answer at once, only for events", () => {
    const event = { startsAt: '2026-12-12T09:00:00.000000Z', endsAt: null, place: 'Halle 2' };
    const meeting = post(companyChannel, 'Betriebsversammlung', '2026-11-20T06:00:00.000000Z', { event });
    const plain = post(companyChannel, 'Info', '2026-11-19T06:00:00.000000Z');
    sync([postChange(meeting, companyChannel), postChange(plain, companyChannel)]);
    const { reader, writes } = asUser(lenaUser);
    expect(reader.getPost(meeting.id)).toMatchObject({ event, attendance: null, attendances: {} });

    writes.answerEvent({ postId: meeting.id, attendance: 'yes' }, new ChangeSet());
    expect(reader.getPost(meeting.id)).toMatchObject({ attendance: 'yes', delivery: 'pending' });
    sync([
      {
        type: 'postStats.upsert',
        id: meeting.id,
        scope: 'company',
        data: { id: meeting.id, reactions: {}, attendance: { yes: 12, maybe: 3 }, votes: [], voters: 0 },
      },
    ]);
    expect(reader.getPost(meeting.id)?.attendances).toEqual({ yes: 12, maybe: 3 });
    expect(() => writes.answerEvent({ postId: plain.id, attendance: 'no' }, new ChangeSet())).toThrow(
      expect.objectContaining({ code: 'invalid_args' }),
    );
  });
});

describe('cached comments', () => {
  const summer = post(companyChannel, 'Sommerfest', '2026-11-20T06:00:00.000000Z');
  const comment = (body: string, at: string, extra: Partial<PostComment> = {}): PostComment => ({
    id: uuidv7(),
    postId: summer.id,
    parentId: null,
    authorId: jonas.id,
    body,
    createdAt: at,
    editedAt: null,
    ...extra,
  });
  const commentChange = (c: PostComment): UnnumberedChange => ({
    type: 'postComment.upsert',
    id: c.id,
    scope: companyChannel.audience,
    data: c,
  });
  const bodies = (postId = summer.id) =>
    asUser(lenaUser)
      .reader.listComments(postId)
      .map((c) => c.body);

  beforeEach(() => sync([postChange(summer, companyChannel)]));

  it('lists each comment followed by its replies, threads in the order they began, and counts them on the post', () => {
    const first = comment('Wann geht es los?', '2026-11-20T07:00:00.000000Z');
    const second = comment('Gibt es Musik?', '2026-11-20T08:00:00.000000Z');
    const late = comment('Um 15 Uhr.', '2026-11-20T09:00:00.000000Z', { parentId: first.id });
    const early = comment('Ich glaube mittags.', '2026-11-20T07:30:00.000000Z', { parentId: first.id });
    // A reply can come before the comment it answers: it stands on its own until it does.
    sync([commentChange(late)]);
    expect(bodies()).toEqual(['Um 15 Uhr.']);
    sync([commentChange(second), commentChange(first), commentChange(early)]);
    expect(bodies()).toEqual(['Wann geht es los?', 'Ich glaube mittags.', 'Um 15 Uhr.', 'Gibt es Musik?']);
    expect(asUser(lenaUser).reader.getPost(summer.id)?.comments).toBe(4);
    sync([{ type: 'postComment.delete', id: second.id, scope: companyChannel.audience }]);
    expect(bodies()).toEqual(['Wann geht es los?', 'Ich glaube mittags.', 'Um 15 Uhr.']);
  });

  it('keeps a comment on the user’s own post while either copy remains', () => {
    const own = post(plantChannel, 'Eigener Beitrag', '2026-11-20T06:00:00.000000Z', { authorId: lena.id });
    const c = comment('Danke!', '2026-11-20T07:00:00.000000Z', { postId: own.id });
    const lenaScope = scopeKey('user', lena.id);
    sync([
      postChange(own, plantChannel),
      { type: 'authoredPost.upsert', id: own.id, scope: lenaScope, data: own },
      { type: 'postComment.upsert', id: c.id, scope: plantScope, data: c },
      { type: 'authoredPostComment.upsert', id: c.id, scope: lenaScope, data: c },
    ]);
    sync(
      [],
      lenaScopes.filter((scope) => scope !== plantScope),
    );
    expect(bodies(own.id)).toEqual(['Danke!']);
    sync([{ type: 'authoredPostComment.delete', id: c.id, scope: lenaScope }]);
    expect(bodies(own.id)).toEqual([]);
  });

  it('shows the user’s comment at once as pending, and a reply to a reply under the comment they answer', () => {
    const question = comment('Wann geht es los?', '2026-11-20T07:00:00.000000Z');
    const answer = comment('Um 15 Uhr.', '2026-11-20T08:00:00.000000Z', { parentId: question.id });
    sync([commentChange(question), commentChange(answer)]);
    const { reader, comments } = asUser(lenaUser);
    const changes = new ChangeSet();
    const id = comments.addComment({ postId: summer.id, parentId: answer.id, body: 'Danke!' }, changes);
    expect(reader.getComment(id)).toMatchObject({
      parentId: question.id,
      authorId: lena.id,
      delivery: 'pending',
      canEdit: true,
      canDelete: true,
    });
    expect(changes.idsOf('postComment')).toEqual([id]);
    expect(changes.idsOf('post')).toEqual([summer.id]);
    expect(bodies()).toEqual(['Wann geht es los?', 'Um 15 Uhr.', 'Danke!']);
    const [entry] = stores.outbox.list();
    expect(stores.outbox.get(entry!.id)).toMatchObject({
      type: 'feed.addComment',
      entityId: id,
      args: { commentId: id, postId: summer.id, parentId: question.id, body: 'Danke!' },
    });
    // Others' comments: Lena may neither edit nor delete them.
    expect(reader.getComment(question.id)).toMatchObject({ canEdit: false, canDelete: false });
    expect(() => comments.editComment({ commentId: question.id, body: 'Nein' }, new ChangeSet())).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
    expect(() => comments.deleteComment({ commentId: question.id }, new ChangeSet())).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
  });

  it('lets the post’s author delete any comment with its replies, and brings them back when the delete is discarded', () => {
    const question = comment('Gilt das für alle?', '2026-11-20T07:00:00.000000Z', { authorId: lena.id });
    const answer = comment('Ja.', '2026-11-20T08:00:00.000000Z', { parentId: question.id });
    sync([commentChange(question), commentChange(answer)]);
    const { reader, comments } = asUser(jonasUser);
    expect(reader.getComment(question.id)).toMatchObject({ canEdit: false, canDelete: true });
    comments.deleteComment({ commentId: question.id }, new ChangeSet());
    expect(bodies()).toEqual([]);

    const [entry] = stores.outbox.list();
    stores.outbox.markFailed(entry!.id, 'forbidden', 'no');
    const stored = stores.outbox.get(entry!.id)!;
    db.transaction(() => {
      stores.outbox.delete(stored.id);
      comments.undo(stored, new ChangeSet());
    }).immediate();
    expect(bodies()).toEqual(['Gilt das für alle?', 'Ja.']);
  });

  it('takes back a discarded comment, and re-applies an unconfirmed edit over an older version sync brings', () => {
    const mine = comment('Erster Entwurf', '2026-11-20T07:00:00.000000Z', { authorId: lena.id });
    sync([commentChange(mine)]);
    const { reader, comments } = asUser(lenaUser);
    comments.editComment({ commentId: mine.id, body: 'Zweiter Entwurf' }, new ChangeSet());
    expect(reader.getComment(mine.id)).toMatchObject({ body: 'Zweiter Entwurf', delivery: 'pending' });
    expect(reader.getComment(mine.id)?.editedAt).not.toBeNull();
    sync([commentChange(mine)]);
    comments.reapply(stores.outbox.forEntities([mine.id]));
    expect(reader.getComment(mine.id)?.body).toBe('Zweiter Entwurf');

    const added = comments.addComment(
      { postId: summer.id, parentId: null, body: 'Nie gesendet' },
      new ChangeSet(),
    );
    const entry = stores.outbox.list().find((e) => e.entityId === added)!;
    stores.outbox.markFailed(entry.id, 'forbidden', 'comments are off');
    const stored = stores.outbox.get(entry.id)!;
    db.transaction(() => {
      stores.outbox.delete(stored.id);
      comments.undo(stored, new ChangeSet());
    }).immediate();
    expect(reader.getComment(added)).toBeNull();
  });

  it('refuses a comment on a post that takes none, before queueing it', () => {
    const closed = post(companyChannel, 'Ohne Kommentare', '2026-11-21T06:00:00.000000Z', {
      commentsEnabled: false,
    });
    sync([postChange(closed, companyChannel)]);
    expect(() =>
      asUser(lenaUser).comments.addComment(
        { postId: closed.id, parentId: null, body: 'Hallo' },
        new ChangeSet(),
      ),
    ).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(stores.outbox.list()).toEqual([]);
  });

  it('finds posts through their comments, with the comment’s words marked', () => {
    const musik = comment('Spielt die Werkskapelle wieder?', '2026-11-20T07:00:00.000000Z');
    sync([commentChange(musik)]);
    const hits = asUser(lenaUser).reader.searchPosts({ query: 'werkskap', limit: 10 });
    expect(hits).toEqual([
      expect.objectContaining({
        postId: summer.id,
        commentId: musik.id,
        title: 'Sommerfest',
        snippet: `Spielt die ${highlightStart}Werkskapelle${highlightEnd} wieder?`,
      }),
    ]);
    // A match in the post and in a comment: both, the post's own first (its title weighs more).
    const both = asUser(lenaUser).reader.searchPosts({ query: 'sommerfest', limit: 10 });
    expect(both.map((hit) => hit.commentId)).toEqual([null]);
    sync([commentChange(comment('Das Sommerfest wird toll', '2026-11-20T08:00:00.000000Z'))]);
    const twice = asUser(lenaUser).reader.searchPosts({ query: 'sommerfest', limit: 10 });
    expect(twice).toHaveLength(2);
    expect(twice[0]?.commentId).toBeNull();
    sync([{ type: 'postComment.delete', id: musik.id, scope: companyChannel.audience }]);
    expect(asUser(lenaUser).reader.searchPosts({ query: 'werkskap', limit: 10 })).toEqual([]);
  });
});

describe('cached polls', () => {
  const poll: PostPoll = {
    question: 'Welche Aktionswoche?',
    options: ['Grillwoche', 'Italienische Woche', 'Regionale Küche'],
    multiple: false,
    anonymous: true,
    closesAt: null,
  };
  const statsChange = (postId: string, votes: number[], voters: number): UnnumberedChange => ({
    type: 'postStats.upsert',
    id: postId,
    scope: 'company',
    data: { id: postId, reactions: {}, attendance: {}, votes, voters },
  });

  it('keeps the poll with its post and everyone’s counts as sync brings them', () => {
    const p = post(companyChannel, 'Kantine', '2026-11-20T06:00:00.000000Z', { poll });
    sync([postChange(p, companyChannel), statsChange(p.id, [3, 1, 0], 4)]);
    expect(asUser(lenaUser).reader.getPost(p.id)).toMatchObject({
      poll,
      votes: [],
      pollVotes: [3, 1, 0],
      pollVoters: 4,
    });
  });

  it('takes the reader’s vote at once, changes and takes it back, and keeps it over an older server state', () => {
    const p = post(companyChannel, 'Kantine', '2026-11-20T06:00:00.000000Z', { poll });
    sync([postChange(p, companyChannel)]);
    const { reader, writes } = asUser(lenaUser);
    writes.vote({ postId: p.id, options: [1] }, new ChangeSet());
    expect(reader.getPost(p.id)).toMatchObject({ votes: [1], delivery: 'pending' });
    // Voting the same again writes nothing.
    writes.vote({ postId: p.id, options: [1] }, new ChangeSet());
    expect(stores.outbox.list().map((e) => e.type)).toEqual(['feed.vote']);

    const state = {
      id: p.id,
      seenAt: null,
      confirmedAt: null,
      remindedAt: null,
      reaction: null,
      attendance: null,
      votes: [],
    };
    sync([{ type: 'postState.upsert', id: p.id, scope: scopeKey('user', lena.id), data: state }]);
    writes.reapply(stores.outbox.forEntities([p.id]));
    expect(reader.getPost(p.id)?.votes).toEqual([1]);

    writes.vote({ postId: p.id, options: [] }, new ChangeSet());
    expect(reader.getPost(p.id)?.votes).toEqual([]);
  });

  it('refuses a vote the server would refuse, before queueing it', () => {
    const single = post(companyChannel, 'Eine', '2026-11-20T06:00:00.000000Z', { poll });
    const closed = post(companyChannel, 'Vorbei', '2026-11-20T07:00:00.000000Z', {
      poll: { ...poll, closesAt: '2026-11-21T06:00:00.000Z' },
    });
    const none = post(companyChannel, 'Ohne', '2026-11-20T08:00:00.000000Z');
    sync([
      postChange(single, companyChannel),
      postChange(closed, companyChannel),
      postChange(none, companyChannel),
    ]);
    const { writes } = asUser(lenaUser);
    const refusal = (postId: string, options: number[]) => {
      try {
        writes.vote({ postId, options }, new ChangeSet());
        return 'queued';
      } catch (error) {
        return (error as { code: string }).code;
      }
    };
    expect(refusal(single.id, [0, 1])).toBe('invalid_args');
    expect(refusal(single.id, [3])).toBe('invalid_args');
    expect(refusal(closed.id, [0])).toBe('forbidden');
    expect(refusal(none.id, [0])).toBe('invalid_args');
    expect(stores.outbox.list()).toEqual([]);
  });

  it('lets the author close the poll now, and re-applies it over an older server version', () => {
    const p = post(companyChannel, 'Kantine', '2026-11-20T06:00:00.000000Z', { poll });
    sync([postChange(p, companyChannel)]);
    const { reader, writes } = asUser(jonasUser);
    writes.closePoll({ postId: p.id }, new ChangeSet());
    const closesAt = reader.getPost(p.id)?.poll?.closesAt;
    expect(Date.parse(closesAt ?? '')).toBeLessThanOrEqual(Date.now());
    sync([postChange(p, companyChannel)]);
    expect(reader.getPost(p.id)?.poll?.closesAt).toBeNull();
    writes.reapply(stores.outbox.forEntities([p.id]));
    expect(reader.getPost(p.id)?.poll?.closesAt).not.toBeNull();
    expect(() => asUser(lenaUser).writes.closePoll({ postId: p.id }, new ChangeSet())).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
  });
});
