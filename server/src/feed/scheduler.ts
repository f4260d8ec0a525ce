import type { ScopeKey } from '@flurfunk/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.js';
import { recordChanges } from '../sync/change-log.js';
import { postChanges, statsChanges } from './changes.js';

/** Posts published per transaction; a backlog (e.g. after downtime) goes out in several. */
const batchSize = 200;
/** The scheduler looks at least this often, also for posts scheduled on other instances. */
export const defaultFeedSchedulerMaxWaitMs = 30_000;
/** Never sooner than this after the last look: a post another instance holds must not make it spin. */
const minWaitMs = 50;

/**
 * Publishes the posts that are due: each goes to its channel's audience with its (empty) reaction
 * counts, and its author's copy says so.
 * Several instances may run this at once: each takes the posts no other one has locked.
 * Resolves to the milliseconds until the next scheduled post (by the database's clock), or null.
 */
export async function publishDuePosts(db: Database): Promise<number | null> {
  for (;;) {
    const published = await db.transaction(async (tx) => {
      const due = await tx.query<{ id: string; author_id: string; audience: ScopeKey }>(
        `SELECT p.id, p.author_id, c.audience
           FROM posts p JOIN feed_channels c ON c.id = p.channel_id
          WHERE NOT p.published AND p.deleted_at IS NULL AND p.publish_at <= now()
          ORDER BY p.publish_at, p.id
          LIMIT $1
          FOR UPDATE OF p SKIP LOCKED`,
        [batchSize],
      );
      if (due.length === 0) return 0;
      await tx.query('UPDATE posts SET published = true WHERE id = ANY($1::uuid[])', [due.map((p) => p.id)]);
      await recordChanges(
        tx,
        due.flatMap((post) => [
          ...postChanges({ ...post, published: true }),
          ...statsChanges({ ...post, published: true }),
        ]),
      );
      return due.length;
    });
    if (published < batchSize) break;
  }
  const [next] = await db.query<{ delay_ms: number | null }>(
    `SELECT (extract(epoch FROM min(publish_at) - now()) * 1000)::float8 AS delay_ms
       FROM posts WHERE NOT published AND deleted_at IS NULL`,
  );
  return next?.delay_ms ?? null;
}

export interface FeedScheduler {
  /** Publishes what is due now and keeps watching. */
  start(): void;
  /** A post was scheduled on this instance to appear in `delayMs`: look then at the latest. */
  wake(delayMs: number): void;
  /** Stops the timer and waits for a run under way. */
  stop(): Promise<void>;
}

/**
 * Publishes scheduled posts on time: at start, then whenever the next one is due, and at least
 * every `maxWaitMs` (posts scheduled on another instance are found that way, and a failed run is
 * retried).
 */
export function createFeedScheduler(
  db: Database,
  log: FastifyBaseLogger,
  maxWaitMs: number = defaultFeedSchedulerMaxWaitMs,
): FeedScheduler {
  if (!Number.isFinite(maxWaitMs) || maxWaitMs <= 0) {
    throw new Error(`the feed scheduler's longest wait must be positive, got ${maxWaitMs} ms`);
  }
  let timer: NodeJS.Timeout | undefined;
  let timerDue = Infinity;
  let running: Promise<void> | undefined;
  /** When (`Date.now()` ms) a post scheduled during a run is due. */
  let wokenDuringRun: number | null = null;
  let started = false;
  let stopped = false;

  const arm = (delayMs: number | null) => {
    if (!started || stopped) return;
    const wait = Math.max(minWaitMs, Math.min(delayMs ?? maxWaitMs, maxWaitMs));
    const due = Date.now() + wait;
    if (timer && timerDue <= due) return;
    clearTimeout(timer);
    timerDue = due;
    timer = setTimeout(run, wait);
    timer.unref();
  };

  const run = () => {
    clearTimeout(timer);
    timer = undefined;
    timerDue = Infinity;
    wokenDuringRun = null;
    running = publishDuePosts(db)
      .catch((err: unknown) => {
        log.warn({ err }, 'publishing scheduled posts failed; trying again at the next look');
        return null;
      })
      .then((next) => {
        running = undefined;
        // A post scheduled while this run looked may not have been committed yet.
        const woken = wokenDuringRun === null ? null : wokenDuringRun - Date.now();
        arm(woken === null || (next !== null && next < woken) ? next : woken);
      });
  };

  return {
    start() {
      if (started || stopped) return;
      started = true;
      run();
    },
    wake(delayMs) {
      if (running) wokenDuringRun = Math.min(wokenDuringRun ?? Infinity, Date.now() + delayMs);
      else arm(delayMs);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
