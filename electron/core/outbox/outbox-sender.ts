import { MutationResponse, maxMutationsPerBatch } from '@flurfunk/protocol';
import type { MutationResult } from '@flurfunk/protocol';
import type { CacheDatabase } from '../cache/database.js';
import { isCoreError } from '../errors.js';
import { logError } from '../log.js';
import type { ServerSession } from '../session/server-session.js';
import { type BackoffOptions, jitteredDelayMs } from '../sync/backoff.js';
import { ChangeSet } from '../sync/change-set.js';
import type { SessionEndReason } from '../sync/live-channel.js';
import { sessionEndReason } from '../session/session-end.js';
import type { OutboxEntry, OutboxStore } from './outbox-store.js';

/** Below the server's 2 MiB body limit for a batch, with room for the envelope. */
const maxBatchBytes = 1024 * 1024;
/** Full jitter may draw a wait of almost nothing; this keeps a dead server from being hammered. */
const minRetryDelayMs = 250;
const defaultRetryBackoff: BackoffOptions = { initialMs: 1_000, maxMs: 5 * 60_000 };

export interface OutboxSenderOptions {
  db: CacheDatabase;
  outbox: OutboxStore;
  server: ServerSession;
  /** What sending changed (outbox entries, rows whose delivery state moved). */
  onChanged(changes: ChangeSet): void;
  /** The server applied writes whose effects are in the change log up to `upTo`: pull them. */
  onApplied(upTo: string): void;
  onSessionEnded(reason: SessionEndReason): void;
  backoff?: BackoffOptions;
  random?: () => number;
}

/**
 * Sends the outbox to `POST /api/v1/mutations`: oldest first, each queue in order, as long as
 * anything is due. Without an answer (offline, server error) the batch's entries wait with
 * exponential backoff and full jitter, per entry and across restarts (the due time is stored).
 * An answer settles each entry on its own: applied → `sent` until sync brings its effect;
 * rejected → `failed`, kept for the user to retry or discard. Sending an entry again after a lost
 * answer is safe: the server recognises its id.
 */
export class OutboxSender {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private readonly abort = new AbortController();
  private readonly random: () => number;

  constructor(private readonly options: OutboxSenderOptions) {
    this.random = options.random ?? Math.random;
  }

  /** Sends what is due now and schedules the rest. */
  kick(): void {
    if (this.abort.signal.aborted) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      } else this.schedule();
    });
  }

  /** Makes every waiting entry due now (the connection is back) and sends. */
  retryWaitingNow(): void {
    if (this.abort.signal.aborted) return;
    this.options.db.prepare(`UPDATE outbox SET next_attempt_at = 0 WHERE state = 'pending'`).run();
    this.kick();
  }

  /** Resolves once a batch under way has been answered or abandoned. */
  async stop(): Promise<void> {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.abort.signal.aborted) return;
    const due = this.options.outbox.nextAttemptAt();
    if (due === null) return;
    this.timer = setTimeout(() => this.kick(), Math.max(0, due - Date.now()));
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const batch = this.nextBatch();
      if (batch.length === 0 || this.abort.signal.aborted) return;
      const sent = await this.send(batch);
      if (!sent) return;
    }
  }

  private nextBatch(): OutboxEntry[] {
    const batch: OutboxEntry[] = [];
    let bytes = 0;
    for (const entry of this.options.outbox.ready(Date.now(), maxMutationsPerBatch)) {
      const size = JSON.stringify(entry.args).length + 200;
      if (batch.length > 0 && bytes + size > maxBatchBytes) break;
      batch.push(entry);
      bytes += size;
    }
    return batch;
  }

  /** False when the batch got no answer and waits for its retry. */
  private async send(batch: OutboxEntry[]): Promise<boolean> {
    const { server, outbox, db } = this.options;
    let response: MutationResponse;
    try {
      response = await server.post(
        '/api/v1/mutations',
        { mutations: batch.map((entry) => ({ id: entry.mutationId, type: entry.type, args: entry.args })) },
        MutationResponse,
        'mutation results',
        this.abort.signal,
      );
    } catch (error) {
      if (this.abort.signal.aborted) return false;
      const ended = sessionEndReason(error);
      if (ended) {
        queueMicrotask(() => this.options.onSessionEnded(ended));
        return false;
      }
      if (!isCoreError(error)) logError('sending the outbox', error);
      this.postpone(batch, isCoreError(error) ? error.code : 'internal');
      return false;
    }
    const results = new Map(response.results.map((result) => [result.id, result]));
    const changes = new ChangeSet();
    let appliedUpTo: bigint | null = null;
    db.transaction(() => {
      for (const entry of batch) {
        const result = results.get(entry.mutationId);
        if (!result) continue; // Not answered: stays pending and goes out again.
        settle(outbox, entry, result);
        if (result.status === 'applied' && result.seq !== null && BigInt(result.seq) > (appliedUpTo ?? -1n)) {
          appliedUpTo = BigInt(result.seq);
        }
        changes.add('outboxEntry', entry.id);
        if (entry.entityId !== null) changes.add('message', entry.entityId);
      }
    }).immediate();
    this.options.onChanged(changes);
    if (appliedUpTo !== null) this.options.onApplied(String(appliedUpTo));
    return batch.every((entry) => results.has(entry.mutationId));
  }

  private postpone(batch: readonly OutboxEntry[], code: string): void {
    const { outbox, db } = this.options;
    const changes = new ChangeSet();
    db.transaction(() => {
      for (const entry of batch) {
        // Per entry: a write that has waited long waits longer, one written just now is tried soon.
        const delay = jitteredDelayMs(
          this.options.backoff ?? defaultRetryBackoff,
          entry.attempts,
          this.random,
        );
        outbox.postpone(entry.id, Date.now() + Math.max(minRetryDelayMs, delay), {
          code,
          message: 'no answer from the server',
        });
        changes.add('outboxEntry', entry.id);
      }
    }).immediate();
    this.options.onChanged(changes);
  }
}

function settle(outbox: OutboxStore, entry: OutboxEntry, result: MutationResult): void {
  if (result.status === 'rejected') outbox.markFailed(entry.id, result.code, result.message);
  // Nothing to wait for in the change log: done.
  else if (result.seq === null) outbox.delete(entry.id);
  else outbox.markSent(entry.id, result.seq);
}
