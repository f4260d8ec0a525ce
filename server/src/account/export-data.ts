import type { Database, Queryable } from '../db/database.js';
import { isoTimestamp as iso } from '../db/sql.js';
import { fileJson } from '../files/file-rows.js';

/** A file the person uploaded, as `data.json` lists it and the archive needs it. */
export interface UploadedFile {
  id: string;
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
  width: number | null;
  height: number | null;
  uploadedAt: string;
  postId: string | null;
  /** Their own messages carrying it. */
  messageIds: string[];
}

type Row = Record<string, unknown>;

/** Everything the server holds about one person, as `data.json` has it (EXPORT.md), but the files' place in the archive. */
export interface ExportData {
  person: Row | null;
  consents: Row[];
  account: Row | null;
  signInAttemptsSinceLastSignIn: string[];
  devices: Row[];
  orgUnitsManaged: Row[];
  conversations: Row[];
  readPositions: Row[];
  messages: Row[];
  messageReactions: Row[];
  posts: Row[];
  postEditsOfOthers: Row[];
  comments: Row[];
  commentsOfOthersDeleted: Row[];
  postStates: Row[];
  pollVotes: Row[];
  feedChannelSettings: Row[];
  canteensManaged: Row[];
  canteenWeeksLastSaved: Row[];
  mutations: Row[];
  files: UploadedFile[];
}

/*
 * Every table with a column naming a person, and where its rows go. Left out on purpose:
 * - accounts.password_hash: a credential, never handed out (the account says only whether one is set).
 * - refresh_tokens: hashes of the device's sign-in secrets; the devices themselves are listed.
 * - live_presence, live_instances: who is connected right now, gone when the socket closes.
 * - change_log: rows name entities and scopes, not people; what they point at is exported here.
 * - persons.manager_id of others (the person's direct reports), org_units and conversations by
 *   others, other people's reactions, votes and read positions: other people's data.
 * - conversations.created_by: shown as `createdByYou` on the conversations they are in.
 * - canteen_dish_photos, message_files, post_polls: reached through the files, messages and posts.
 */

/** Reads it all on one snapshot, so the sections agree with each other. */
export function readExportData(db: Database, personId: string): Promise<ExportData> {
  return db.snapshot(async (tx) => {
    const rows = (sql: string) => tx.query<Row>(sql, [personId]);
    const [person] = await rows(personSql);
    const [account] = await rows(accountSql);
    return {
      person: person ?? null,
      consents: await rows(consentsSql),
      account: account ?? null,
      signInAttemptsSinceLastSignIn: (await rows(signInAttemptsSql)).map((row) => String(row.at)),
      devices: await rows(devicesSql),
      orgUnitsManaged: await rows(orgUnitsManagedSql),
      conversations: await rows(conversationsSql),
      readPositions: await rows(readPositionsSql),
      messages: await rows(messagesSql),
      messageReactions: await rows(messageReactionsSql),
      posts: await rows(postsSql),
      postEditsOfOthers: await rows(postEditsOfOthersSql),
      comments: await rows(commentsSql),
      commentsOfOthersDeleted: await rows(commentsOfOthersDeletedSql),
      postStates: await rows(postStatesSql),
      pollVotes: await rows(pollVotesSql),
      feedChannelSettings: await rows(feedChannelSettingsSql),
      canteensManaged: await rows(canteensManagedSql),
      canteenWeeksLastSaved: await rows(canteenWeeksLastSavedSql),
      mutations: await rows(mutationsSql),
      files: await uploadedFiles(tx, personId),
    };
  });
}

const isoDate = (expression: string) => `to_char(${expression}, 'YYYY-MM-DD')`;

/** All of their profile as stored, also what the directory shows nobody (or only with consent). */
const personSql = `
  SELECT p.id, p.username, p.first_name AS "firstName", p.last_name AS "lastName",
         p.display_name AS "displayName", p.title,
         (SELECT json_build_object('id', o.id, 'name', o.name) FROM org_units o WHERE o.id = p.org_unit_id) AS "orgUnit",
         (SELECT json_build_object('id', l.id, 'name', l.name) FROM locations l WHERE l.id = p.location_id) AS location,
         (SELECT json_build_object('id', m.id, 'displayName', m.display_name)
            FROM persons m WHERE m.id = p.manager_id) AS manager,
         p.email, p.phone, p.mobile, p.private_phone AS "privatePhone", p.room,
         ${isoDate('p.hired_on')} AS "hiredOn", p.pronouns, p.languages, p.skills,
         CASE WHEN p.out_of_office_message IS NULL THEN NULL ELSE json_build_object(
           'message', p.out_of_office_message, 'until', ${isoDate('p.out_of_office_until')}) END AS "outOfOffice",
         p.birthday, p.show_work_anniversary AS "showWorkAnniversary",
         (SELECT ${fileJson} FROM files f WHERE f.id = p.photo_id) AS photo,
         ${iso('p.deactivated_at')} AS "deactivatedAt", ${iso('p.updated_at')} AS "updatedAt"
    FROM persons p WHERE p.id = $1`;

