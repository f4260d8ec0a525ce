import type { Migration } from './index.js';

export const directoryProfiles: Migration = {
  version: 9,
  name: 'directory: profiles, restricted contact data, celebrations with consent, deactivation',
  sql: `
    ALTER TABLE change_log DROP CONSTRAINT change_log_entity_type_check;
    ALTER TABLE change_log ADD CONSTRAINT change_log_entity_type_check CHECK (entity_type IN
      ('person', 'orgUnit', 'location', 'privateContact', 'conversation', 'message',
       'conversationSettings', 'conversationReads', 'feedChannel', 'post', 'authoredPost',
       'postState', 'postReach', 'postStats', 'feedChannelSettings', 'postComment',
       'authoredPostComment'));

    -- HR's fields: mobile (shown to all), private_phone (to the person, their manager and HR),
    -- hired_on (shown as a work anniversary only with consent).
    -- The person's own: pronouns, languages, skills, out of office, photo, and the consent to
    -- show their birthday (day and month, entered with the consent) and work anniversary.
    -- A deactivated person keeps their row, so messages and posts keep their author.
    ALTER TABLE persons
      ADD COLUMN mobile text NOT NULL DEFAULT '',
      ADD COLUMN private_phone text NOT NULL DEFAULT '',
      ADD COLUMN hired_on date,
      ADD COLUMN pronouns text NOT NULL DEFAULT '',
      ADD COLUMN languages text[] NOT NULL DEFAULT '{}',
      ADD COLUMN skills text[] NOT NULL DEFAULT '{}',
      ADD COLUMN out_of_office_message text,
      ADD COLUMN out_of_office_until date,
      ADD COLUMN photo_id uuid REFERENCES files (id) ON DELETE SET NULL,
      ADD COLUMN birthday text CHECK (birthday ~ '^[0-1][0-9]-[0-3][0-9]$'),
      ADD COLUMN show_work_anniversary boolean NOT NULL DEFAULT false,
      ADD COLUMN deactivated_at timestamptz;
    CREATE INDEX persons_photo ON persons (photo_id) WHERE photo_id IS NOT NULL;

    -- Deactivating a person signs out all their devices.
    ALTER TABLE devices DROP CONSTRAINT devices_revoked_reason_check;
    ALTER TABLE devices ADD CONSTRAINT devices_revoked_reason_check
      CHECK (revoked_reason IN ('logout', 'tokenReused', 'deactivated'));

    -- Every consent given or withdrawn, as proof of consent (GDPR Art. 7(1)).
    CREATE TABLE consent_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('birthday', 'workAnniversary')),
      granted boolean NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX consent_log_person ON consent_log (person_id, recorded_at);
  `,
};
