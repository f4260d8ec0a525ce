import { typingRepeatMs } from '@flurfunk/protocol';
import type { EventName, EventPayload, OutboxEntryView, SessionUser, SyncStatus } from '@flurfunk/protocol';
import type { CacheDatabase } from '../cache/database.js';
import { ChatStore } from '../chat/chat-store.js';
import { ChatWrites } from '../chat/chat-writes.js';
import { DirectoryStore } from '../directory/directory-store.js';
import { CoreError } from '../errors.js';
import { OutboxSender } from '../outbox/outbox-sender.js';
import { PresenceTracker } from '../presence/presence-tracker.js';
import { OutboxStore } from '../outbox/outbox-store.js';
import { ChangeSet } from '../sync/change-set.js';
import {
  LiveChannel,
  type LiveChannelOptions,
  type SessionEndReason,
  liveSocketUrl,
} from '../sync/live-channel.js';
import { SyncEngine } from '../sync/sync-engine.js';
import { SyncIndex } from '../sync/sync-index.js';
import type { SyncTargets } from '../sync/sync-target.js';
import type { ServerSession } from './server-session.js';

/** Knobs of the live channel that tests turn (timeouts, backoff); production uses the defaults. */
export type LiveTuning = Partial<
  Pick<LiveChannelOptions, 'backoff' | 'silenceTimeoutMs' | 'wakeCheckIntervalMs'>
>;

export interface UserSessionOptions {
  db: CacheDatabase;
  server: ServerSession;
  user: SessionUser;
  syncIntervalMs: number;
  live?: LiveTuning;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** The server no longer accepts this device: the session manager signs the user out. */
  onSessionEnded(reason: 'expired' | 'revoked'): void;
}

/** Which store holds which synced entity. */
export function syncTargetsOf(directory: DirectoryStore, chat: ChatStore): SyncTargets {
  return {
    person: directory,
    orgUnit: directory,
    location: directory,
    conversation: chat,
    message: chat,
    conversationSettings: chat,
  };
}

/**
 * Everything that works on a signed-in user's cache: the feature stores, the outbox, the pull
 * engine, the sender and the live socket, wired so that a live notice pulls, a reconnect pulls
 * and flushes the outbox, and an acknowledged write pulls its effect.
 */
export class UserSession {
  readonly directory: DirectoryStore;
  readonly chat: ChatStore;
  readonly chatWrites: ChatWrites;
  readonly outbox: OutboxStore;
  readonly sync: SyncEngine;
  private readonly sender: OutboxSender;
  private readonly live: LiveChannel;
  private readonly presence: PresenceTracker;
  private readonly typingSentAt = new Map<string, number>();

  constructor(private readonly options: UserSessionOptions) {
    const { db, server, user, emit } = options;
    const index = new SyncIndex(db);
    this.directory = new DirectoryStore(db);
    this.chat = new ChatStore(db);
    this.outbox = new OutboxStore(db);
    this.chatWrites = new ChatWrites(db, this.chat, this.outbox, index, user);
    const targets = syncTargetsOf(this.directory, this.chat);
    this.presence = new PresenceTracker({
      selfId: user.id,
      chatPartners: () =>
        this.chat.listConversations().flatMap((c) => (c.kind === 'channel' ? [] : c.memberIds)),
      send: (frame) => this.live.send(frame),
      onChange: (change) => emit('presenceChanged', change),
    });
    this.sync = new SyncEngine({
      db,
      server,
      intervalMs: options.syncIntervalMs,
      emit: (event, payload) => {
        emit(event, payload);
        if (event === 'dataChanged' && touchesConversations(payload as EventPayload<'dataChanged'>)) {
          this.presence.chatsChanged();
        }
      },
      onSessionEnded: (reason) => this.endSession(reason),
      stores: {
        targets,
        index,
        afterPage: (cursor, changes) => this.afterPage(cursor, changes),
      },
    });
    this.sender = new OutboxSender({
      db,
      outbox: this.outbox,
      server,
      onChanged: (changes) => this.announce(changes),
      onApplied: (upTo) => this.sync.changesAvailable(upTo),
      onSessionEnded: (reason) => this.endSession(reason),
    });
    this.live = new LiveChannel({
      ...options.live,
      url: liveSocketUrl(server.serverUrl),
      getAccessToken: (signal, rejected) => server.accessTokenFor(signal, rejected),
      onChanges: (upTo) => this.sync.changesAvailable(upTo),
      onTyping: ({ conversationId, personId }) => emit('typing', { conversationId, personId }),
      onPresence: (frame) => this.presence.received(frame),
      onConnected: () => {
        void this.sync.syncNow();
        this.sender.retryWaitingNow();
        this.presence.connected();
      },
      onStateChange: (state) => {
        this.sync.liveStateChanged(state);
        if (state !== 'online') this.presence.disconnected();
      },
      onSessionEnded: (reason) => this.endSession(reason),
      onWake: () => void this.sync.syncNow(),
    });
  }

