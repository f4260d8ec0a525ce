import type { FastifyBaseLogger } from 'fastify';
import type { Queryable } from '../db/database.js';
import { mutationResultRetentionMs, pruneMutationResults } from '../mutations/mutation-service.js';
import { pruneTombstones } from './retention.js';

export const defaultChangeLogRetentionDays = 90;
const defaultIntervalMs = 60 * 60 * 1000;

export interface SyncMaintenanceOptions {
  /** Tombstones older than this are pruned; clients whose cursor is older resync from a snapshot. */
  changeLogRetentionMs: number;
  intervalMs?: number;
}

/** Prunes old tombstones and mutation results now and then every `intervalMs` (default hourly). */
export function scheduleSyncMaintenance(
  db: Queryable,
  options: SyncMaintenanceOptions,
  log: FastifyBaseLogger,
): () => void {
  const { changeLogRetentionMs } = options;
  if (!Number.isFinite(changeLogRetentionMs) || changeLogRetentionMs <= 0) {
    throw new Error(`the change log retention must be positive, got ${changeLogRetentionMs} ms`);
  }
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    Promise.all([
      pruneTombstones(db, changeLogRetentionMs).then((pruned) => {
        if (pruned > 0) log.info({ pruned }, 'pruned old tombstones from the change log');
      }),
      pruneMutationResults(db, Math.max(mutationResultRetentionMs, changeLogRetentionMs)),
    ])
      .catch((err: unknown) => log.warn({ err }, 'sync maintenance failed; retrying at the next interval'))
      .finally(() => (running = false));
  };
  run();
  const timer = setInterval(run, options.intervalMs ?? defaultIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
