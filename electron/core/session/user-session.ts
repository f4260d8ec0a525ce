import { typingRepeatMs } from '@flurfunk/protocol';
import type { EventName, EventPayload, OutboxEntryView, SessionUser, SyncStatus } from '@flurfunk/protocol';
import type { CacheDatabase } from '../cache/database.js';
import { Drafts } from '../cache/drafts.js';
import { ChatOnline } from '../chat/chat-online.js';
import { ChatNotifier } from '../chat/chat-notifier.js';
import { FeedNotifier } from '../feed/feed-notifier.js';
import { NotificationSettingsStore } from '../notifications/notification-settings.js';
import { ChatReader } from '../chat/chat-reader.js';
import { ChatStore } from '../chat/chat-store.js';
import { ChatWrites, settingsMutations } from '../chat/chat-writes.js';
import { AccountDevices } from '../account/account-devices.js';
import { BrandingAdmin } from '../branding/branding-admin.js';
import type { BrandingCache } from '../branding/branding-cache.js';
import { brandingSyncTarget } from '../branding/branding-sync-target.js';
import { CanteenStore } from '../canteen/canteen-store.js';
import { CanteenWrites, canteenMutations } from '../canteen/canteen-writes.js';
import { DirectoryStore } from '../directory/directory-store.js';
import { DirectoryWrites, directoryMutations } from '../directory/directory-writes.js';
import { FeedPermissions } from '../feed/feed-permissions.js';
import { FeedReader } from '../feed/feed-reader.js';
import { FeedStore } from '../feed/feed-store.js';
import { FeedWrites } from '../feed/feed-writes.js';
import { CommentStore } from '../feed/comment-store.js';
import type { EncryptedFileCache } from '../files/encrypted-file-cache.js';
import { FileTransfers } from '../files/file-transfers.js';
import { KnownFiles } from '../files/known-files.js';
import { CommentWrites, commentMutations } from '../feed/comment-writes.js';
import type { OutboxEntry } from '../outbox/outbox-store.js';
import { CoreError } from '../errors.js';
import { logError } from '../log.js';
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
import { readLastSyncedAt } from '../sync/sync-state.js';
import type { SyncTarget, SyncTargets } from '../sync/sync-target.js';
import type { ServerSession } from './server-session.js';

/** Knobs of the live channel that tests turn (timeouts, backoff); production uses the defaults. */
export type LiveTuning = Partial<
  Pick<LiveChannelOptions, 'backoff' | 'silenceTimeoutMs' | 'wakeCheckIntervalMs'>
>;

export interface UserSessionOptions {
  db: CacheDatabase;
  /** The user's files kept on the device, encrypted. */
  keptFiles: EncryptedFileCache;
  server: ServerSession;
  user: SessionUser;
  syncIntervalMs: number;
  live?: LiveTuning;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  branding: BrandingCache;
  /** The server no longer accepts this device: the session manager signs the user out. */
  onSessionEnded(reason: 'expired' | 'revoked'): void;
}

/** Which store holds which synced entity. */
export function syncTargetsOf(
  directory: DirectoryStore,
  chat: ChatStore,
  feed: FeedStore,
  comments: CommentStore,
  canteen: CanteenStore,
  branding: SyncTarget,
): SyncTargets {
  return {
    person: directory,
    orgUnit: directory,
    location: directory,
    privateContact: directory,
    conversation: chat,
    message: chat,
    conversationSettings: chat,
    conversationReads: chat,
    feedChannel: feed,
    post: feed,
    authoredPost: feed,
    postState: feed,
    postReach: feed,
    postStats: feed,
    feedChannelSettings: feed,
    postComment: comments,
    authoredPostComment: comments,
    canteen,
    canteenWeek: canteen,
    branding,
  };
}

/** The user's writes, by feature. */
export interface Writes {
  directory: DirectoryWrites;
  chat: ChatWrites;
  feed: FeedWrites;
  comments: CommentWrites;
  canteen: CanteenWrites;
}

/** The cached row an outbox entry changed, by the feature of its mutation. */
function changedRowOf(
  entry: OutboxEntry,
): 'person' | 'message' | 'conversationSettings' | 'post' | 'postComment' | 'canteenWeek' {
  if (directoryMutations.has(entry.type)) return 'person';
  if (canteenMutations.has(entry.type)) return 'canteenWeek';
  if (commentMutations.has(entry.type)) return 'postComment';
  if (settingsMutations.has(entry.type)) return 'conversationSettings';
  return entry.type.startsWith('feed.') ? 'post' : 'message';
}