  start(): void {
    this.sync.start();
    this.sender.kick();
    this.live.start();
    this.presence.start();
  }

  async stop(): Promise<void> {
    this.presence.stop();
    await Promise.all([this.live.stop(), this.sender.stop(), this.sync.stop()]);
  }

  /**
   * Runs one of the user's chat writes (optimistic row + outbox entry), tells the renderer what
   * changed and sends it.
   */
  write<T>(action: (writes: ChatWrites, changes: ChangeSet) => T): T {
    const changes = new ChangeSet();
    const result = action(this.chatWrites, changes);
    this.wrote(changes);
    return result;
  }

  private wrote(changes: ChangeSet): void {
    this.announce(changes);
    this.sender.kick();
  }

  /** "Sync now": pulls, and sends waiting writes at once instead of at their next retry. */
  syncNow(): Promise<SyncStatus> {
    this.sender.retryWaitingNow();
    return this.sync.syncNow();
  }

  /**
   * Tells the conversation's members that the user is typing, at most every `typingRepeatMs`.
   * Offline it is dropped: a typing notice is only worth something now.
   */
  sendTyping(conversationId: string): void {
    if (!this.chat.getConversation(conversationId))
      throw new CoreError('not_found', 'this conversation is not in the cache');
    const now = Date.now();
    if (now - (this.typingSentAt.get(conversationId) ?? Number.NEGATIVE_INFINITY) < typingRepeatMs) return;
    if (this.live.send({ type: 'typing', conversationId })) this.typingSentAt.set(conversationId, now);
  }

  /** The people on screen now; returns who of them is online. */
  watchPresence(personIds: readonly string[]): string[] {
    return this.presence.watch(personIds);
  }

  listOutbox(): OutboxEntryView[] {
    return this.outbox.list();
  }

  /** Sends a failed write again. */
  retryOutboxEntry(id: string): OutboxEntryView[] {
    if (!this.outbox.retry(id)) throw new CoreError('not_found', 'there is no failed write with this id');
    const changes = new ChangeSet();
    changes.add('outboxEntry', id);
    const entry = this.outbox.get(id);
    if (entry?.entityId) changes.add('message', entry.entityId);
    this.wrote(changes);
    return this.outbox.list();
  }

  /** Gives up a failed write and takes back its optimistic change. */
  discardOutboxEntry(id: string): OutboxEntryView[] {
    const { db } = this.options;
    const changes = new ChangeSet();
    db.transaction(() => {
      const entry = this.outbox.get(id);
      if (!entry || entry.state !== 'failed')
        throw new CoreError('not_found', 'there is no failed write with this id');
      this.outbox.delete(id);
      this.chatWrites.undo(entry, changes);
      changes.add('outboxEntry', id);
    }).immediate();
    this.announce(changes);
    return this.outbox.list();
  }

  /** Inside a page's transaction: settle acknowledged writes, re-apply the user's unconfirmed ones. */
  private afterPage(cursor: string, changes: ChangeSet): void {
    for (const entry of this.outbox.takeSettled(cursor)) changes.add('outboxEntry', entry.id);
    const messages = changes.idsOf('message');
    const touched = messages === 'all' ? this.outbox.forAllEntities() : this.outbox.forEntities(messages);
    this.chatWrites.reapply(touched);
  }

  private endSession(reason: SessionEndReason): void {
    this.sync.sessionEnded(reason);
    this.options.onSessionEnded(reason);
  }

  private announce(changes: ChangeSet): void {
    if (!changes.isEmpty) this.options.emit('dataChanged', changes.toEvent());
  }
}

function touchesConversations(payload: EventPayload<'dataChanged'>): boolean {
  return payload.changes.some((change) => change.entity === 'conversation');
}