const consentsSql = `
  SELECT kind, granted, ${iso('recorded_at')} AS "recordedAt"
    FROM consent_log WHERE person_id = $1 ORDER BY recorded_at, id`;

const accountSql = `
  SELECT p.username, coalesce(a.roles, '{}') AS roles, a.password_hash IS NOT NULL AS "hasPassword"
    FROM persons p LEFT JOIN accounts a ON a.person_id = p.id WHERE p.id = $1`;

/** Attempts are kept per username until the next successful sign-in. */
const signInAttemptsSql = `
  SELECT ${iso('attempted_at')} AS at FROM login_attempts
   WHERE username = (SELECT username FROM persons WHERE id = $1) ORDER BY attempted_at, id`;

const devicesSql = `
  SELECT id, name, ${iso('created_at')} AS "signedInAt", ${iso('last_used_at')} AS "lastUsedAt",
         ${iso('revoked_at')} AS "signedOutAt", revoked_reason AS "signedOutReason"
    FROM devices WHERE person_id = $1 ORDER BY created_at, id`;

const orgUnitsManagedSql = `SELECT id, name FROM org_units WHERE manager_id = $1 ORDER BY name, id`;

/** Conversations they are a member of, and channels they have settings for. */
const conversationsSql = `
  SELECT c.id, c.kind, c.title, cm.role, ${iso('cm.added_at')} AS "joinedAt",
         CASE WHEN c.kind = 'direct' THEN (
           SELECT json_build_object('id', o.id, 'displayName', o.display_name)
             FROM conversation_members om JOIN persons o ON o.id = om.person_id
            WHERE om.conversation_id = c.id AND om.person_id <> $1 LIMIT 1) END AS "directWith",
         coalesce(c.created_by = $1, false) AS "createdByYou",
         coalesce(s.muted, false) AS muted, coalesce(s.pinned, false) AS pinned
    FROM conversations c
    LEFT JOIN conversation_members cm ON cm.conversation_id = c.id AND cm.person_id = $1
    LEFT JOIN conversation_settings s ON s.conversation_id = c.id AND s.person_id = $1
   WHERE cm.person_id IS NOT NULL OR s.person_id IS NOT NULL
   ORDER BY c.created_at, c.id`;

const readPositionsSql = `
  SELECT s.conversation_id AS "conversationId", s.last_read_message_id AS "lastReadMessageId",
         (SELECT ${iso('m.created_at')} FROM messages m WHERE m.id = s.last_read_message_id) AS "lastReadMessageSentAt"
    FROM conversation_settings s
   WHERE s.person_id = $1 AND s.last_read_message_id IS NOT NULL
   ORDER BY s.conversation_id`;

/** A deleted message keeps no text (the server dropped it at deletion). */
const messagesSql = `
  SELECT m.id, m.conversation_id AS "conversationId", m.body AS text, m.reply_to_id AS "replyToId",
         m.forwarded, ${iso('m.created_at')} AS "createdAt", ${iso('m.edited_at')} AS "editedAt",
         ${iso('m.deleted_at')} AS "deletedAt",
         coalesce((SELECT json_agg(${fileJson} ORDER BY mf.position)
                     FROM message_files mf JOIN files f ON f.id = mf.file_id WHERE mf.message_id = m.id),
                  '[]'::json) AS attachments
    FROM messages m WHERE m.author_id = $1 ORDER BY m.created_at, m.id`;

const messageReactionsSql = `
  SELECT r.message_id AS "messageId", m.conversation_id AS "conversationId", r.emoji,
         ${iso('r.created_at')} AS "createdAt"
    FROM message_reactions r JOIN messages m ON m.id = r.message_id
   WHERE r.person_id = $1 ORDER BY r.created_at, r.message_id, r.emoji`;

/** Their posts with every earlier version an edit replaced, also deleted and scheduled ones. */
const postsSql = `
  SELECT p.id, json_build_object('id', ch.id, 'name', ch.name) AS channel, p.title, p.body AS text,
         p.requires_confirmation AS "requiresConfirmation", p.pinned, p.comments_enabled AS "commentsEnabled",
         p.published, ${iso('p.publish_at')} AS "publishAt", ${iso('p.created_at')} AS "createdAt",
         ${iso('p.edited_at')} AS "editedAt", ${iso('p.deleted_at')} AS "deletedAt",
         ${iso('p.reminded_at')} AS "remindedAt",
         CASE WHEN p.event_starts_at IS NULL THEN NULL ELSE json_build_object(
           'startsAt', ${iso('p.event_starts_at')}, 'endsAt', ${iso('p.event_ends_at')},
           'place', p.event_place) END AS event,
         (SELECT json_build_object('question', q.question, 'options', q.options, 'multiple', q.multiple,
                                   'anonymous', q.anonymous, 'closesAt', ${iso('q.closes_at')})
            FROM post_polls q WHERE q.post_id = p.id) AS poll,
         coalesce((SELECT json_agg(${fileJson} ORDER BY f.position) FROM files f WHERE f.post_id = p.id),
                  '[]'::json) AS attachments,
         coalesce((SELECT json_agg(json_build_object(
                     'revision', r.revision, 'title', r.title, 'text', r.body,
                     'replacedAt', ${iso('r.edited_at')}, 'replacedByYou', r.edited_by = $1) ORDER BY r.revision)
                     FROM post_revisions r WHERE r.post_id = p.id), '[]'::json) AS "earlierVersions"
    FROM posts p JOIN feed_channels ch ON ch.id = p.channel_id
   WHERE p.author_id = $1 ORDER BY p.created_at, p.id`;

