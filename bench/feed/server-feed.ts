/**
 * Puts the benchmark feed into a server's database before the server starts, with SQL in bulk
 * (the mutations API would take minutes for 10,000 posts): the rows and change-log entries are
 * those the server's own publishing leaves (server/src/demo/feed-seed.ts does the same for the demo).
 */
import { type ScopeKey, scopeKey } from '@flurfunk/protocol';
import type { Database, Queryable } from '../../server/src/db/database.js';
import { postChanges, reachChange, stateChange } from '../../server/src/feed/changes.js';
import { type EntityChange, recordChanges } from '../../server/src/sync/change-log.js';
import { scopesOf } from '../../server/src/sync/scopes.js';
import type { BenchFeed } from './feed-data.js';

const batchSize = 1000;

export interface SeededFeed {
  /** The reader whose cache gets the whole benchmark feed. */
  reader: string;
  /** Someone elsewhere in the company, who gets only the demo company's few posts. */
  other: string;
  /** Posts in their feeds, and how many of them are unread (what the feed's badge shows). */
  readerPosts: number;
  readerUnread: number;
  otherPosts: number;
  otherUnread: number;
}

/**
 * The benchmark channels go to the reader's location (`location:<id>`), the posts are the
 * editor's, and the reader's seen marks come along. Returns who is who and what they will see.
 */
export async function insertBenchFeed(
  db: Database,
  feed: BenchFeed,
  names: { reader: string; author: string },
): Promise<SeededFeed> {
  const [reader] = await db.query<{ id: string; location_id: string | null }>(
    'SELECT id, location_id FROM persons WHERE username = $1',
    [names.reader],
  );
  const [author] = await db.query<{ id: string }>('SELECT id FROM persons WHERE username = $1', [
    names.author,
  ]);
  if (!reader?.location_id || !author) throw new Error('the demo company lacks the reader or the author');
  const [other] = await db.query<{ id: string; username: string }>(
    `SELECT p.id, p.username FROM persons p JOIN accounts a ON a.person_id = p.id
      WHERE p.location_id <> $1 AND a.roles = ARRAY['employee']::text[]
      ORDER BY p.username LIMIT 1`,
    [reader.location_id],
  );
  if (!other) throw new Error('the demo company has nobody at another location');
  const audience: ScopeKey = scopeKey('location', reader.location_id);

  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO feed_channels (id, name, description, audience, mandatory, created_at)
       SELECT id, name, description, $2, false, now() - interval '3 years'
         FROM json_to_recordset($1::json) AS x(id uuid, name text, description text)`,
      [JSON.stringify(feed.channels), audience],
    );
    await recordChanges(
      tx,
      feed.channels.map((c) => ({
        entityType: 'feedChannel',
        entityId: c.id,
        op: 'upsert',
        scope: audience,
      })),
    );
    for (let from = 0; from < feed.posts.length; from += batchSize) {
      const posts = feed.posts.slice(from, from + batchSize);
      await insertPosts(tx, JSON.stringify(posts), author.id);
      await recordChanges(
        tx,
        posts.flatMap((post): EntityChange[] => [
          ...postChanges({ id: post.id, published: true, audience, author_id: author.id }),
          reachChange({ id: post.id, author_id: author.id }),
        ]),
      );
    }
    for (let from = 0; from < feed.seen.length; from += batchSize) {
      const seen = feed.seen.slice(from, from + batchSize);
      await tx.query(
        `INSERT INTO post_states (post_id, person_id, seen_at)
         SELECT "postId", $2, "seenAt"::timestamptz
           FROM json_to_recordset($1::json) AS x("postId" uuid, "seenAt" text)`,
        [JSON.stringify(seen), reader.id],
      );
      await recordChanges(
        tx,
        seen.map((state) => stateChange(state.postId, reader.id)),
      );
    }
  });
  return {
    reader: names.reader,
    other: other.username,
    readerPosts: await postsOf(db, reader.id),
    readerUnread: await unreadOf(db, reader.id),
    otherPosts: await postsOf(db, other.id),
    otherUnread: await unreadOf(db, other.id),
  };
}

function insertPosts(tx: Queryable, json: string, authorId: string): Promise<unknown> {
  return tx.query(
    `INSERT INTO posts (id, channel_id, author_id, title, body, requires_confirmation, pinned, published,
                        publish_at, created_at)
     SELECT id, "channelId", $2, title, body, "requiresConfirmation", pinned, true,
            "publishAt"::timestamptz, "publishAt"::timestamptz
       FROM json_to_recordset($1::json) AS x(id uuid, "channelId" uuid, title text, body text,
            "requiresConfirmation" boolean, pinned boolean, "publishAt" text)`,
    [json, authorId],
  );
}

const visiblePosts = `
  FROM posts p JOIN feed_channels c ON c.id = p.channel_id
 WHERE p.published AND p.deleted_at IS NULL AND c.audience = ANY($1::text[])`;

async function postsOf(db: Database, personId: string): Promise<number> {
  const [row] = await db.query<{ count: number }>(`SELECT count(*)::int AS count ${visiblePosts}`, [
    await scopesOf(db, personId),
  ]);
  return row?.count ?? 0;
}

/** What the core counts as unread: published posts of others without a seen mark. */
async function unreadOf(db: Database, personId: string): Promise<number> {
  const [row] = await db.query<{ count: number }>(
    `SELECT count(*)::int AS count ${visiblePosts} AND p.author_id <> $2
        AND NOT EXISTS (SELECT 1 FROM post_states s
                         WHERE s.post_id = p.id AND s.person_id = $2 AND s.seen_at IS NOT NULL)`,
    [await scopesOf(db, personId), personId],
  );
  return row?.count ?? 0;
}
