import {
  type SyncPage,
  SyncPageEnvelope,
  isKnownChangeType,
  maxSyncPageSize,
  readSyncPage,
} from '@flurfunk/protocol';
import type { EventName, EventPayload, IpcErrorCode, SyncStatus } from '@flurfunk/protocol';
import { deferCheckpoints } from '../cache/checkpoints.js';
import type { CacheDatabase } from '../cache/database.js';
import { CoreError, SyncLogReplacedError, isCoreError } from '../errors.js';
import { logError } from '../log.js';
import type { ServerSession } from '../session/server-session.js';
import { type PageRequest, type SyncStores, applySyncPage } from './apply-page.js';
import type { ChangeSet } from './change-set.js';
import type { LiveChannelState, SessionEndReason } from './live-channel.js';
import { sessionEndReason } from '../session/session-end.js';
import {
  beginResync,
  isResyncing,
  readBackfills,
  readCursor,
  readLastSyncedAt,
  recordSkippedTypes,
  resyncForSkippedTypes,
} from './sync-state.js';

/** Changes asked for per request: as many as the server sends, for few round trips and commits. */
const pageSize = maxSyncPageSize;

const noop = () => undefined;

export const signedOutSyncStatus: SyncStatus = {
  connection: 'unknown',
  state: 'idle',
  lastSyncedAt: null,
  error: null,
};

export interface SyncEngineOptions {
  db: CacheDatabase;
  stores: SyncStores;
  server: ServerSession;
  intervalMs: number;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** Called once a run has ended because the server no longer accepts the session. */
  onSessionEnded: (reason: SessionEndReason) => void;
}

/**
 * Pulls the change log into the cache: now, every `intervalMs`, when the live channel says so,
 * and on request. One run at a time; each page is stored with its cursor in one transaction, so
 * an interrupted run loses nothing and the next continues where it stopped. After the main log,
 * scopes the user gained are backfilled. Going offline only changes the status: the cache stays
 * readable. When the server no longer knows the cache's position (another log, or deletions
 * pruned since), the engine resyncs from a snapshot without emptying the cache first: rows the
 * snapshot does not deliver again are dropped at its end.
 */
export class SyncEngine {
  private currentStatus: SyncStatus;
  private running: Promise<void> | null = null;
  private rerun = false;
  /** The newest seq the server announced (live notices, applied writes). */
  private announcedUpTo = -1n;
  /** What the run under way brings: everything announced before its first request left. */
  private runBringsUpTo = -1n;
  /** Set while a pull of several pages defers the cache's checkpoints: ends the deferral. */
  private endCheckpointDeferral: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly abort = new AbortController();

  constructor(private readonly options: SyncEngineOptions) {
    this.currentStatus = { ...signedOutSyncStatus, lastSyncedAt: readLastSyncedAt(options.db) };
    const { db } = options;
    // An older version of the app skipped changes this one knows: fetch everything again.
    db.transaction(() => resyncForSkippedTypes(db, isKnownChangeType)).immediate();
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

  /**
   * Runs a pull and returns the status it ended with. A call during a run waits for a second run
   * after it, so changes announced while a page was in flight are never left for later.
   */
  async syncNow(): Promise<SyncStatus> {
    if (this.abort.signal.aborted) return this.currentStatus;
    if (this.running) {
      this.rerun = true;
      while (this.running) await this.running;
      return this.currentStatus;
    }
    this.running = (async () => {
      do {
        this.rerun = false;
        await this.run();
      } while (this.rerun && !this.abort.signal.aborted);
    })().finally(() => {
      this.running = null;
    });
    await this.running;
    return this.currentStatus;
  }

  /**
   * The server announced changes up to `upTo` (a live notice, an applied write): pull if the cache
   * is behind, unless the pull under way was asked for after they were committed and so brings them.
   */
  changesAvailable(upTo: string): void {
    const seq = BigInt(upTo);
    if (seq > this.announcedUpTo) this.announcedUpTo = seq;
    if (seq <= BigInt(readCursor(this.options.db))) return;
    if (this.running && seq <= this.runBringsUpTo) return;
    void this.syncNow();
  }

  /** The live socket's state: an open socket proves the server reachable. */
  liveStateChanged(state: LiveChannelState): void {
    if (state === 'online' && this.currentStatus.connection !== 'online') {
      this.setStatus({ ...this.currentStatus, connection: 'online' });
    }
  }

  /**
   * The server ended the session (noticed by another part, e.g. the live socket): the status says
   * so, also to a caller still waiting for a pull that is about to be cut off.
   */
  sessionEnded(reason: SessionEndReason): void {
    const error = reason === 'revoked' ? 'device_revoked' : 'session_expired';
    this.setStatus({ ...this.currentStatus, connection: 'online', state: 'error', error });
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
      await this.pullAll().catch(async (error: unknown) => {
        if (!(error instanceof SyncLogReplacedError) || this.abort.signal.aborted) throw error;
        this.startOver();
        // Once per run: a server that keeps replacing its log gets an error, not an endless loop.
        await this.pullAll();
      });
    } catch (error) {
      if (this.abort.signal.aborted) return;
      this.setStatus(this.failedStatus(error));
      const ended = sessionEndReason(error);
      if (ended) queueMicrotask(() => this.options.onSessionEnded(ended));
    } finally {
      this.checkpointDeferred();
    }
  }

