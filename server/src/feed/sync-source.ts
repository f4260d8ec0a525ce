import { type PostReach, type ScopeKey, type SyncEntity, parseScopeKey } from '@flurfunk/protocol';
import { isoTimestamp } from '../db/sql.js';
import { countMembers, scopesOf } from '../sync/scopes.js';
import type { EntityRef, SyncSource } from '../sync/sync-source.js';
import { channelJson, commentJson, postJson } from './post-rows.js';

/**
 * A source reading the refs as `r(id, scope)`: `sql` joins them and selects `id` and `data`, and
 * returns only entities that are in the ref's scope now. An entity that moved on (a post just
 * published, a channel given another audience) thus never goes out in a scope it left.
 */
function sourceByRef(sql: string): SyncSource {
  return async (db, refs) => {
    const rows = await db.query<{ id: string; data: unknown }>(sql, [JSON.stringify(refs)]);
    return new Map(rows.map((row) => [row.id, row.data]));
  };
}

const refs = `json_to_recordset($1::json) AS r(id uuid, scope text)`;

/** The person a `user:<id>` scope belongs to. */
const personOf = (ref: EntityRef) => parseScopeKey(ref.scope).id;

/** JSON: the votes per option of the poll of the post `postId` names, by index; [] without a poll. */
const pollVotes = (postId: string) => `coalesce(
  (SELECT json_agg((SELECT count(*) FROM poll_votes pv WHERE pv.post_id = pl.post_id AND pv.option = o.i)
                   ORDER BY o.i)
     FROM post_polls pl, generate_series(0, cardinality(pl.options) - 1) AS o(i)
    WHERE pl.post_id = ${postId}),
  '[]'::json)`;

/** How many people voted in the poll of the post `postId` names. */
const pollVoters = (postId: string) =>
  `(SELECT count(DISTINCT pv.person_id)::int FROM poll_votes pv WHERE pv.post_id = ${postId})`;

/**
 * A reader's state of posts they can see, like chat's conversation settings: the ref's scope
 * names the person. The state of a post they no longer see (deleted, moved away from them)
 * goes out as a tombstone.
 */
const postState: SyncSource = async (db, stateRefs) => {
  const visible = new Map<string, ScopeKey[]>();
  for (const person of new Set(stateRefs.map(personOf))) visible.set(person, await scopesOf(db, person));
  const pairs = stateRefs.map((ref) => ({
    person: personOf(ref),
    post: ref.id,
    scopes: visible.get(personOf(ref)) ?? [],
  }));
  const rows = await db.query<{ id: string; data: unknown }>(
    `SELECT s.post_id AS id, json_build_object(
        'id', s.post_id,
        'seenAt', CASE WHEN s.seen_at IS NULL THEN NULL ELSE ${isoTimestamp('s.seen_at')} END,
        'confirmedAt', CASE WHEN s.confirmed_at IS NULL THEN NULL ELSE ${isoTimestamp('s.confirmed_at')} END,
        'remindedAt', CASE WHEN s.reminded_at IS NULL THEN NULL ELSE ${isoTimestamp('s.reminded_at')} END,
        'reaction', s.reaction, 'attendance', s.attendance,
        'votes', coalesce((SELECT json_agg(v.option ORDER BY v.option) FROM poll_votes v
                            WHERE v.post_id = s.post_id AND v.person_id = s.person_id), '[]'::json)) AS data
       FROM json_to_recordset($1::json) AS x(person uuid, post uuid, scopes text[])
       JOIN post_states s ON s.person_id = x.person AND s.post_id = x.post
       JOIN posts p ON p.id = s.post_id AND p.published AND p.deleted_at IS NULL
       JOIN feed_channels c ON c.id = p.channel_id AND c.audience = ANY(x.scopes)`,
    [JSON.stringify(pairs)],
  );
  return new Map(rows.map((row) => [row.id, row.data]));
};

/**
 * Anonymous reach counts for the author (the ref's scope is theirs). The audience is counted as
 * the page is read, so it follows the org chart.
 */
const postReach: SyncSource = async (db, reachRefs) => {
  const rows = await db.query<{
    id: string;
    audience: ScopeKey;
    seen: number;
    confirmed: number;
    reacted: number;
    commented: number;
    votes: number[];
    voters: number;
  }>(
    `SELECT p.id, c.audience,
            (SELECT count(*)::int FROM post_states s WHERE s.post_id = p.id AND s.seen_at IS NOT NULL) AS seen,
            (SELECT count(*)::int FROM post_states s WHERE s.post_id = p.id AND s.confirmed_at IS NOT NULL) AS confirmed,
            (SELECT count(*)::int FROM post_states s WHERE s.post_id = p.id AND s.reaction IS NOT NULL) AS reacted,
            (SELECT count(DISTINCT k.author_id)::int FROM post_comments k
              WHERE k.post_id = p.id AND k.deleted_at IS NULL AND k.author_id <> p.author_id) AS commented,
            ${pollVotes('p.id')} AS votes, ${pollVoters('p.id')} AS voters
       FROM ${refs}
       JOIN posts p ON p.id = r.id AND 'user:' || p.author_id = r.scope AND p.deleted_at IS NULL
       JOIN feed_channels c ON c.id = p.channel_id`,
    [JSON.stringify(reachRefs)],
  );
  const sizes = await countMembers(
    db,
    rows.map((row) => row.audience),
  );
  return new Map(
    rows.map((row): [string, PostReach] => [
      row.id,
      {
        id: row.id,
        audience: sizes.get(row.audience) ?? 0,
        seen: row.seen,
        confirmed: row.confirmed,
        reacted: row.reacted,
        commented: row.commented,
        votes: row.votes,
        voters: row.voters,
      },
    ]),
  );
};

