import type { Migration } from './index.js';

export const feedCommentsPolls: Migration = {
  version: 6,
  name: 'newsfeed: comments on posts with one level of replies, and polls',
  sql: `
    ALTER TABLE change_log DROP CONSTRAINT change_log_entity_type_check;
    ALTER TABLE change_log ADD CONSTRAINT change_log_entity_type_check CHECK (entity_type IN
      ('person', 'orgUnit', 'location', 'conversation', 'message', 'conversationSettings',
       'feedChannel', 'post', 'authoredPost', 'postState', 'postReach', 'postStats',
       'feedChannelSettings', 'postComment', 'authoredPostComment'));

    CREATE TABLE post_comments (
      id uuid PRIMARY KEY,
      post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
      -- The comment this one answers. Replies go one level deep: the mutation checks that the
      -- parent is itself no reply.
      parent_id uuid REFERENCES post_comments (id) ON DELETE CASCADE,
      author_id uuid NOT NULL REFERENCES persons (id),
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      edited_at timestamptz,
      -- Deleted comments stay, like posts, with who deleted them; clients got a tombstone.
      deleted_at timestamptz,
      deleted_by uuid REFERENCES persons (id),
      CONSTRAINT post_comments_deleted_with_who CHECK ((deleted_at IS NULL) = (deleted_by IS NULL))
    );
    -- A post's comments, for a channel's move and a post's delete; the partial one counts its commenters.
    CREATE INDEX post_comments_post ON post_comments (post_id, id);
    CREATE INDEX post_comments_commenters ON post_comments (post_id, author_id) WHERE deleted_at IS NULL;
    CREATE INDEX post_comments_parent ON post_comments (parent_id) WHERE parent_id IS NOT NULL;
    CREATE INDEX post_comments_author ON post_comments (author_id);
    CREATE INDEX post_comments_deleted_by ON post_comments (deleted_by) WHERE deleted_by IS NOT NULL;

    -- The poll a post asks (protocol PostPoll); votes name its options by their index.
    CREATE TABLE post_polls (
      post_id uuid PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
      question text NOT NULL,
      options text[] NOT NULL CHECK (cardinality(options) BETWEEN 2 AND 10),
      multiple boolean NOT NULL,
      anonymous boolean NOT NULL,
      closes_at timestamptz
    );

    -- One row per option a reader chose.
    CREATE TABLE poll_votes (
      post_id uuid NOT NULL REFERENCES post_polls (post_id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
      option smallint NOT NULL CHECK (option BETWEEN 0 AND 9),
      voted_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (post_id, person_id, option)
    );
    CREATE INDEX poll_votes_person ON poll_votes (person_id);
  `,
};
