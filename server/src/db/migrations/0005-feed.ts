import type { Migration } from './index.js';

export const feed: Migration = {
  version: 5,
  name: 'newsfeed: channels, posts with their events, their edit history, readers, reactions and answers',
  sql: `
    ALTER TABLE change_log DROP CONSTRAINT change_log_entity_type_check;
    ALTER TABLE change_log ADD CONSTRAINT change_log_entity_type_check CHECK (entity_type IN
      ('person', 'orgUnit', 'location', 'conversation', 'message', 'conversationSettings',
       'feedChannel', 'post', 'authoredPost', 'postState', 'postReach', 'postStats',
       'feedChannelSettings'));

    -- Who holds a role (the audience of a role channel) without reading every account.
    CREATE INDEX accounts_roles ON accounts USING gin (roles);

    CREATE TABLE feed_channels (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      description text NOT NULL DEFAULT '',
      -- The scope of the channel and its published posts (protocol ScopeKey): the company, a
      -- location, an org unit (with or without its sub-units) or a role.
      audience text NOT NULL,
      mandatory boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX feed_channels_audience ON feed_channels (audience);
    CREATE INDEX feed_channels_name ON feed_channels (name, id);

    CREATE TABLE posts (
      id uuid PRIMARY KEY,
      channel_id uuid NOT NULL REFERENCES feed_channels (id),
      author_id uuid NOT NULL REFERENCES persons (id),
      title text NOT NULL,
      body text NOT NULL,
      requires_confirmation boolean NOT NULL DEFAULT false,
      pinned boolean NOT NULL DEFAULT false,
      comments_enabled boolean NOT NULL DEFAULT true,
      -- Unpublished posts wait for publish_at in their author's own scope.
      published boolean NOT NULL,
      publish_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      edited_at timestamptz,
      -- Deleted posts stay for the history; clients got a tombstone.
      deleted_at timestamptz,
      -- When the author last reminded those who had not confirmed.
      reminded_at timestamptz,
      -- The appointment the post announces (protocol PostEvent), if any: it starts, may have an
      -- end after its start, and has a place ('' when none is given).
      event_starts_at timestamptz,
      event_ends_at timestamptz,
      event_place text NOT NULL DEFAULT '',
      CONSTRAINT posts_event_only_with_start
        CHECK (event_starts_at IS NOT NULL OR (event_ends_at IS NULL AND event_place = '')),
      CONSTRAINT posts_event_ends_after_start CHECK (event_ends_at > event_starts_at)
    );
    -- The scheduler's next due posts.
    CREATE INDEX posts_due ON posts (publish_at) WHERE NOT published AND deleted_at IS NULL;
    CREATE INDEX posts_channel ON posts (channel_id, publish_at DESC, id);
    CREATE INDEX posts_author ON posts (author_id);

    -- The text an edit replaced, one row per edit, so the server keeps the whole history.
    CREATE TABLE post_revisions (
      post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
      revision integer NOT NULL CHECK (revision > 0),
      title text NOT NULL,
      body text NOT NULL,
      edited_by uuid NOT NULL REFERENCES persons (id),
      edited_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (post_id, revision)
    );
    CREATE INDEX post_revisions_editor ON post_revisions (edited_by);

    -- A reader's state of a post: seen, confirmed, reminded, their reaction (protocol Reaction)
    -- and their answer to the post's event (protocol Attendance).
    CREATE TABLE post_states (
      post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
      seen_at timestamptz,
      confirmed_at timestamptz,
      reminded_at timestamptz,
      reaction text CHECK (reaction IN ('like', 'love', 'celebrate', 'insightful', 'sad')),
      attendance text CHECK (attendance IN ('yes', 'maybe', 'no')),
      PRIMARY KEY (post_id, person_id)
    );
    CREATE INDEX post_states_person ON post_states (person_id);
    -- A post's reaction counts, read from the index alone: only the few states with a reaction.
    CREATE INDEX post_states_reactions ON post_states (post_id, reaction) WHERE reaction IS NOT NULL;
    -- Likewise its event's answer counts: only the states with an answer.
    CREATE INDEX post_states_attendance ON post_states (post_id, attendance) WHERE attendance IS NOT NULL;

    -- A person's choice for a channel; no row means following.
    CREATE TABLE feed_channel_settings (
      person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
      channel_id uuid NOT NULL REFERENCES feed_channels (id) ON DELETE CASCADE,
      following boolean NOT NULL,
      PRIMARY KEY (person_id, channel_id)
    );
    -- The settings of a channel whose audience moves.
    CREATE INDEX feed_channel_settings_channel ON feed_channel_settings (channel_id);
  `,
};
