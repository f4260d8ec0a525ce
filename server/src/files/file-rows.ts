import type { FileMeta, ScopeKey } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';
import { canSeePost } from '../feed/permissions.js';
import { findPost } from '../feed/post-rows.js';

/** `json_build_object` of a protocol FileMeta from `files` as `f`. */
export const fileJson = `json_build_object(
  'id', f.id, 'name', f.name, 'mediaType', f.media_type, 'size', f.size, 'sha256', f.sha256,
  'width', f.width, 'height', f.height)`;

export interface FileRow {
  meta: FileMeta;
  uploader_id: string;
  post_id: string | null;
}

export async function findFile(db: Queryable, id: string): Promise<FileRow | null> {
  const [row] = await db.query<FileRow>(
    `SELECT ${fileJson} AS meta, f.uploader_id, f.post_id FROM files f WHERE f.id = $1`,
    [id],
  );
  return row ?? null;
}

/**
 * Whoever holds `scopes` may read the file: its uploader, and everyone who sees what it is
 * attached to. A file nobody may read looks missing.
 */
export async function mayReadFile(
  db: Queryable,
  personId: string,
  scopes: readonly ScopeKey[],
  file: Pick<FileRow, 'uploader_id' | 'post_id'>,
): Promise<boolean> {
  if (file.post_id === null) return file.uploader_id === personId;
  const post = await findPost(db, file.post_id);
  return post !== null && canSeePost(scopes, post);
}