/**
 * What every reader sees of a published post's readers: how many gave each reaction, how many
 * gave each answer to its event, and how many voted for each option of its poll. Each counted from its partial index (the states with a reaction,
 * the states with an answer), for all the page's posts in one statement.
 */
const postStats = sourceByRef(
  `WITH visible AS (
     SELECT p.id FROM ${refs}
       JOIN posts p ON p.id = r.id AND p.published AND p.deleted_at IS NULL
       JOIN feed_channels c ON c.id = p.channel_id AND c.audience = r.scope),
   reactions AS (
     SELECT s.post_id, s.reaction, count(*)::int AS n
       FROM post_states s
      WHERE s.post_id IN (SELECT id FROM visible) AND s.reaction IS NOT NULL
      GROUP BY s.post_id, s.reaction),
   answers AS (
     SELECT s.post_id, s.attendance, count(*)::int AS n
       FROM post_states s
      WHERE s.post_id IN (SELECT id FROM visible) AND s.attendance IS NOT NULL
      GROUP BY s.post_id, s.attendance)
   SELECT v.id, json_build_object('id', v.id,
            'reactions', coalesce(
              (SELECT json_object_agg(k.reaction, k.n ORDER BY k.reaction) FROM reactions k WHERE k.post_id = v.id),
              '{}'::json),
            'attendance', coalesce(
              (SELECT json_object_agg(a.attendance, a.n ORDER BY a.attendance) FROM answers a WHERE a.post_id = v.id),
              '{}'::json),
            'votes', ${pollVotes('v.id')}, 'voters', ${pollVoters('v.id')}) AS data
     FROM visible v`,
);

/**
 * A person's choices for the channels they see; the ref's scope names the person. The settings
 * of a channel they no longer see (it moved to another audience, they moved department) go out
 * as a tombstone, like chat's conversation settings.
 */
const feedChannelSettings: SyncSource = async (db, settingsRefs) => {
  const visible = new Map<string, ScopeKey[]>();
  for (const person of new Set(settingsRefs.map(personOf))) visible.set(person, await scopesOf(db, person));
  const pairs = settingsRefs.map((ref) => ({
    person: personOf(ref),
    channel: ref.id,
    scopes: visible.get(personOf(ref)) ?? [],
  }));
  const rows = await db.query<{ id: string; data: unknown }>(
    `SELECT s.channel_id AS id, json_build_object('id', s.channel_id, 'following', s.following) AS data
       FROM json_to_recordset($1::json) AS x(person uuid, channel uuid, scopes text[])
       JOIN feed_channel_settings s ON s.person_id = x.person AND s.channel_id = x.channel
       JOIN feed_channels c ON c.id = s.channel_id AND c.audience = ANY(x.scopes)`,
    [JSON.stringify(pairs)],
  );
  return new Map(rows.map((row) => [row.id, row.data]));
};

/** The newsfeed's entities as sync pages carry them. */
export const feedSyncSources: Readonly<
  Record<
    Extract<
      SyncEntity,
      | 'feedChannel'
      | 'post'
      | 'authoredPost'
      | 'postState'
      | 'postReach'
      | 'postStats'
      | 'feedChannelSettings'
      | 'postComment'
      | 'authoredPostComment'
    >,
    SyncSource
  >
> = {
  feedChannel: sourceByRef(
    `SELECT c.id, ${channelJson} AS data FROM ${refs} JOIN feed_channels c ON c.id = r.id AND c.audience = r.scope`,
  ),
  post: sourceByRef(
    `SELECT p.id, ${postJson} AS data FROM ${refs}
       JOIN posts p ON p.id = r.id AND p.deleted_at IS NULL AND p.published
       JOIN feed_channels c ON c.id = p.channel_id AND c.audience = r.scope`,
  ),
  authoredPost: sourceByRef(
    `SELECT p.id, ${postJson} AS data FROM ${refs}
       JOIN posts p ON p.id = r.id AND p.deleted_at IS NULL AND 'user:' || p.author_id = r.scope`,
  ),
  postState,
  postReach,
  postStats,
  feedChannelSettings,
  postComment: sourceByRef(
    `SELECT k.id, ${commentJson} AS data FROM ${refs}
       JOIN post_comments k ON k.id = r.id AND k.deleted_at IS NULL
       JOIN posts p ON p.id = k.post_id AND p.deleted_at IS NULL AND p.published
       JOIN feed_channels c ON c.id = p.channel_id AND c.audience = r.scope`,
  ),
  authoredPostComment: sourceByRef(
    `SELECT k.id, ${commentJson} AS data FROM ${refs}
       JOIN post_comments k ON k.id = r.id AND k.deleted_at IS NULL
       JOIN posts p ON p.id = k.post_id AND p.deleted_at IS NULL AND 'user:' || p.author_id = r.scope`,
  ),
};
