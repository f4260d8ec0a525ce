import type { MutationType, OutboxEntryView, OutboxState } from '@flurfunk/protocol';
import { v7 as uuidv7 } from 'uuid';
import type { CacheDatabase } from '../cache/database.js';

/** A write the user made, as it is put into the outbox with its optimistic row. */
export interface NewOutboxEntry {
  id: string;
  queue: string;
  type: MutationType;
  args: unknown;
  /** The local row the write changed, e.g. the message. */
  entityId: string | null;
  /** How to restore that row if the user discards the write after it failed. */
  undo: unknown;
  createdAt: string;
}

/** A write the user made, as it waits in the outbox. */
export type OutboxEntry = Omit<NewOutboxEntry, 'createdAt'> & {
  /** What the server knows this write by: `id`, or a new one for each retry after a refusal. */
  mutationId: string;
  position: number;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  appliedSeq: string | null;
};

interface Row {
  position: number;
  id: string;
  mutation_id: string;
  queue: string;
  type: MutationType;
  args: string;
  entity_id: string | null;
  undo: string | null;
  state: OutboxState;
  attempts: number;
  next_attempt_at: number;
  applied_seq: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: string;
}

/**
 * The outbox table. Entries are written in the same transaction as the optimistic row they
 * stand for (by the feature that makes the write) and leave it only once the cache holds the
 * server's version of their effect, or when the user discards a failed one.
 */
export class OutboxStore {
  private readonly statements;

  constructor(db: CacheDatabase) {
    this.statements = {
      insert: db.prepare<[Record<string, unknown>]>(/* sql */ `
        INSERT INTO outbox (id, mutation_id, queue, type, args, entity_id, undo, state, created_at)
        VALUES (@id, @id, @queue, @type, @args, @entityId, @undo, 'pending', @createdAt)`),
      pending: db.prepare<[number], Row>(
        `SELECT * FROM outbox WHERE state = 'pending' ORDER BY position LIMIT ?`,
      ),
      nextAttemptAt: db
        .prepare<[], number | null>(`SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending'`)
        .pluck(),
      markSent: db.prepare<[string | null, string]>(
        `UPDATE outbox SET state = 'sent', applied_seq = ?, error_code = NULL, error_message = NULL WHERE id = ?`,
      ),
      markFailed: db.prepare<[string, string, string]>(
        `UPDATE outbox SET state = 'failed', error_code = ?, error_message = ? WHERE id = ? AND state = 'pending'`,
      ),
      postpone: db.prepare<[number, string | null, string | null, string]>(/* sql */ `
        UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, error_code = ?, error_message = ?
        WHERE id = ? AND state = 'pending'`),
      retry: db.prepare<[string, string]>(/* sql */ `
        UPDATE outbox SET state = 'pending', mutation_id = ?, attempts = 0, next_attempt_at = 0,
          error_code = NULL, error_message = NULL
        WHERE id = ? AND state = 'failed'`),
      get: db.prepare<[string], Row>('SELECT * FROM outbox WHERE id = ?'),
      delete: db.prepare<[string]>('DELETE FROM outbox WHERE id = ?'),
      settled: db.prepare<[string], Row>(/* sql */ `
        SELECT * FROM outbox WHERE state = 'sent'
          AND (applied_seq IS NULL OR CAST(applied_seq AS INTEGER) <= CAST(? AS INTEGER))`),
      list: db.prepare<[], Row>('SELECT * FROM outbox ORDER BY position LIMIT 1000'),
      withEntity: db.prepare<[], Row>('SELECT * FROM outbox WHERE entity_id IS NOT NULL ORDER BY position'),
      ofType: db.prepare<[string], Row>('SELECT * FROM outbox WHERE type = ? ORDER BY position LIMIT 1000'),
      forEntities: db.prepare<[string], Row>(
        'SELECT * FROM outbox WHERE entity_id IN (SELECT value FROM json_each(?)) ORDER BY position',
      ),
    };
  }

  add(entry: NewOutboxEntry): void {
    this.statements.insert.run({
      ...entry,
      args: JSON.stringify(entry.args),
      undo: entry.undo === undefined ? null : JSON.stringify(entry.undo),
    });
  }

  /**
   * Pending entries due by `now`, at most `limit`, oldest first. A queue stops at its first entry
   * that is not due: nothing overtakes an earlier write of the same queue.
   */
  ready(now: number, limit: number): OutboxEntry[] {
    const blocked = new Set<string>();
    const ready: OutboxEntry[] = [];
    for (const row of this.statements.pending.all(limit * 4)) {
      if (ready.length === limit) break;
      if (blocked.has(row.queue)) continue;
      if (row.next_attempt_at > now) blocked.add(row.queue);
      else ready.push(toEntry(row));
    }
    return ready;
  }

  /** When the earliest pending entry is due; null when nothing is pending. */
  nextAttemptAt(): number | null {
    return this.statements.nextAttemptAt.get() ?? null;
  }

  markSent(id: string, appliedSeq: string | null): void {
    this.statements.markSent.run(appliedSeq, id);
  }

  markFailed(id: string, code: string, message: string): void {
    this.statements.markFailed.run(code, message, id);
  }

  /** Counts a failed attempt (no answer) and sets when to try again. */
  postpone(id: string, nextAttemptAt: number, error: { code: string; message: string } | null): void {
    this.statements.postpone.run(nextAttemptAt, error?.code ?? null, error?.message ?? null, id);
  }

  /**
   * A failed entry goes back into the queue at once, under a new mutation id so the server
   * decides afresh; false when there was no failed entry.
   */
  retry(id: string): boolean {
    return this.statements.retry.run(uuidv7(), id).changes > 0;
  }

  get(id: string): OutboxEntry | null {
    const row = this.statements.get.get(id);
    return row ? toEntry(row) : null;
  }

  delete(id: string): void {
    this.statements.delete.run(id);
  }

  /** Removes and returns the sent entries whose effect the cache holds once synced up to `cursor`. */
  takeSettled(cursor: string): OutboxEntry[] {
    const rows = this.statements.settled.all(cursor);
    for (const row of rows) this.statements.delete.run(row.id);
    return rows.map(toEntry);
  }

  /** Every entry that changed one of these rows, oldest first. */
  forEntities(ids: readonly string[]): OutboxEntry[] {
    return ids.length === 0 ? [] : this.statements.forEntities.all(JSON.stringify(ids)).map(toEntry);
  }

  /** Entries of one mutation type, oldest first, for writes that change rows without one entity id. */
  ofType(type: MutationType): OutboxEntry[] {
    return this.statements.ofType.all(type).map(toEntry);
  }

  forAllEntities(): OutboxEntry[] {
    return this.statements.withEntity.all().map(toEntry);
  }

  list(): OutboxEntryView[] {
    return this.statements.list.all().map(toView);
  }
}

function toEntry(row: Row): OutboxEntry {
  return {
    position: row.position,
    id: row.id,
    mutationId: row.mutation_id,
    queue: row.queue,
    type: row.type,
    args: JSON.parse(row.args) as unknown,
    entityId: row.entity_id,
    undo: row.undo === null ? undefined : (JSON.parse(row.undo) as unknown),
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    appliedSeq: row.applied_seq,
  };
}

function toView(row: Row): OutboxEntryView {
  return {
    id: row.id,
    type: row.type,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt:
      row.state === 'pending' && row.next_attempt_at > 0 ? new Date(row.next_attempt_at).toISOString() : null,
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    entityId: row.entity_id,
    createdAt: row.created_at,
  };
}
