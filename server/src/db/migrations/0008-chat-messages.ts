import type { Migration } from './index.js';

export const chatMessages: Migration = {
  version: 8,
  name: 'chat: replies, forwards, tombstones, reactions, files on messages, group pictures, read receipts',
  sql: `
    ALTER TABLE change_log DROP CONSTRAINT change_log_entity_type_check;
    ALTER TABLE change_log ADD CONSTRAINT change_log_entity_type_check CHECK (entity_type IN
      ('person', 'orgUnit', 'location', 'conversation', 'message', 'conversationSettings',
       'conversationReads', 'feedChannel', 'post', 'authoredPost', 'postState', 'postReach',
       'postStats', 'feedChannelSettings', 'postComment', 'authoredPostComment'));

    -- reply_to_id: the message this one answers, in the same conversation (the mutation checks
    -- it). No foreign key: a reply keeps pointing at its message whatever becomes of it.
    -- A deleted message stays as a tombstone (deleted_at, no text) so replies and the history
    -- keep their place; messages are no longer removed one by one.
    ALTER TABLE messages
      ADD COLUMN reply_to_id uuid,
      ADD COLUMN forwarded boolean NOT NULL DEFAULT false,
      ADD COLUMN deleted_at timestamptz,
      ADD CONSTRAINT messages_tombstone_without_text CHECK (deleted_at IS NULL OR body = '');
    -- The foreign key to persons: deleting a person looks for messages they wrote.
    CREATE INDEX messages_author ON messages (author_id);

    -- One row per person and emoji on a message (the key serves a message's reactions); the time
    -- orders the emoji and who gave them.
    CREATE TABLE message_reactions (
      message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
      emoji text NOT NULL CHECK (length(emoji) BETWEEN 1 AND 32),
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (message_id, person_id, emoji)
    );
    CREATE INDEX message_reactions_person ON message_reactions (person_id);

    -- The files a message carries, in order. A forwarded message links the same files again, so
    -- one file may hang on several messages (in several conversations).
    -- A file has one use: a post (files.post_id), messages (these links), or a conversation's
    -- picture. The chat checks the other uses itself; the trigger below keeps posts from taking
    -- a file the chat uses. No cascade from files: a file still in use is never removed (the
    -- cleanup of abandoned uploads fails and retries rather than taking it from a message).
    CREATE TABLE message_files (
      message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
      file_id uuid NOT NULL REFERENCES files (id),
      position smallint NOT NULL CHECK (position > 0),
      PRIMARY KEY (message_id, position),
      UNIQUE (message_id, file_id)
    );
    CREATE INDEX message_files_file ON message_files (file_id);

    -- A group's picture: an image one of its admins uploaded.
    ALTER TABLE conversations ADD COLUMN picture_id uuid REFERENCES files (id);
    CREATE INDEX conversations_picture ON conversations (picture_id) WHERE picture_id IS NOT NULL;

    -- Read receipts list the read positions of a conversation's members.
    CREATE INDEX conversation_settings_read ON conversation_settings (conversation_id)
      WHERE last_read_message_id IS NOT NULL;

    -- A post attaching a file the chat uses skips it: the row stays as it is, and the post's
    -- attach finds one file fewer than it asked for and refuses the post ('invalid').
    CREATE FUNCTION files_keep_chat_files_off_posts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.post_id IS NOT NULL AND (
           EXISTS (SELECT 1 FROM message_files m WHERE m.file_id = NEW.id)
           OR EXISTS (SELECT 1 FROM conversations c WHERE c.picture_id = NEW.id)) THEN
        RETURN NULL;
      END IF;
      RETURN NEW;
    END
    $$;
    CREATE TRIGGER files_keep_chat_files_off_posts BEFORE UPDATE OF post_id ON files
      FOR EACH ROW EXECUTE FUNCTION files_keep_chat_files_off_posts();
  `,
};