/** Their edits of someone else's post: when, not the other author's text. */
const postEditsOfOthersSql = `
  SELECT r.post_id AS "postId", r.revision, ${iso('r.edited_at')} AS "editedAt"
    FROM post_revisions r JOIN posts p ON p.id = r.post_id
   WHERE r.edited_by = $1 AND p.author_id <> $1 ORDER BY r.edited_at, r.post_id`;

const commentsSql = `
  SELECT c.id, c.post_id AS "postId", c.parent_id AS "parentId", c.body AS text,
         ${iso('c.created_at')} AS "createdAt", ${iso('c.edited_at')} AS "editedAt",
         ${iso('c.deleted_at')} AS "deletedAt", coalesce(c.deleted_by = $1, false) AS "deletedByYou"
    FROM post_comments c WHERE c.author_id = $1 ORDER BY c.created_at, c.id`;

/** Comments of others they deleted (as the post's author or a moderator): when, not the text. */
const commentsOfOthersDeletedSql = `
  SELECT c.id AS "commentId", c.post_id AS "postId", ${iso('c.deleted_at')} AS "deletedAt"
    FROM post_comments c WHERE c.deleted_by = $1 AND c.author_id <> $1 ORDER BY c.deleted_at, c.id`;

/** Seen, confirmed, reminded, their reaction and their answer to the post's event. */
const postStatesSql = `
  SELECT s.post_id AS "postId",
         -- A deleted post's words are gone for everyone; only the person's own state of it stays.
         CASE WHEN p.deleted_at IS NULL THEN p.title END AS "postTitle", ${iso('s.seen_at')} AS "seenAt",
         ${iso('s.confirmed_at')} AS "confirmedAt", ${iso('s.reminded_at')} AS "remindedAt",
         s.reaction, s.attendance AS "eventAnswer"
    FROM post_states s JOIN posts p ON p.id = s.post_id
   WHERE s.person_id = $1 ORDER BY s.post_id`;

/** Also the votes of anonymous polls: the server keeps who voted, to count each voter once. */
const pollVotesSql = `
  SELECT v.post_id AS "postId",
         CASE WHEN p.deleted_at IS NULL THEN q.question END AS question, v.option,
         CASE WHEN p.deleted_at IS NULL THEN q.options[v.option + 1] END AS "optionText",
         ${iso('v.voted_at')} AS "votedAt"
    FROM poll_votes v JOIN post_polls q ON q.post_id = v.post_id JOIN posts p ON p.id = v.post_id
   WHERE v.person_id = $1 ORDER BY v.voted_at, v.post_id, v.option`;

/** Only the channels they chose for; no row means following. */
const feedChannelSettingsSql = `
  SELECT s.channel_id AS "channelId", ch.name AS "channelName", s.following
    FROM feed_channel_settings s JOIN feed_channels ch ON ch.id = s.channel_id
   WHERE s.person_id = $1 ORDER BY ch.name, s.channel_id`;

const canteensManagedSql = `
  SELECT c.id, c.name FROM canteen_managers m JOIN canteens c ON c.id = m.canteen_id
   WHERE m.person_id = $1 ORDER BY c.name, c.id`;

// No index on updated_by: a company has a few canteens with a week each, so the table stays small.
const canteenWeeksLastSavedSql = `
  SELECT w.canteen_id AS "canteenId", ${isoDate('w.week_start')} AS "weekStart", w.revision,
         ${iso('w.updated_at')} AS "savedAt"
    FROM canteen_weeks w WHERE w.updated_by = $1 ORDER BY w.week_start, w.canteen_id`;

/** What their app sent and how the server answered, kept a while so a retry gets the same answer. */
const mutationsSql = `
  SELECT id, type, ${iso('created_at')} AS "receivedAt", result
    FROM mutation_results WHERE person_id = $1 ORDER BY created_at, id`;

async function uploadedFiles(tx: Queryable, personId: string): Promise<UploadedFile[]> {
  return tx.query<UploadedFile>(
    `SELECT f.id, f.name, f.media_type AS "mediaType", f.size::float8 AS size, f.sha256, f.width, f.height,
            ${iso('f.created_at')} AS "uploadedAt", f.post_id AS "postId",
            coalesce((SELECT json_agg(mf.message_id ORDER BY m.created_at, m.id)
                        FROM message_files mf JOIN messages m ON m.id = mf.message_id AND m.author_id = $1
                       WHERE mf.file_id = f.id), '[]'::json) AS "messageIds"
       FROM files f WHERE f.uploader_id = $1 ORDER BY f.created_at, f.id`,
    [personId],
  );
}
