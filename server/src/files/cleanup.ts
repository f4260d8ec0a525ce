import type { FastifyBaseLogger } from 'fastify';
import type { Queryable } from '../db/database.js';
import { unusedFile } from './file-rows.js';
import type { DiskFileStorage } from './file-storage.js';

/**
 * An upload nothing used within a day was abandoned (a discarded draft, a closed composer). A
 * file a deleted message let go of, and a group's replaced picture, go the same way.
 */
export const defaultAbandonedUploadMs = 24 * 60 * 60 * 1000;
const defaultIntervalMs = 60 * 60 * 1000;

/**
 * Removes uploads older than `maxAgeMs` that nothing uses, rows and bytes; resolves to how many.
 * Should a message take one of them meanwhile, the statement fails on its foreign key and
 * removes nothing: the next run sees the file in use.
 */
export async function removeAbandonedUploads(
  db: Queryable,
  storage: DiskFileStorage,
  maxAgeMs: number,
): Promise<number> {
  const removed = await db.query<{ id: string }>(
    `DELETE FROM files f WHERE ${unusedFile('f')} AND f.created_at < now() - make_interval(secs => $1)
     RETURNING f.id`,
    [maxAgeMs / 1000],
  );
  for (const { id } of removed) await storage.remove(id);
  return removed.length;
}

export interface FileCleanupOptions {
  maxAgeMs?: number;
  intervalMs?: number;
}

/** Removes abandoned uploads now and then every `intervalMs` (default hourly). */
export function scheduleFileCleanup(
  db: Queryable,
  storage: DiskFileStorage,
  options: FileCleanupOptions,
  log: FastifyBaseLogger,
): () => void {
  const maxAgeMs = options.maxAgeMs ?? defaultAbandonedUploadMs;
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    removeAbandonedUploads(db, storage, maxAgeMs)
      .then((removed) => {
        if (removed > 0) log.info({ removed }, 'removed uploads that nothing used');
      })
      .catch((err: unknown) => log.warn({ err }, 'removing abandoned uploads failed; retrying later'))
      .finally(() => (running = false));
  };
  run();
  const timer = setInterval(run, options.intervalMs ?? defaultIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