/**
 * Everything that works on a signed-in user's cache: the feature stores, the outbox, the pull
 * engine, the sender and the live socket, wired so that a live notice pulls, a reconnect pulls
 * and flushes the outbox, and an acknowledged write pulls its effect.
 */
export class UserSession {
  readonly directory: DirectoryStore;
  readonly canteen: CanteenStore;
  /** The IT admin's changes to the company's branding. */
  readonly brandingAdmin: BrandingAdmin;
  /** The devices signed in to the account. */
  readonly devices: AccountDevices;
  readonly chat: ChatReader;
  /** Chat operations that wait for the server. */
  readonly chatOnline: ChatOnline;
  private readonly chatStore: ChatStore;
  /** Desktop notifications of new messages and the unread total. */
  readonly notifier: ChatNotifier;
  /** Desktop notifications of new important posts. */
  private readonly feedNotifier: FeedNotifier;
  /** Which desktop notifications the user wants. */
  readonly notificationSettings: NotificationSettingsStore;
  readonly feed: FeedReader;
  readonly drafts: Drafts;
  readonly files: FileTransfers;
  private readonly feedStore: FeedStore;
  private readonly writes: Writes;
  readonly outbox: OutboxStore;
  readonly sync: SyncEngine;
  private readonly sender: OutboxSender;
  private readonly live: LiveChannel;
  private readonly presence: PresenceTracker;
  private readonly typingSentAt = new Map<string, number>();
  private readonly knownFiles: KnownFiles;
  private postableRefresh: Promise<void> = Promise.resolve();

