import type { CacheDatabase } from './database.js';

/** SQLite's default: a checkpoint once the write-ahead log holds this many pages. */
const autoCheckpointPages = 1000;

/**
 * Lets a long run of commits (a sync of many pages) grow the write-ahead log instead of
 * checkpointing after nearly every commit, which copies the same index pages into the file again
 * and again. Returns what ends it: one checkpoint, which also truncates the log so it does not
 * keep the size it grew to, and automatic checkpoints again. A crash in between loses nothing:
 * the next open replays the log.
 */
export function deferCheckpoints(db: CacheDatabase): () => void {
  db.pragma('wal_autocheckpoint = 0');
  return () => {
    db.pragma(`wal_autocheckpoint = ${autoCheckpointPages}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
  };
}
