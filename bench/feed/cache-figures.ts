/**
 * `feed.cache.*`: the newsfeed's reads on a cache holding the benchmark feed, through the core's
 * own FeedReader (what the contract's `listPosts`, `listFeedChannels` and `searchPosts` call),
 * once on the SQLCipher cache and once, as the baseline, on an unencrypted SQLite database with
 * the same schema filled by the same sync page: the ratio is what encryption costs these reads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FeedPosition, SessionUser, SyncChange, SyncPage } from '@flurfunk/protocol';
import { companyScope } from '@flurfunk/protocol';
import type { CacheDatabase } from '../../electron/core/cache/database.js';
import { FeedPermissions } from '../../electron/core/feed/feed-permissions.js';
import { FeedReader } from '../../electron/core/feed/feed-reader.js';
import type { ServerSession } from '../../electron/core/session/server-session.js';
import { applySyncPage } from '../../electron/core/sync/apply-page.js';
import { syncStoresFor } from '../../tests/unit/core/sync-test-stores.js';
import { type Opener, encryptedCache, plainCache } from '../cache-databases.js';
import { report } from '../harness.js';
import { percentile } from '../sync/stats.js';
import { type BenchFeed, type BenchPost, benchFeedSize, generateBenchFeed } from './feed-data.js';
import { note } from './note.js';

/** The reader of the feed (whose seen marks the page carries) and the posts' author. */
const reader: SessionUser = {
  id: '0190a4b2-7c1e-7000-8000-000000000001',
  username: 'lena.weber',
  displayName: 'Lena Weber',
  roles: ['employee'],
};
const authorId = '0190a4b2-7c1e-7000-8000-000000000002';

/**
 * What people type into the feed's search (it searches as they type): single words, prefixes,
 * two words, umlauts, words in only a few posts and words in nearly all of them.
 */
export const feedSearches = [
  'kantine',
  'schutzbrille',
  'sicher',
  'prüf',
  'sommerfest anmeldung',
  'betriebsrat schicht',
  'gehörschutz halle',
  'wärmepumpe',
  'zeppelin',
  'mitarbeitende',
  'die',
  'sch',
];

const openRuns = 30;
const deepRuns = 40;
const searchRounds = 8;

/** The whole feed as one sync page from "0": channels, posts (oldest first), the reader's seen marks. */
function feedPage(feed: BenchFeed): SyncPage {
  const userScope = `user:${reader.id}` as const;
  const changes: SyncChange[] = [];
  let seq = 0;
  const next = () => String(++seq);
  for (const channel of feed.channels) {
    changes.push({
      seq: next(),
      id: channel.id,
      scope: companyScope,
      type: 'feedChannel.upsert',
      data: {
        ...channel,
        audience: companyScope,
        mandatory: true,
        createdAt: feed.posts[0]?.publishAt ?? '',
      },
    });
  }
  for (const post of feed.posts) {
    changes.push({
      seq: next(),
      id: post.id,
      scope: companyScope,
      type: 'post.upsert',
      data: {
        ...post,
        authorId,
        commentsEnabled: true,
        event: null,
        poll: null,
        attachments: [],
        published: true,
        createdAt: post.publishAt,
        editedAt: null,
      },
    });
  }
  for (const { postId, seenAt } of feed.seen) {
    changes.push({
      seq: next(),
      id: postId,
      scope: userScope,
      type: 'postState.upsert',
      data: {
        id: postId,
        seenAt,
        confirmedAt: null,
        remindedAt: null,
        reaction: null,
        attendance: null,
        votes: [],
      },
    });
  }
  return { epoch: 'bench', scopes: [companyScope, userScope], changes, cursor: String(seq), hasMore: false };
}

/** The feed's order (pinned first, newest first), as the cache's `posts_in_feed` index has it. */
function inFeedOrder(posts: readonly BenchPost[]): BenchPost[] {
  const key = (post: BenchPost) => `${post.pinned ? 1 : 0}|${post.publishAt}|${post.id}`;
  return [...posts].sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
}

/** One cache, filled, with the reader the contract reads it through, and what was measured on it. */
interface Subject {
  db: CacheDatabase;
  posts: FeedReader;
  opening: { total: number[]; posts: number[]; channels: number[] };
  deep: number[];
  perQuery: Map<string, number[]>;
}

