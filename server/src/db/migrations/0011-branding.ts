import type { Migration } from './index.js';

export const branding: Migration = {
  version: 11,
  name: 'branding: the company name, colours, fonts, logo and login background',
  sql: `
    ALTER TABLE change_log DROP CONSTRAINT change_log_entity_type_check;
    ALTER TABLE change_log ADD CONSTRAINT change_log_entity_type_check CHECK (entity_type IN
      ('person', 'orgUnit', 'location', 'privateContact', 'conversation', 'message',
       'conversationSettings', 'conversationReads', 'feedChannel', 'post', 'authoredPost',
       'postState', 'postReach', 'postStats', 'feedChannelSettings', 'postComment',
       'authoredPostComment', 'canteen', 'canteenWeek', 'branding'));

    -- One row at most (the key can only be true); none until the admin first changes something.
    -- settings as protocol BrandingSettings; slots maps a BrandAssetSlot to a brand_assets id.
    CREATE TABLE branding (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      settings jsonb NOT NULL,
      slots jsonb NOT NULL DEFAULT '{}'::jsonb,
      revision integer NOT NULL CHECK (revision > 0),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    -- Logos, backgrounds and font faces are small and few: kept in the database, so every server
    -- instance serves them without shared file storage. Named by the SHA-256 of their bytes.
    CREATE TABLE brand_assets (
      id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
      media_type text NOT NULL,
      bytes bytea NOT NULL,
      size integer NOT NULL CHECK (size = octet_length(bytes)),
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `,
};