  private async pullAll(): Promise<void> {
    await this.pullMain();
    for (const backfill of readBackfills(this.options.db)) {
      await this.pullPages({ kind: 'backfill', ...backfill });
    }
  }

  /** Fetches and stores pages of the main log until the server has no more. */
  private async pullMain(): Promise<void> {
    let request: PageRequest = { kind: 'main', after: readCursor(this.options.db) };
    this.runBringsUpTo = this.announcedUpTo;
    let fetching = this.fetchPage(request);
    while (!this.abort.signal.aborted) {
      const page = await fetching;
      if (this.abort.signal.aborted) return;
      // The server prepares the next page while this one is stored. If storing fails, the page
      // fetched ahead is dropped unread.
      const next: PageRequest | null = page.hasMore ? { kind: 'main', after: page.cursor } : null;
      if (next) {
        let sent = () => undefined as void;
        const departed = new Promise<void>((resolve) => (sent = resolve));
        fetching = this.fetchPage(next, sent);
        fetching.catch(() => undefined);
        // Storing blocks this thread, and fetch sends only a few turns of the event loop later:
        // the request leaves first, so the server prepares the page while this one is stored.
        await Promise.race([departed, fetching.then(noop, noop)]);
        if (this.abort.signal.aborted) return;
      }
      this.storePage(page, request);
      if (!next) return;
      request = next;
    }
  }

  /** Fetches and stores one scope's backfill until it is complete. */
  private async pullPages(first: PageRequest & { kind: 'backfill' }): Promise<void> {
    let request = first;
    for (;;) {
      if (this.abort.signal.aborted || !(await this.pullPage(request))) return;
      const next = readBackfills(this.options.db).find((b) => b.scope === request.scope);
      if (!next) return;
      request = { kind: 'backfill', ...next };
    }
  }

  /** One request and its page; true when the server has more. */
  private async pullPage(request: PageRequest): Promise<boolean> {
    const page = await this.fetchPage(request);
    if (this.abort.signal.aborted) return false;
    this.storePage(page, request);
    return page.hasMore;
  }

  private async fetchPage(request: PageRequest, onSent?: () => void): Promise<SyncPage> {
    const { db, server } = this.options;
    const query = new URLSearchParams({ after: request.after, limit: String(pageSize) });
    // A cache filling up from nothing, or from a snapshot, has no use for tombstones.
    if (request.kind === 'backfill' || request.after === '0' || isResyncing(db))
      query.set('snapshot', 'true');
    if (request.kind === 'backfill') {
      query.set('scope', request.scope);
      query.set('until', request.until);
    }
    const envelope = await server.get(
      `/api/v1/sync?${query}`,
      SyncPageEnvelope,
      'sync page',
      this.abort.signal,
      onSent,
    );
    let read: ReturnType<typeof readSyncPage>;
    try {
      read = readSyncPage(envelope);
    } catch {
      throw new CoreError('server_error', 'the server sent a malformed sync page');
    }
    if (read.unknownTypes.length > 0) recordSkippedTypes(db, read.unknownTypes);
    return read.page;
  }

  /** Stores a page with its cursor and tells the renderer what changed. */
  private storePage(page: SyncPage, request: PageRequest): void {
    const { db, stores } = this.options;
    if (page.hasMore && !this.endCheckpointDeferral) this.endCheckpointDeferral = deferCheckpoints(db);
    const done = request.kind === 'main' && !page.hasMore;
    const finishedAt = done ? new Date().toISOString() : null;
    const changes = applySyncPage(db, stores, page, request, finishedAt);
    this.announce(changes);
    if (finishedAt !== null) {
      this.setStatus({ connection: 'online', state: 'idle', lastSyncedAt: finishedAt, error: null });
    }
  }

  /** The server no longer knows where the cache stands: fetch everything again from a snapshot. */
  private startOver(): void {
    const { db } = this.options;
    db.transaction(() => beginResync(db)).immediate();
  }

  private announce(changes: ChangeSet): void {
    if (!changes.isEmpty) this.options.emit('dataChanged', changes.toEvent());
  }

  /** Checkpoints what a pull of several pages wrote, once, and lets the cache checkpoint again. */
  private checkpointDeferred(): void {
    const end = this.endCheckpointDeferral;
    this.endCheckpointDeferral = null;
    try {
      end?.();
    } catch (error) {
      // The data is committed in the log either way; SQLite checkpoints it later.
      logError('checkpointing the cache after a sync', error);
    }
  }

  private failedStatus(error: unknown): SyncStatus {
    let code: IpcErrorCode = 'internal';
    if (isCoreError(error)) code = error.code;
    // A page the core refused (malformed, inconsistent, too large) is worth a line in the log.
    if (code === 'internal' || code === 'server_error') logError('sync', error);
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