  constructor(private readonly options: UserSessionOptions) {
    const { db, server, user, emit } = options;
    const index = new SyncIndex(db);
    this.directory = new DirectoryStore(db);
    this.canteen = new CanteenStore(db);
    this.chatStore = new ChatStore(db, user.id);
    this.outbox = new OutboxStore(db);
    this.drafts = new Drafts(db);
    this.chat = new ChatReader(this.chatStore, this.drafts);
    this.notificationSettings = new NotificationSettingsStore(db);
    this.notifier = new ChatNotifier({
      settings: this.notificationSettings,
      chat: this.chat,
      directory: this.directory,
      userId: user.id,
      emit,
      lastSyncedAt: readLastSyncedAt(db),
    });
    this.knownFiles = new KnownFiles(db);
    this.files = new FileTransfers(server, options.keptFiles, this.knownFiles);
    this.feedStore = new FeedStore(db, index);
    const comments = new CommentStore(db, index);
    const feedPermissions = new FeedPermissions(this.feedStore, user);
    this.feed = new FeedReader(this.feedStore, comments, feedPermissions, server, user.id);
    this.feedNotifier = new FeedNotifier({
      settings: this.notificationSettings,
      feed: this.feed,
      store: this.feedStore,
      directory: this.directory,
      userId: user.id,
      emit,
      lastSyncedAt: readLastSyncedAt(db),
    });
    this.writes = {
      directory: new DirectoryWrites(db, this.directory, this.outbox, user, this.knownFiles),
      chat: new ChatWrites(db, this.chatStore, this.outbox, index, user, this.knownFiles, this.drafts),
      feed: new FeedWrites(db, this.feedStore, feedPermissions, this.outbox, index, user, this.knownFiles),
      comments: new CommentWrites(db, this.feedStore, comments, feedPermissions, this.outbox, index, user),
      canteen: new CanteenWrites(db, this.canteen, this.outbox, user, this.knownFiles),
    };
    const targets = syncTargetsOf(
      this.directory,
      this.chatStore,
      this.feedStore,
      comments,
      this.canteen,
      brandingSyncTarget(options.branding, server.serverUrl),
    );
    this.brandingAdmin = new BrandingAdmin(server, options.branding);
    this.devices = new AccountDevices(server);
    this.presence = new PresenceTracker({
      selfId: user.id,
      chatPartners: () =>
        this.chatStore.listConversations().flatMap((c) => (c.kind === 'channel' ? [] : c.memberIds)),
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
        if (event === 'dataChanged') {
          void this.dropGoneFiles();
          this.notifier.dataChanged(payload as EventPayload<'dataChanged'>);
          this.feedNotifier.dataChanged(payload as EventPayload<'dataChanged'>);
        }
        if (event === 'syncStatusChanged') {
          this.notifier.syncStatusChanged(payload as SyncStatus);
          this.feedNotifier.syncStatusChanged(payload as SyncStatus);
        }
      },
      onSessionEnded: (reason) => this.endSession(reason),
      stores: {
        targets,
        index,
        afterPage: (cursor, changes) => this.afterPage(cursor, changes),
      },
    });
    this.chatOnline = new ChatOnline({
      db,
      server,
      chat: this.chatStore,
      reader: this.chat,
      index,
      user,
      pull: () => this.sync.syncNow(),
      announce: (changes) => this.announce(changes),
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
    this.postableRefresh = this.feed.refreshPostableChannels().then(
      () => {
        const changes = new ChangeSet();
        changes.addAll('feedChannel');
        this.announce(changes);
      },
      (error: unknown) => logError('reading the postable channels', error),
    );
    this.notifier.announceUnread();
    this.sync.start();
    this.sender.kick();
    this.live.start();
    this.presence.start();
  }

  async stop(): Promise<void> {
    this.presence.stop();
    await Promise.all([this.live.stop(), this.sender.stop(), this.sync.stop(), this.postableRefresh]);
  }

  /**
   * Runs one of the user's writes (optimistic row + outbox entry), tells the renderer what
   * changed and sends it.
   */
  write<T>(action: (writes: Writes, changes: ChangeSet) => T): T {
    const changes = new ChangeSet();
    const result = action(this.writes, changes);
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
    if (!this.chatStore.getConversation(conversationId))
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
    if (entry?.entityId) changes.add(changedRowOf(entry), entry.entityId);
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
      const row = changedRowOf(entry);
      if (row === 'person') this.writes.directory.undo(entry, changes);
      else if (row === 'post') this.writes.feed.undo(entry, changes);
      else if (row === 'postComment') this.writes.comments.undo(entry, changes);
      else if (row === 'canteenWeek') this.writes.canteen.undo(entry, changes);
      else this.writes.chat.undo(entry, changes);
      changes.add('outboxEntry', id);
    }).immediate();
    this.announce(changes);
    return this.outbox.list();
  }

  /** Inside a page's transaction: settle acknowledged writes, re-apply the user's unconfirmed ones. */
  private afterPage(cursor: string, changes: ChangeSet): void {
    for (const entry of this.outbox.takeSettled(cursor)) changes.add('outboxEntry', entry.id);
    const rows = (
      [
        'person',
        'message',
        'conversationSettings',
        'post',
        'authoredPost',
        'postState',
        'feedChannelSettings',
        'postComment',
        'authoredPostComment',
        'canteenWeek',
      ] as const
    ).map((entity) => changes.idsOf(entity));
    const touched = rows.includes('all')
      ? this.outbox.forAllEntities()
      : this.outbox.forEntities(rows.flatMap((ids) => (ids === 'all' ? [] : ids)));
    this.writes.directory.reapply(touched);
    this.writes.chat.reapply(touched);
    this.writes.feed.reapply(touched);
    this.writes.comments.reapply(touched);
    this.writes.canteen.reapply(touched);
    if (!changes.isEmpty) this.writes.feed.reapply(this.outbox.ofType('feed.markSeen'));
  }

  /**
   * Deletes the kept bytes of files no cached message or picture names any more (the user left the
   * conversation, lost its scope, or the message was deleted): what the user may no longer read
   * does not stay on the device.
   */
  private async dropGoneFiles(): Promise<void> {
    const gone = this.chatStore.takeGoneFiles().filter((id) => this.knownFiles.meta(id) === null);
    await Promise.all(
      gone.map((id) =>
        this.options.keptFiles.remove(id).catch((error: unknown) => logError('deleting a kept file', error)),
      ),
    );
  }

  private endSession(reason: SessionEndReason): void {
    this.sync.sessionEnded(reason);
    this.options.onSessionEnded(reason);
  }

  private announce(changes: ChangeSet): void {
    if (changes.isEmpty) return;
    this.nameConversationsOfMessages(changes);
    const event = changes.toEvent();
    this.options.emit('dataChanged', event);
    this.notifier.dataChanged(event);
  }

  /**
   * A changed message names its conversation too, so the screen re-reads that conversation alone;
   * when a message is gone from the cache (purged, discarded) its conversation is not known.
   */
  private nameConversationsOfMessages(changes: ChangeSet): void {
    const ids = changes.idsOf('message');
    if (ids.length === 0) return;
    const found = ids === 'all' ? null : this.chatStore.conversationsOfMessages(ids);
    if (found === null || found.missing) changes.addAll('conversation');
    else for (const id of found.conversationIds) changes.add('conversation', id);
  }
}

function touchesConversations(payload: EventPayload<'dataChanged'>): boolean {
  return payload.changes.some((change) => change.entity === 'conversation');
}
