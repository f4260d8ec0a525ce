import type { Migration } from './index.js';

export const canteen: Migration = {
  version: 10,
  name: 'canteen: canteens at locations, their managers and weekly plans',
  sql: `
    ALTER TABLE change_log DROP CONSTRAINT change_log_entity_type_check;
    ALTER TABLE change_log ADD CONSTRAINT change_log_entity_type_check CHECK (entity_type IN
      ('person', 'orgUnit', 'location', 'privateContact', 'conversation', 'message',
       'conversationSettings', 'conversationReads', 'feedChannel', 'post', 'authoredPost',
       'postState', 'postReach', 'postStats', 'feedChannelSettings', 'postComment',
       'authoredPostComment', 'canteen', 'canteenWeek'));

    -- Opening hours, price groups and lines as protocol Canteen holds them: read and written whole.
    CREATE TABLE canteens (
      id uuid PRIMARY KEY,
      location_id uuid NOT NULL REFERENCES locations (id),
      name text NOT NULL,
      opening_hours jsonb NOT NULL,
      price_groups jsonb NOT NULL,
      lines jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE canteen_managers (
      canteen_id uuid NOT NULL REFERENCES canteens (id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
      PRIMARY KEY (canteen_id, person_id)
    );
    CREATE INDEX canteen_managers_person ON canteen_managers (person_id);

    -- A week is edited, imported and synced as a whole; days as protocol CanteenDayInput.
    -- revision counts saves, for the editor's conflict check.
    CREATE TABLE canteen_weeks (
      id uuid PRIMARY KEY,
      canteen_id uuid NOT NULL REFERENCES canteens (id) ON DELETE CASCADE,
      week_start date NOT NULL CHECK (extract(isodow FROM week_start) = 1),
      revision integer NOT NULL CHECK (revision > 0),
      days jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by uuid REFERENCES persons (id) ON DELETE SET NULL,
      UNIQUE (canteen_id, week_start)
    );

    -- The photos a week's dishes show: readable by everyone, and in use for the file cleanup.
    CREATE TABLE canteen_dish_photos (
      week_id uuid NOT NULL REFERENCES canteen_weeks (id) ON DELETE CASCADE,
      file_id uuid NOT NULL REFERENCES files (id) ON DELETE CASCADE,
      PRIMARY KEY (week_id, file_id)
    );
    CREATE INDEX canteen_dish_photos_file ON canteen_dish_photos (file_id);
  `,
};
