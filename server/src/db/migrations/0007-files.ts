import type { Migration } from './index.js';

export const files: Migration = {
  version: 7,
  name: 'files: uploads and the posts they are attached to',
  sql: `
    -- A file someone uploaded; its bytes live in the file storage under its id. It belongs to
    -- its uploader until a post takes it; a file nothing took is removed after a day.
    CREATE TABLE files (
      id uuid PRIMARY KEY,
      uploader_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
      name text NOT NULL,
      media_type text NOT NULL,
      size bigint NOT NULL CHECK (size >= 0),
      sha256 text NOT NULL,
      width integer CHECK (width > 0),
      height integer CHECK (height > 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      post_id uuid REFERENCES posts (id) ON DELETE CASCADE,
      -- The attachment's place among its post's attachments.
      position smallint,
      CONSTRAINT files_position_with_post CHECK ((post_id IS NULL) = (position IS NULL))
    );
    CREATE UNIQUE INDEX files_of_post ON files (post_id, position) WHERE post_id IS NOT NULL;
    CREATE INDEX files_unattached ON files (created_at) WHERE post_id IS NULL;
    CREATE INDEX files_uploader ON files (uploader_id);
  `,
};
