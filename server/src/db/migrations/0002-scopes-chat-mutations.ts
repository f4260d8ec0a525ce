import type { Migration } from './index.js';

export const scopesChatMutations: Migration = {
  version: 2,
  name: 'scoped change log, chat, mutation results',
  sql: `
    -- One scope string per change (protocol ScopeKey, e.g. 'company', 'chat:<uuid>'); one row per
    -- entity and scope. An entity that moves to another scope leaves a tombstone in the old one.
    ALTER TABLE change_log ADD COLUMN scope text;
    UPDATE change_log SET scope = 'company';
    ALTER TABLE change_log ALTER COLUMN scope SET NOT NULL;
    DROP INDEX change_log_scope_seq;
    ALTER TABLE change_log DROP COLUMN scope_kind, DROP COLUMN scope_id;
    CREATE INDEX change_log_scope_seq ON change_log (scope, seq);
    -- Retention prunes old tombstones by age.
    CREATE INDEX change_log_tombstone_age ON change_log (changed_at) WHERE op = 'delete';
    ALTER TABLE change_log DROP CONSTRAINT change_log_entity_type_check;
    ALTER TABLE change_log ADD CONSTRAINT change_log_entity_type_check CHECK (entity_type IN
      ('person', 'orgUnit', 'location', 'conversation', 'message', 'conversationSettings'));

    CREATE TABLE conversations (
      id uuid PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('direct', 'group', 'channel')),
      title text NOT NULL DEFAULT '',
      -- The scope of the conversation and its messages; 'chat:<id>' unless it is a channel.
      -- Fixed at creation: changing it would move every message to another scope.
      audience text NOT NULL,
      read_only boolean NOT NULL DEFAULT false,
      -- 'smaller-id:larger-id' of a direct conversation, so each pair has at most one.
      direct_pair text UNIQUE,
      created_by uuid REFERENCES persons (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'channel') <> (audience = 'chat:' || id::text)),
      CHECK ((kind = 'direct') = (direct_pair IS NOT NULL))
    );

    -- Members of direct and group conversations; for channels only their admins (role 'admin').
    CREATE TABLE conversation_members (
      conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('member', 'admin')),
      added_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (conversation_id, person_id)
    );
    CREATE INDEX conversation_members_person ON conversation_members (person_id);

    CREATE TABLE messages (
      id uuid PRIMARY KEY,
      conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
      author_id uuid NOT NULL REFERENCES persons (id),
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      edited_at timestamptz
    );
    CREATE INDEX messages_history ON messages (conversation_id, created_at DESC, id DESC);

    CREATE TABLE conversation_settings (
      person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
      conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
      muted boolean NOT NULL DEFAULT false,
      pinned boolean NOT NULL DEFAULT false,
      last_read_message_id uuid,
      PRIMARY KEY (person_id, conversation_id)
    );
    CREATE INDEX conversation_settings_conversation ON conversation_settings (conversation_id);

    -- The result of every mutation a client sent, by its client-generated id, so a repeated
    -- request returns the first answer instead of writing again.
    CREATE TABLE mutation_results (
      id uuid PRIMARY KEY,
      person_id uuid NOT NULL,
      type text NOT NULL,
      result jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX mutation_results_age ON mutation_results (created_at);
  `,
};
