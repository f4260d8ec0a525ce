import { SyncPage } from '@flurfunk/protocol';
import type { EventName, EventPayload, IpcErrorCode, SyncStatus } from '@flurfunk/protocol';
import type { CacheDatabase } from '../cache/database.js';
import type { DirectoryStore } from '../directory/directory-store.js';
import { SyncLogReplacedError, isCoreError } from '../errors.js';
import { logError } from '../log.js';
import type { ServerSession } from '../session/server-session.js';
import { applySyncPage } from './apply-page.js';
import { discardSyncedData } from './discard-synced-data.js';
import { readCursor, readLastSyncedAt } from './sync-state.js';

/** Changes asked for per request: big enough for few round trips, small enough for short transactions. */
const pageSize = 250;

export const signedOutSyncStatus: SyncStatus = {
  connection: 'unknown',
  state: 'idle',
  lastSyncedAt: null,
  error: null,
};

export interface SyncEngineOptions {
  db: CacheDatabase;
  directory: DirectoryStore;
  server: ServerSession;
  intervalMs: number;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** Called once a run has ended because the server no longer accepts the session. */
  onSessionExpired: () => void;
}

/**
 * Pulls the change log into the cache: now, every `intervalMs`, and on request. One run at a time;
 * each page is stored with its cursor in one transaction, so an interrupted run loses nothing and
 * the next continues where it stopped. Going offline only changes the status: the cache stays
 * readable. When the server's log is not the one the cache came from, the cache is emptied and
 * filled again from the start.
 */
export class SyncEngine {
  private currentStatus: SyncStatus;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly abort = new AbortController();

  constructor(private readonly options: SyncEngineOptions) {
    this.currentStatus = { ...signedOutSyncStatus, lastSyncedAt: readLastSyncedAt(options.db) };
  }

  get status(): SyncStatus {
    return this.currentStatus;
  }

  start(): void {
    void this.syncNow();
    this.timer = setInterval(() => void this.syncNow(), this.options.intervalMs);
    // The periodic pull alone never keeps a process alive.
    this.timer.unref();
  }

  /** Runs a pull (or joins the one under way) and returns the status it ended with. */
  async syncNow(): Promise<SyncStatus> {
    if (!this.abort.signal.aborted) {
      this.running ??= this.run().finally(() => {
        this.running = null;
      });
      await this.running;
    }
    return this.currentStatus;
  }

  /** Stops pulling; resolves once a run under way has ended, so the cache can be closed. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.abort.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    this.setStatus({ ...this.currentStatus, state: 'syncing' });
    try {
      await this.pull().catch(async (error: unknown) => {
        if (!(error instanceof SyncLogReplacedError) || this.abort.signal.aborted) throw error;
        this.startOver();
        // Once per run: a server that keeps replacing its log gets an error, not an endless loop.
        await this.pull();
      });
    } catch (error) {
      if (this.abort.signal.aborted) return;
      this.setStatus(this.failedStatus(error));
      if (isCoreError(error, 'session_expired')) queueMicrotask(this.options.onSessionExpired);
    }
  }

  /** Fetches and stores pages until the server has no more. */
  private async pull(): Promise<void> {
    const { db, directory, server, emit } = this.options;
    let hasMore = true;
    while (hasMore) {
      const after = readCursor(db);
      const page = await server.get(
        `/api/v1/sync?after=${after}&limit=${pageSize}`,
        SyncPage,
        'sync page',
        this.abort.signal,
      );
      if (this.abort.signal.aborted) return;
      hasMore = page.hasMore;
      const finishedAt = hasMore ? null : new Date().toISOString();
      applySyncPage(db, directory, page, finishedAt);
      if (page.changes.length > 0) emit('directoryChanged', {});
      if (finishedAt !== null) {
        this.setStatus({ connection: 'online', state: 'idle', lastSyncedAt: finishedAt, error: null });
      }
    }
  }

  /** The cache holds another log than the server's: empty it and pull from "0". */
  private startOver(): void {
    discardSyncedData(this.options.db, this.options.directory);
    this.options.emit('directoryChanged', {});
    this.setStatus({ ...this.currentStatus, lastSyncedAt: null });
  }

  private failedStatus(error: unknown): SyncStatus {
    let code: IpcErrorCode = 'internal';
    if (isCoreError(error)) code = error.code;
    else logError('sync', error);
    const connection =
      code === 'unreachable' ? 'offline' : code === 'internal' ? this.currentStatus.connection : 'online';
    return { ...this.currentStatus, connection, state: 'error', error: code };
  }

  private setStatus(status: SyncStatus): void {
    const changed = JSON.stringify(status) !== JSON.stringify(this.currentStatus);
    this.currentStatus = status;
    if (changed) this.options.emit('syncStatusChanged', status);
  }
}
