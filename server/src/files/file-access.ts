import type { FileMeta, ScopeKey } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';
import { canSeePost } from '../feed/permissions.js';
import { findPost } from '../feed/post-rows.js';
import type { FileRow } from './file-rows.js';

/** Someone holding `scopes` sees a message that carries the file, or a conversation it pictures. */
async function seesFileInChat(db: Queryable, scopes: readonly ScopeKey[], fileId: string): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM message_files mf
       JOIN messages m ON m.id = mf.message_id AND m.deleted_at IS NULL
       JOIN conversations c ON c.id = m.conversation_id AND c.audience = ANY($2::text[])
      WHERE mf.file_id = $1
     UNION ALL
     SELECT 1 FROM conversations c WHERE c.picture_id = $1 AND c.audience = ANY($2::text[])
     LIMIT 1`,
    [fileId, scopes],
  );
  return rows.length > 0;
}

/**
 * Whoever holds `scopes` may read the file: everyone who sees what it is attached to (a post, a
 * chat message, a conversation's picture, an active person's photo, a dish's photo), and its uploader, unless a post took it and that post
 * is gone. A file nobody may read looks missing.
 */
export async function mayReadFile(
  db: Queryable,
  personId: string,
  scopes: readonly ScopeKey[],
  file: Pick<FileRow, 'uploader_id' | 'post_id'> & { meta: Pick<FileMeta, 'id'> },
): Promise<boolean> {
  if (file.post_id !== null) {
    const post = await findPost(db, file.post_id);
    return post !== null && canSeePost(scopes, post);
  }
  return (
    file.uploader_id === personId ||
    (await isActivePersonsPhoto(db, file.meta.id)) ||
    (await isDishPhoto(db, file.meta.id)) ||
    (await seesFileInChat(db, scopes, file.meta.id))
  );
}

/** Canteen menus are the whole company's, their dishes' photos too. */
async function isDishPhoto(db: Queryable, fileId: string): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM canteen_dish_photos WHERE file_id = $1 LIMIT 1', [fileId]);
  return rows.length > 0;
}

/** Profile photos are seen by the whole company, like the rest of the directory. */
async function isActivePersonsPhoto(db: Queryable, fileId: string): Promise<boolean> {
  const rows = await db.query(
    'SELECT 1 FROM persons WHERE photo_id = $1 AND deactivated_at IS NULL LIMIT 1',
    [fileId],
  );
  return rows.length > 0;
}
