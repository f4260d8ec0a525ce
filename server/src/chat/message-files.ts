import type { Queryable } from '../db/database.js';
import { unusedFile } from '../files/file-rows.js';
import { reject } from '../mutations/mutation-handler.js';

/**
 * Attaches the sender's own uploads that nothing uses yet to a new message, in the order given;
 * refuses the message if any is missing, someone else's or used already (nothing is written then:
 * the rejection rolls the transaction back).
 */
export async function attachUploads(
  tx: Queryable,
  messageId: string,
  fileIds: readonly string[],
  senderId: string,
): Promise<void> {
  if (fileIds.length === 0) return;
  // Locked: a post, another message or the cleanup cannot take them until this one is recorded.
  const usable = await tx.query(
    `SELECT f.id FROM files f WHERE f.id = ANY($1::uuid[]) AND f.uploader_id = $2 AND ${unusedFile('f')}
     FOR UPDATE OF f`,
    [fileIds, senderId],
  );
  if (usable.length !== fileIds.length) {
    throw reject('invalid', 'An attachment is missing, not the sender’s own, or used elsewhere already');
  }
  await tx.query(
    `INSERT INTO message_files (message_id, file_id, position)
     SELECT $1, a.id, a.position FROM unnest($2::uuid[]) WITH ORDINALITY AS a(id, position)`,
    [messageId, fileIds],
  );
}

/** Links the files of `sourceId` to the forwarded copy `messageId`, in the same order. */
export async function copyAttachments(tx: Queryable, sourceId: string, messageId: string): Promise<void> {
  await tx.query(
    `INSERT INTO message_files (message_id, file_id, position)
     SELECT $2, file_id, position FROM message_files WHERE message_id = $1`,
    [sourceId, messageId],
  );
}

/**
 * A deleted message lets go of its files: its readers can no longer fetch them. A file no other
 * message carries is its uploader's alone again, until the cleanup removes it as unused.
 */
export async function detachAll(tx: Queryable, messageId: string): Promise<void> {
  await tx.query('DELETE FROM message_files WHERE message_id = $1', [messageId]);
}
