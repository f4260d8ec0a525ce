import type { FileMeta } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';

/** `json_build_object` of a protocol FileMeta from `files` as `f`. */
export const fileJson = `json_build_object(
  'id', f.id, 'name', f.name, 'mediaType', f.media_type, 'size', f.size, 'sha256', f.sha256,
  'width', f.width, 'height', f.height)`;

/**
 * SQL: nothing uses the file `alias` yet: no post, no message, no conversation picture, no
 * person's photo, no dish's photo. A file has one use; only forwarding links a message's files to further messages.
 */
export const unusedFile = (alias: string) => `${alias}.post_id IS NULL
  AND NOT EXISTS (SELECT 1 FROM message_files used WHERE used.file_id = ${alias}.id)
  AND NOT EXISTS (SELECT 1 FROM conversations used WHERE used.picture_id = ${alias}.id)
  AND NOT EXISTS (SELECT 1 FROM persons used WHERE used.photo_id = ${alias}.id)
  AND NOT EXISTS (SELECT 1 FROM canteen_dish_photos used WHERE used.file_id = ${alias}.id)`;

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
 * Locks an image the person uploaded that nothing uses yet, so nothing else can take it before the
 * caller's transaction commits. False when it is missing, someone else's, not an image or in use.
 */
export async function lockUnusedOwnImage(
  tx: Queryable,
  fileId: string,
  uploaderId: string,
): Promise<boolean> {
  const [usable] = await tx.query(
    `SELECT 1 FROM files f
      WHERE f.id = $1 AND f.uploader_id = $2 AND f.media_type LIKE 'image/%' AND ${unusedFile('f')}
     FOR UPDATE OF f`,
    [fileId, uploaderId],
  );
  return usable !== undefined;
}
