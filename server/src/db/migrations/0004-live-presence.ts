import type { Migration } from './index.js';

export const livePresence: Migration = {
  version: 4,
  name: 'who is connected to which server instance',
  sql: `
    -- Server instances with live sockets; one that stops beating is dead and its people offline.
    CREATE TABLE live_instances (
      id uuid PRIMARY KEY,
      heartbeat_at timestamptz NOT NULL DEFAULT now()
    );

    -- People with at least one live socket on an instance. Ephemeral state, not history: rows
    -- come and go with connections and are never synced or exported.
    CREATE TABLE live_presence (
      person_id uuid NOT NULL,
      instance_id uuid NOT NULL REFERENCES live_instances (id) ON DELETE CASCADE,
      since timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (person_id, instance_id)
    );
    CREATE INDEX live_presence_instance ON live_presence (instance_id);
  `,
};
