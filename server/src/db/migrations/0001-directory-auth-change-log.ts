import type { Migration } from './index.js';

export const directoryAuthChangeLog: Migration = {
  version: 1,
  name: 'directory, accounts, devices, login throttle, change log',
  sql: `
    CREATE TABLE server_state (
      name text PRIMARY KEY,
      value text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE locations (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('headOffice', 'plant', 'fieldService', 'other')),
      address text NOT NULL DEFAULT '',
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE org_units (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      parent_id uuid REFERENCES org_units (id) DEFERRABLE INITIALLY DEFERRED,
      manager_id uuid,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX org_units_parent ON org_units (parent_id);

    CREATE TABLE persons (
      id uuid PRIMARY KEY,
      username text NOT NULL UNIQUE CHECK (username = lower(username)),
      first_name text NOT NULL DEFAULT '',
      last_name text NOT NULL DEFAULT '',
      display_name text NOT NULL,
      -- protocol directorySortKey (last name, first name, folded) compared byte-wise, so paging
      -- is identical on every PostgreSQL locale and matches the client cache's order.
      sort_key text COLLATE "C" NOT NULL,
      title text NOT NULL DEFAULT '',
      org_unit_id uuid REFERENCES org_units (id) DEFERRABLE INITIALLY DEFERRED,
      location_id uuid REFERENCES locations (id) DEFERRABLE INITIALLY DEFERRED,
      manager_id uuid REFERENCES persons (id) DEFERRABLE INITIALLY DEFERRED,
      email text NOT NULL DEFAULT '',
      phone text NOT NULL DEFAULT '',
      room text NOT NULL DEFAULT '',
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX persons_directory_order ON persons (sort_key, id);
    CREATE INDEX persons_org_unit ON persons (org_unit_id);
    CREATE INDEX persons_location ON persons (location_id);
    CREATE INDEX persons_manager ON persons (manager_id);

    ALTER TABLE org_units ADD CONSTRAINT org_units_manager_fk
      FOREIGN KEY (manager_id) REFERENCES persons (id) DEFERRABLE INITIALLY DEFERRED;
    CREATE INDEX org_units_manager ON org_units (manager_id);

    CREATE TABLE accounts (
      person_id uuid PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
      -- argon2id PHC string; NULL means the person cannot sign in with a password.
      password_hash text,
      roles text[] NOT NULL DEFAULT '{employee}'
    );

    CREATE TABLE devices (
      id uuid PRIMARY KEY,
      person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      revoked_reason text CHECK (revoked_reason IN ('logout', 'tokenReused'))
    );
    CREATE INDEX devices_person ON devices (person_id);

    CREATE TABLE refresh_tokens (
      token_hash text PRIMARY KEY,
      device_id uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      -- Hash of the token this one was exchanged for; lets a retried refresh whose answer was
      -- lost be told apart from a copied token.
      replaced_by text
    );
    CREATE INDEX refresh_tokens_device ON refresh_tokens (device_id);
    CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);

    -- Sign-in attempts per username since its last successful sign-in. An attempt is recorded
    -- before its password is checked, so parallel guesses cannot outrun the limit.
    CREATE TABLE login_attempts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      username text NOT NULL,
      attempted_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX login_attempts_username ON login_attempts (username, attempted_at);
    CREATE INDEX login_attempts_age ON login_attempts (attempted_at);

    -- One row per entity and scope: the latest change. Older rows of the same entity are deleted
    -- when it changes again, so a sync page carries each entity at most once and the log stays
    -- as large as the data. The payload is read from the entity tables (current state); a row
    -- whose entity is gone is a tombstone.
    CREATE TABLE change_log (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      entity_type text NOT NULL CHECK (entity_type IN ('person', 'orgUnit', 'location')),
      entity_id uuid NOT NULL,
      op text NOT NULL CHECK (op IN ('upsert', 'delete')),
      scope_kind text NOT NULL,
      scope_id uuid,
      changed_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((scope_kind = 'company') = (scope_id IS NULL))
    );
    CREATE INDEX change_log_scope_seq ON change_log (scope_kind, scope_id, seq);
    CREATE INDEX change_log_entity ON change_log (entity_type, entity_id);
  `,
};