function prepare(open: Opener, file: string, page: SyncPage): Subject {
  const db = open(file);
  const { stores, feed, comments } = syncStoresFor(db);
  applySyncPage(db, stores, page, { kind: 'main', after: '0' }, null);
  // The reads measured here never reach the server: the session is only there for the constructor.
  const offline = {} as ServerSession;
  return {
    db,
    posts: new FeedReader(feed, comments, new FeedPermissions(feed, reader), offline, reader.id),
    opening: { total: [], posts: [], channels: [] },
    deep: [],
    perQuery: new Map(feedSearches.map((query) => [query, []])),
  };
}

/** Milliseconds `work` takes. */
function timed(work: () => unknown): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

/**
 * Runs every measurement on both caches in turn (encryptedCache, then unencrypted, run by run), so a
 * change in the machine's load during the run hits figure and baseline alike. Negative runs warm up.
 */
function measure(subjects: readonly Subject[], deepAfter: FeedPosition, deepFirst: string): void {
  for (const { posts } of subjects) {
    if (posts.listPosts({ limit: 30 }).length !== 30 || posts.listChannels().length === 0)
      throw new Error('the benchmark cache shows no feed');
    if (posts.listPosts({ after: deepAfter, limit: 30 })[0]?.id !== deepFirst)
      throw new Error('paging deep into the feed landed elsewhere');
  }
  // Opening the feed asks for its first page and the channels (with their unread counts).
  for (let run = -2; run < openRuns; run++) {
    for (const { posts, opening } of subjects) {
      const first = timed(() => posts.listPosts({ limit: 30 }));
      const channels = timed(() => posts.listChannels());
      if (run < 0) continue;
      opening.total.push(first + channels);
      opening.posts.push(first);
      opening.channels.push(channels);
    }
  }
  for (let run = -2; run < deepRuns; run++) {
    for (const { posts, deep } of subjects) {
      const ms = timed(() => posts.listPosts({ after: deepAfter, limit: 30 }));
      if (run >= 0) deep.push(ms);
    }
  }
  for (let round = -1; round < searchRounds; round++) {
    for (const query of feedSearches) {
      for (const { posts, perQuery } of subjects) {
        let hits = 0;
        const ms = timed(() => (hits = posts.searchPosts({ query, limit: 50 }).length));
        if (hits === 0) throw new Error(`searching the feed for "${query}" found nothing`);
        if (round >= 0) perQuery.get(query)?.push(ms);
      }
    }
  }
}

export function runFeedCacheBenchmarks(): void {
  const size = benchFeedSize();
  const dir = mkdtempSync(path.join(tmpdir(), 'flurfunk-bench-feed-cache-'));
  const subjects: Subject[] = [];
  try {
    note(`cache: generating ${size} posts`);
    const feed = generateBenchFeed({ posts: size, now: Date.now() });
    const page = feedPage(feed);
    const ordered = inFeedOrder(feed.posts);
    const depth = Math.floor(size / 2);
    const before = ordered[depth - 1];
    const deepFirst = ordered[depth]?.id ?? '';
    if (!before) throw new Error('the feed is too small to page into');
    const deepAfter = { pinned: before.pinned, publishAt: before.publishAt, id: before.id };

    note('cache: filling the encryptedCache cache and the unencrypted baseline');
    const sealed = prepare(encryptedCache, path.join(dir, 'encrypted.db'), page);
    subjects.push(sealed);
    const clear = prepare(plainCache, path.join(dir, 'plain.db'), page);
    subjects.push(clear);
    note('cache: measuring');
    measure(subjects, deepAfter, deepFirst);

    const median = (samples: readonly number[]) => percentile(samples, 50);
    for (const [name, { opening }] of [
      ['encrypted', sealed],
      ['unencrypted', clear],
    ] as const) {
      note(
        `cache: opening the feed (${name}): listPosts ${median(opening.posts).toFixed(2)} ms, ` +
          `listChannels ${median(opening.channels).toFixed(2)} ms (medians)`,
      );
    }
    for (const [query, samples] of sealed.perQuery) {
      note(
        `cache: search "${query}": median ${median(samples).toFixed(2)} ms ` +
          `(unencrypted ${median(clear.perQuery.get(query) ?? []).toFixed(2)} ms), ` +
          `max ${Math.max(...samples).toFixed(2)} ms`,
      );
    }
    const p95 = ({ perQuery }: Subject) => percentile([...perQuery.values()].flat(), 95);
    report(`feed.cache.open.${size}posts`, 'ms', median(sealed.opening.total), median(clear.opening.total));
    report(`feed.cache.pageDeep.${size}posts`, 'ms', median(sealed.deep), median(clear.deep));
    report(`feed.cache.search.p95.${size}posts`, 'ms', p95(sealed), p95(clear));
  } finally {
    for (const { db } of subjects) db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
