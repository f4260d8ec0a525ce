/**
 * The cache schema, one numbered step at a time. `PRAGMA user_version` records the last step
 * applied. Steps are never edited once released; a change is a new step.
 */
export interface Migration {
  version: number;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    sql: /* sql */ `
      -- Small facts about this cache: the signed-in user, the sync cursor, the last sync time.
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT, WITHOUT ROWID;

      -- No foreign keys between the directory tables: the change log may deliver a person
      -- before the unit or location they belong to; joins are LEFT JOINs.
      CREATE TABLE locations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        address TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE org_units (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        parent_id TEXT,
        manager_id TEXT
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX org_units_by_parent ON org_units (parent_id);

      CREATE TABLE people (
        -- Explicit so VACUUM cannot renumber it: it is the row's key in people_search.
        search_rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        username TEXT NOT NULL,
        first_name TEXT NOT NULL,
        last_name TEXT NOT NULL,
        display_name TEXT NOT NULL,
        title TEXT NOT NULL,
        org_unit_id TEXT,
        location_id TEXT,
        manager_id TEXT,
        email TEXT NOT NULL,
        phone TEXT NOT NULL,
        room TEXT NOT NULL,
        -- protocol directorySortKey(person): the directory's order, the same as the server's.
        -- Compared byte-wise (BINARY, SQLite's default), like the server's COLLATE "C".
        sort_key TEXT NOT NULL COLLATE BINARY
      ) STRICT;
      CREATE INDEX people_by_sort_key ON people (sort_key, id);
      CREATE INDEX people_by_org_unit ON people (org_unit_id);
      CREATE INDEX people_by_location ON people (location_id);
      CREATE INDEX people_by_manager ON people (manager_id);

      -- spelled_out repeats the words with German umlauts and ß spelled out, so "Mueller" finds
      -- "Müller" (remove_diacritics alone only matches "Muller").
      CREATE VIRTUAL TABLE people_search USING fts5 (
        name, title, department, location, phone, email, spelled_out,
        tokenize = 'unicode61 remove_diacritics 2'
      );

      -- What people_search holds for a person, in one place for all triggers.
      CREATE VIEW people_search_source AS
      SELECT *,
        replace(replace(replace(replace(replace(replace(replace(
          name || ' ' || title || ' ' || coalesce(department, '') || ' ' || coalesce(location, ''),
          'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'Ä', 'Ae'), 'Ö', 'Oe'), 'Ü', 'Ue'), 'ß', 'ss') AS spelled_out
      FROM (
        SELECT p.search_rowid, p.display_name AS name, p.title, o.name AS department, l.name AS location,
          p.phone, p.email
        FROM people p
        LEFT JOIN org_units o ON o.id = p.org_unit_id
        LEFT JOIN locations l ON l.id = p.location_id
      );

      CREATE TRIGGER people_search_after_insert AFTER INSERT ON people BEGIN
        INSERT INTO people_search (rowid, name, title, department, location, phone, email, spelled_out)
        SELECT search_rowid, name, title, department, location, phone, email, spelled_out
        FROM people_search_source WHERE search_rowid = NEW.search_rowid;
      END;

      CREATE TRIGGER people_search_after_update AFTER UPDATE ON people BEGIN
        DELETE FROM people_search WHERE rowid = OLD.search_rowid;
        INSERT INTO people_search (rowid, name, title, department, location, phone, email, spelled_out)
        SELECT search_rowid, name, title, department, location, phone, email, spelled_out
        FROM people_search_source WHERE search_rowid = NEW.search_rowid;
      END;

      CREATE TRIGGER people_search_after_delete AFTER DELETE ON people BEGIN
        DELETE FROM people_search WHERE rowid = OLD.search_rowid;
      END;

      -- A unit or location that appears, is renamed or goes away changes how its people are
      -- found: touching those people re-runs people_search_after_update for them.
      CREATE TRIGGER org_units_reindex_after_insert AFTER INSERT ON org_units BEGIN
        UPDATE people SET org_unit_id = org_unit_id WHERE org_unit_id = NEW.id;
      END;
      CREATE TRIGGER org_units_reindex_after_update AFTER UPDATE OF name ON org_units BEGIN
        UPDATE people SET org_unit_id = org_unit_id WHERE org_unit_id = NEW.id;
      END;
      CREATE TRIGGER org_units_reindex_after_delete AFTER DELETE ON org_units BEGIN
        UPDATE people SET org_unit_id = org_unit_id WHERE org_unit_id = OLD.id;
      END;
      CREATE TRIGGER locations_reindex_after_insert AFTER INSERT ON locations BEGIN
        UPDATE people SET location_id = location_id WHERE location_id = NEW.id;
      END;
      CREATE TRIGGER locations_reindex_after_update AFTER UPDATE OF name ON locations BEGIN
        UPDATE people SET location_id = location_id WHERE location_id = NEW.id;
      END;
      CREATE TRIGGER locations_reindex_after_delete AFTER DELETE ON locations BEGIN
        UPDATE people SET location_id = location_id WHERE location_id = OLD.id;
      END;
    `,
  },
  {
    version: 2,
    sql: /* sql */ `
      -- Every synced row, by entity and id, with the scope it came in and the sync generation
      -- that last delivered it. Losing a scope deletes its rows; a full resync bumps the
      -- generation and afterwards deletes the rows it did not deliver again.
      CREATE TABLE sync_index (
        entity TEXT NOT NULL,
        id TEXT NOT NULL,
        scope TEXT NOT NULL,
        generation INTEGER NOT NULL,
        PRIMARY KEY (entity, id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX sync_index_by_scope ON sync_index (scope);
      CREATE INDEX sync_index_by_generation ON sync_index (generation);

      -- The scopes the cache holds data of, as the server last listed them.
      CREATE TABLE sync_scopes (scope TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;

      -- Scopes gained after the first sync: their changes up to until were never delivered and
      -- are fetched separately, from after on.
      CREATE TABLE sync_backfills (
        scope TEXT PRIMARY KEY,
        after TEXT NOT NULL,
        until TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        audience TEXT NOT NULL,
        member_ids TEXT NOT NULL, -- JSON array
        admin_ids TEXT NOT NULL, -- JSON array
        read_only INTEGER NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX conversations_by_audience ON conversations (audience);

      -- Synced messages and the user's own not yet acknowledged ones (see outbox.entity_id).
      CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        author_id TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        edited_at TEXT
      ) STRICT;
      CREATE INDEX messages_by_conversation ON messages (conversation_id, created_at, id);

      CREATE TABLE conversation_settings (
        id TEXT PRIMARY KEY,
        muted INTEGER NOT NULL,
        pinned INTEGER NOT NULL,
        last_read_message_id TEXT
      ) STRICT, WITHOUT ROWID;

      -- What the user wrote and the server has not confirmed yet, in the order it was written.
      -- Each entry is written in the same transaction as its optimistic local row.
      CREATE TABLE outbox (
        position INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE, -- the mutation's UUIDv7: the server recognises a repeat by it
        queue TEXT NOT NULL, -- entries of one queue (e.g. a conversation) are sent in order
        type TEXT NOT NULL,
        args TEXT NOT NULL, -- JSON
        entity_id TEXT, -- the local row the write changed, e.g. the message
        undo TEXT, -- JSON: how to restore that row when the user discards a failed write
        state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0, -- ms since the epoch
        applied_seq TEXT, -- once sent: the change-log seq that carries its effect
        error_code TEXT,
        error_message TEXT,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX outbox_by_queue ON outbox (queue, position);
      CREATE INDEX outbox_by_entity ON outbox (entity_id);
    `,
  },
  {
    version: 3,
    sql: /* sql */ `
      -- The id the write goes to the server under. The server answers a repeated id with its first
      -- answer, so a write the user retries after a refusal goes under a new one.
      ALTER TABLE outbox ADD COLUMN mutation_id TEXT;
      UPDATE outbox SET mutation_id = id;
      CREATE UNIQUE INDEX outbox_by_mutation ON outbox (mutation_id);
    `,
  },
  {
    version: 4,
    sql: /* sql */ `
      CREATE TABLE feed_channels (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        audience TEXT NOT NULL,
        mandatory INTEGER NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;

      -- Synced posts and the user's own not yet acknowledged ones (see outbox.entity_id).
      CREATE TABLE posts (
        -- Explicit so VACUUM cannot renumber it: it is the row's key in posts_search.
        search_rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        channel_id TEXT NOT NULL,
        author_id TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        requires_confirmation INTEGER NOT NULL,
        pinned INTEGER NOT NULL,
        comments_enabled INTEGER NOT NULL,
        event TEXT, -- JSON: the appointment the post announces
        published INTEGER NOT NULL,
        publish_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        edited_at TEXT
      ) STRICT;
      -- The feed's order: pinned first, then newest first.
      CREATE INDEX posts_in_feed ON posts (pinned DESC, publish_at DESC, id DESC);
      CREATE INDEX posts_in_channel ON posts (channel_id, pinned DESC, publish_at DESC, id DESC);
      -- Covering indexes: reading the rows themselves would walk (and decrypt) every body's
      -- overflow pages. One serves the unread counts, one the join of search matches.
      CREATE INDEX posts_for_unread ON posts (published, channel_id, author_id, id);
      CREATE INDEX posts_for_search ON posts (search_rowid, publish_at, channel_id, id);

      -- The user's own state of a post (seen, confirmed, reminded); the id is the post's.
      CREATE TABLE post_states (
        id TEXT PRIMARY KEY,
        seen_at TEXT,
        confirmed_at TEXT,
        reminded_at TEXT,
        reaction TEXT,
        attendance TEXT
      ) STRICT, WITHOUT ROWID;

      -- Reach figures of the user's own posts; the id is the post's.
      CREATE TABLE post_reach (
        id TEXT PRIMARY KEY,
        audience INTEGER NOT NULL,
        seen INTEGER NOT NULL,
        confirmed INTEGER NOT NULL,
        reacted INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      -- What every reader sees of a post's readers: reaction and event answer counts (JSON); the
      -- id is the post's.
      CREATE TABLE post_stats (
        id TEXT PRIMARY KEY,
        reactions TEXT NOT NULL,
        attendance TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;

      -- The user's choice per channel; a channel without a row is followed.
      CREATE TABLE feed_channel_settings (id TEXT PRIMARY KEY, following INTEGER NOT NULL) STRICT, WITHOUT ROWID;

      -- External content: the text stays in posts once, the index only points at it.
      -- Prefix indexes: search runs as the user types, so short prefixes ("sch") are the common
      -- case, and without them each one scans every term it starts.
      CREATE VIRTUAL TABLE posts_search USING fts5 (
        title, body,
        content = 'posts', content_rowid = 'search_rowid',
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3 4'
      );
      CREATE TRIGGER posts_search_after_insert AFTER INSERT ON posts BEGIN
        INSERT INTO posts_search (rowid, title, body) VALUES (NEW.search_rowid, NEW.title, NEW.body);
      END;
      CREATE TRIGGER posts_search_after_delete AFTER DELETE ON posts BEGIN
        INSERT INTO posts_search (posts_search, rowid, title, body)
        VALUES ('delete', OLD.search_rowid, OLD.title, OLD.body);
      END;
      CREATE TRIGGER posts_search_after_update AFTER UPDATE OF title, body ON posts BEGIN
        INSERT INTO posts_search (posts_search, rowid, title, body)
        VALUES ('delete', OLD.search_rowid, OLD.title, OLD.body);
        INSERT INTO posts_search (rowid, title, body) VALUES (NEW.search_rowid, NEW.title, NEW.body);
      END;

      -- The channels the server last said the user may post in (an editor may post in channels
      -- they do not read, so these are not all in feed_channels). Replaced as a whole.
      CREATE TABLE postable_channels (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        audience TEXT NOT NULL,
        mandatory INTEGER NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;

      -- What the user is writing in the composer, kept across restarts. One row per composer.
      CREATE TABLE drafts (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    sql: /* sql */ `
      -- Synced comments and the user's own not yet acknowledged ones (see outbox.entity_id).
      CREATE TABLE post_comments (
        -- Explicit so VACUUM cannot renumber it: it is the row's key in comments_search.
        search_rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        post_id TEXT NOT NULL,
        parent_id TEXT,
        author_id TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        edited_at TEXT
      ) STRICT;
      CREATE INDEX post_comments_by_post ON post_comments (post_id, created_at, id);
      CREATE INDEX post_comments_by_parent ON post_comments (parent_id) WHERE parent_id IS NOT NULL;

      ALTER TABLE post_reach ADD COLUMN commented INTEGER NOT NULL DEFAULT 0;

      -- Polls: the poll a post asks (JSON), the user's own vote and everyone's counts (JSON arrays
      -- of option indices and of counts per option).
      ALTER TABLE posts ADD COLUMN poll TEXT;
      -- The post's files (JSON array of protocol FileMeta).
      ALTER TABLE posts ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';
      -- Which cached post names which file: the media route serves a file only while a post the
      -- user holds names it, and checks the bytes against its meta (JSON FileMeta).
      CREATE TABLE post_files (
        file_id TEXT PRIMARY KEY,
        post_id TEXT NOT NULL,
        meta TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX post_files_by_post ON post_files (post_id);
      CREATE TRIGGER post_files_after_insert AFTER INSERT ON posts BEGIN
        INSERT OR REPLACE INTO post_files (file_id, post_id, meta)
        SELECT json_extract(value, '$.id'), NEW.id, value FROM json_each(NEW.attachments);
      END;
      CREATE TRIGGER post_files_after_update AFTER UPDATE OF attachments ON posts BEGIN
        DELETE FROM post_files WHERE post_id = OLD.id;
        INSERT OR REPLACE INTO post_files (file_id, post_id, meta)
        SELECT json_extract(value, '$.id'), NEW.id, value FROM json_each(NEW.attachments);
      END;
      CREATE TRIGGER post_files_after_delete AFTER DELETE ON posts BEGIN
        DELETE FROM post_files WHERE post_id = OLD.id;
      END;
      -- The user's own uploads that no post took yet (JSON FileMeta): the composer shows them.
      CREATE TABLE uploads (id TEXT PRIMARY KEY, meta TEXT NOT NULL, created_at TEXT NOT NULL) STRICT, WITHOUT ROWID;
      ALTER TABLE post_states ADD COLUMN votes TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE post_stats ADD COLUMN votes TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE post_stats ADD COLUMN voters INTEGER NOT NULL DEFAULT 0;
      -- The same counts in the author's reach: an author may not read the channel's stats.
      ALTER TABLE post_reach ADD COLUMN votes TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE post_reach ADD COLUMN voters INTEGER NOT NULL DEFAULT 0;

      CREATE VIRTUAL TABLE comments_search USING fts5 (
        body,
        content = 'post_comments', content_rowid = 'search_rowid',
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3 4'
      );
      CREATE TRIGGER comments_search_after_insert AFTER INSERT ON post_comments BEGIN
        INSERT INTO comments_search (rowid, body) VALUES (NEW.search_rowid, NEW.body);
      END;
      CREATE TRIGGER comments_search_after_delete AFTER DELETE ON post_comments BEGIN
        INSERT INTO comments_search (comments_search, rowid, body) VALUES ('delete', OLD.search_rowid, OLD.body);
      END;
      CREATE TRIGGER comments_search_after_update AFTER UPDATE OF body ON post_comments BEGIN
        INSERT INTO comments_search (comments_search, rowid, body) VALUES ('delete', OLD.search_rowid, OLD.body);
        INSERT INTO comments_search (rowid, body) VALUES (NEW.search_rowid, NEW.body);
      END;
    `,
  },
  {
    version: 6,
    sql: /* sql */ `
      -- Messages gain replies, forwards, files, reactions and tombstones, and an explicit key for
      -- messages_search (VACUUM may renumber an implicit rowid): the table is rebuilt.
      CREATE TABLE messages_v6 (
        search_rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        conversation_id TEXT NOT NULL,
        author_id TEXT NOT NULL,
        body TEXT NOT NULL,
        reply_to_id TEXT,
        forwarded INTEGER NOT NULL DEFAULT 0,
        attachments TEXT NOT NULL DEFAULT '[]', -- JSON array of protocol FileMeta
        reactions TEXT NOT NULL DEFAULT '[]', -- JSON array of protocol MessageReaction
        created_at TEXT NOT NULL,
        edited_at TEXT,
        deleted_at TEXT, -- a tombstone: deleted for everyone
        -- 1 when the body mentions the signed-in user or the whole conversation (protocol
        -- mentionsIn), worked out when the row is written: unread mentions are counted often.
        mentions_me INTEGER NOT NULL DEFAULT 0,
        -- 1 when attachments names files, written with them: search filters by it from an index.
        has_files INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      INSERT INTO messages_v6 (id, conversation_id, author_id, body, created_at, edited_at, mentions_me)
      SELECT id, conversation_id, author_id, body, created_at, edited_at,
        instr(lower(body), '<@channel>') > 0 OR instr(lower(body), '<@' || lower(coalesce(
          json_extract((SELECT value FROM meta WHERE key = 'session.user'), '$.id'), 'nobody')) || '>') > 0
      FROM messages;
      DROP TABLE messages;
      ALTER TABLE messages_v6 RENAME TO messages;
      CREATE INDEX messages_by_conversation ON messages (conversation_id, created_at, id);
      -- Covering: unread and mention counts walk a conversation's newest messages without reading
      -- (and decrypting) their bodies.
      CREATE INDEX messages_for_unread ON messages (conversation_id, created_at, id, author_id, deleted_at, mentions_me);
      -- A search by filters alone lists the newest messages first, across all conversations.
      CREATE INDEX messages_by_time ON messages (created_at, id);
      -- Covering: the join of search matches and their filters read only this index, not the
      -- (encrypted) rows with their bodies.
      CREATE INDEX messages_for_search ON messages (search_rowid, conversation_id, author_id, created_at, id, has_files);

      CREATE VIRTUAL TABLE messages_search USING fts5 (
        body,
        content = 'messages', content_rowid = 'search_rowid',
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3 4'
      );
      INSERT INTO messages_search (messages_search) VALUES ('rebuild');
      CREATE TRIGGER messages_search_after_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_search (rowid, body) VALUES (NEW.search_rowid, NEW.body);
      END;
      CREATE TRIGGER messages_search_after_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_search (messages_search, rowid, body) VALUES ('delete', OLD.search_rowid, OLD.body);
      END;
      CREATE TRIGGER messages_search_after_update AFTER UPDATE OF body ON messages BEGIN
        INSERT INTO messages_search (messages_search, rowid, body) VALUES ('delete', OLD.search_rowid, OLD.body);
        INSERT INTO messages_search (rowid, body) VALUES (NEW.search_rowid, NEW.body);
      END;

      -- Which cached message names which file, like post_files. A forwarded message names the
      -- same file as its source, so a file is served while any message names it.
      CREATE TABLE message_files (
        file_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        meta TEXT NOT NULL,
        PRIMARY KEY (file_id, message_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX message_files_by_message ON message_files (message_id);
      CREATE TRIGGER message_files_after_insert AFTER INSERT ON messages BEGIN
        INSERT OR REPLACE INTO message_files (file_id, message_id, meta)
        SELECT json_extract(value, '$.id'), NEW.id, value FROM json_each(NEW.attachments);
      END;
      CREATE TRIGGER message_files_after_update AFTER UPDATE OF attachments ON messages BEGIN
        DELETE FROM message_files WHERE message_id = OLD.id;
        INSERT OR REPLACE INTO message_files (file_id, message_id, meta)
        SELECT json_extract(value, '$.id'), NEW.id, value FROM json_each(NEW.attachments);
      END;
      CREATE TRIGGER message_files_after_delete AFTER DELETE ON messages BEGIN
        DELETE FROM message_files WHERE message_id = OLD.id;
      END;

      -- A group's picture (JSON FileMeta), served like a message's files while the group is cached.
      ALTER TABLE conversations ADD COLUMN picture TEXT;
      CREATE INDEX conversations_by_picture ON conversations (json_extract(picture, '$.id'))
        WHERE picture IS NOT NULL;

      -- Members' read positions per conversation (JSON array of {personId, lastReadMessageId}).
      CREATE TABLE conversation_reads (id TEXT PRIMARY KEY, readers TEXT NOT NULL) STRICT, WITHOUT ROWID;

      -- Conversations and messages synced before this step lack their new fields: a full resync
      -- delivers them again, while the cache stays readable (see beginResync).
      INSERT INTO meta (key, value)
      SELECT 'sync.generation', CAST(coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'sync.generation'), 0) + 1 AS TEXT)
      WHERE EXISTS (SELECT 1 FROM meta WHERE key = 'sync.cursor')
      ON CONFLICT (key) DO UPDATE SET value = excluded.value;
      INSERT INTO meta (key, value) SELECT 'sync.resyncing', '1'
      WHERE EXISTS (SELECT 1 FROM meta WHERE key = 'sync.cursor')
      ON CONFLICT (key) DO NOTHING;
      DELETE FROM sync_backfills WHERE EXISTS (SELECT 1 FROM meta WHERE key = 'sync.cursor');
      DELETE FROM meta WHERE key IN ('sync.cursor', 'sync.epoch');
    `,
  },
  {
    version: 7,
    sql: /* sql */ `
      -- Read positions become {readers, counts} (JSON): groups of more than 20 count their readers
      -- instead of naming them; theirs come again with the next read mark.
      ALTER TABLE conversation_reads RENAME COLUMN readers TO reads;
      UPDATE conversation_reads SET reads = json_object(
        'readers', CASE WHEN json_array_length(reads) <= 20 THEN json(reads) ELSE json_array() END,
        'counts', json_array());
      -- A forwarded text's mentions were meant for another conversation: they notify nobody.
      UPDATE messages SET mentions_me = 0 WHERE forwarded = 1 AND mentions_me = 1;
    `,
  },
  {
    version: 8,
    sql: /* sql */ `
      -- People gain their profile; units and locations a sort key (protocol directorySortKey's
      -- folding of the name) for lists sorted by department or location.
      ALTER TABLE people ADD COLUMN mobile TEXT NOT NULL DEFAULT '';
      ALTER TABLE people ADD COLUMN pronouns TEXT NOT NULL DEFAULT '';
      ALTER TABLE people ADD COLUMN languages TEXT NOT NULL DEFAULT '[]'; -- JSON array of strings
      ALTER TABLE people ADD COLUMN skills TEXT NOT NULL DEFAULT '[]'; -- JSON array of strings
      ALTER TABLE people ADD COLUMN out_of_office TEXT; -- JSON protocol OutOfOffice
      ALTER TABLE people ADD COLUMN photo_file_id TEXT;
      ALTER TABLE people ADD COLUMN photo TEXT; -- JSON protocol FileMeta of photo_file_id
      -- The media route finds the photo it is asked for by its id.
      CREATE INDEX people_by_photo ON people (photo_file_id) WHERE photo_file_id IS NOT NULL;
      ALTER TABLE people ADD COLUMN birthday TEXT; -- MM-DD, only with the person's consent
      ALTER TABLE people ADD COLUMN work_anniversary TEXT; -- YYYY-MM-DD, only with consent
      -- A deactivated person keeps their names for past messages and is found nowhere else.
      ALTER TABLE people ADD COLUMN deactivated INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX people_by_birthday ON people (birthday) WHERE birthday IS NOT NULL;
      CREATE INDEX people_by_anniversary ON people (substr(work_anniversary, 6))
        WHERE work_anniversary IS NOT NULL;
      ALTER TABLE org_units ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
      ALTER TABLE locations ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';

      -- Restricted contact data the server let this user see (their own, their reports', or all
      -- for HR); gone with the scope, like everything synced.
      CREATE TABLE private_contacts (
        person_id TEXT PRIMARY KEY,
        private_phone TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;

      -- people_search holds every word in the one folded form typed words are folded to
      -- (fold_for_search, protocol foldForSearch), so "Mueller", "Müller" and "Muller" meet. The
      -- prefix indexes keep the first keystrokes fast on large directories.
      DROP TRIGGER people_search_after_insert;
      DROP TRIGGER people_search_after_update;
      DROP TRIGGER people_search_after_delete;
      DROP VIEW people_search_source;
      DROP TABLE people_search;
      CREATE VIRTUAL TABLE people_search USING fts5 (
        name, title, department, location, skills, contact,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
      );
      CREATE VIEW people_search_source AS
      SELECT p.search_rowid,
        fold_for_search(p.display_name || ' ' || p.first_name || ' ' || p.last_name || ' ' || p.username) AS name,
        fold_for_search(p.title) AS title,
        fold_for_search(coalesce(o.name, '')) AS department,
        fold_for_search(coalesce(l.name, '') || ' ' || p.room) AS location,
        fold_for_search(
          (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(p.skills)) || ' ' ||
          (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(p.languages))) AS skills,
        -- The address's own part: the company's domain, the same for everyone, would make every
        -- word of it (and each of its first letters) match the whole directory.
        substr(p.email, 1, instr(p.email || '@', '@') - 1) || ' ' || phone_search_forms(p.phone) || ' ' ||
          phone_search_forms(p.mobile) AS contact
      FROM people p
      LEFT JOIN org_units o ON o.id = p.org_unit_id
      LEFT JOIN locations l ON l.id = p.location_id
      WHERE p.deactivated = 0;
      CREATE TRIGGER people_search_after_insert AFTER INSERT ON people BEGIN
        INSERT INTO people_search (rowid, name, title, department, location, skills, contact)
        SELECT * FROM people_search_source WHERE search_rowid = NEW.search_rowid;
      END;
      CREATE TRIGGER people_search_after_update AFTER UPDATE ON people BEGIN
        DELETE FROM people_search WHERE rowid = OLD.search_rowid;
        INSERT INTO people_search (rowid, name, title, department, location, skills, contact)
        SELECT * FROM people_search_source WHERE search_rowid = NEW.search_rowid;
      END;
      CREATE TRIGGER people_search_after_delete AFTER DELETE ON people BEGIN
        DELETE FROM people_search WHERE rowid = OLD.search_rowid;
      END;
      INSERT INTO people_search (rowid, name, title, department, location, skills, contact)
      SELECT * FROM people_search_source;

      -- People synced before this step lack their profile: a full resync (as in step 6).
      INSERT OR REPLACE INTO meta (key, value)
      SELECT 'sync.generation', CAST(coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'sync.generation'), 0) + 1 AS TEXT)
      WHERE EXISTS (SELECT 1 FROM meta WHERE key = 'sync.cursor');
      INSERT OR REPLACE INTO meta (key, value) SELECT 'sync.resyncing', '1'
      WHERE EXISTS (SELECT 1 FROM meta WHERE key = 'sync.cursor');
      DELETE FROM sync_backfills WHERE EXISTS (SELECT 1 FROM meta WHERE key = 'sync.cursor');
      DELETE FROM meta WHERE key IN ('sync.cursor', 'sync.epoch');
    `,
  },
  {
    version: 9,
    sql: /* sql */ `
      -- Canteens and their weekly plans as sync delivers them (protocol Canteen, CanteenWeek),
      -- read whole by the canteen screens.
      CREATE TABLE canteens (
        id TEXT PRIMARY KEY,
        location_id TEXT NOT NULL,
        name TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE TABLE canteen_weeks (
        id TEXT PRIMARY KEY,
        canteen_id TEXT NOT NULL,
        week_start TEXT NOT NULL,
        revision INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX canteen_weeks_by_week ON canteen_weeks (canteen_id, week_start);
    `,
  },
  {
    version: 10,
    sql: /* sql */ `
      -- Which posts are new to the important-post notifications: by when they appeared.
      CREATE INDEX posts_by_publish_at ON posts (publish_at, author_id);
    `,
  },
];

export const latestVersion = migrations.reduce((latest, migration) => Math.max(latest, migration.version), 0);
