import type {
  CacheUsage,
  EventName,
  EventPayload,
  SessionState,
  SessionUser,
  SyncStatus,
  TokenResponse,
} from '@flurfunk/protocol';
import type { BrandingCache } from '../branding/branding-cache.js';
import { CacheOpenError } from '../cache/cache-error.js';
import type { CacheFiles } from '../cache/cache-files.js';
import { CacheRegistry } from '../cache/cache-registry.js';
import type { CacheDatabase } from '../cache/database.js';
import { openUserCache } from '../cache/user-cache.js';
import { EncryptedFileCache } from '../files/encrypted-file-cache.js';
import { CoreError, isCoreError } from '../errors.js';
import { logError } from '../log.js';
import type { NoticeBoard } from '../notices/notice-board.js';
import { signedOutSyncStatus } from '../sync/sync-engine.js';
import { type LiveTuning, UserSession } from './user-session.js';
import type { UserAccount } from '../vault/accounts.js';
import { cacheKeyAccount, profileId, refreshTokenAccount, sessionPointerAccount } from '../vault/accounts.js';
import type { Vault } from '../vault/vault.js';
import { readSessionPointer, writeSessionPointer } from './session-pointer.js';
import { readCachedUser, writeCachedUser } from './session-user.js';
import { normalizeServerUrl } from './server-url.js';
import { ServerSession, loginWithPassword, revokeSession } from './server-session.js';

export interface SessionManagerOptions {
  dataDir: string;
  deviceName: string;
  vault: Vault;
  syncIntervalMs: number;
  live?: LiveTuning;
  notices: NoticeBoard;
  branding: BrandingCache;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
}

/** Everything that exists while a user is signed in. */
export interface ActiveSession {
  account: UserAccount;
  user: SessionUser;
  files: CacheFiles;
  db: CacheDatabase;
  server: ServerSession;
  data: UserSession;
}

/**
 * Who is signed in, and the cache, server session and sync that belong to them. Sign-in,
 * sign-out and expiry run one after another, never interleaved.
 */
export class SessionManager {
  private active: ActiveSession | null = null;
  /** The server last signed in to; the login screen offers it again. */
  private serverUrl: string | null = null;
  private readonly profile: string;
  private readonly caches: CacheRegistry;
  private transitions: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SessionManagerOptions) {
    this.profile = profileId(options.dataDir);
    this.caches = new CacheRegistry(options.dataDir, options.vault, this.profile);
  }

  state(): SessionState {
    return this.active
      ? { status: 'signedIn', serverUrl: this.active.account.serverUrl, user: this.active.user }
      : { status: 'signedOut', serverUrl: this.serverUrl };
  }

  syncStatus(): SyncStatus {
    return this.active?.data.sync.status ?? signedOutSyncStatus;
  }

  requireActive(): ActiveSession {
    if (!this.active) throw new CoreError('not_signed_in', 'nobody is signed in');
    return this.active;
  }

  /**
   * Deletes what earlier sign-outs left behind, then signs the profile's last user back in from
   * the vault and their cache, without the network when possible. Whatever fails here leaves the
   * user signed out, never the core unstarted.
   */
  restore(): Promise<void> {
    return this.serialized(async () => {
      await this.caches.sweep();
      try {
        const pointer = await readSessionPointer(this.options.vault, sessionPointerAccount(this.profile));
        this.serverUrl = pointer?.serverUrl ?? null;
        if (!pointer || pointer.username === null) return;
        const account = { serverUrl: pointer.serverUrl, username: pointer.username };
        if ((await this.options.vault.get(refreshTokenAccount(this.profile, account))) === null) return;
        const session = await this.activate(account, null).catch(async (error: unknown) => {
          if (isCoreError(error, 'session_expired')) {
            await this.forgetSession(account, []);
            this.options.notices.reset({ code: 'sessionExpired' });
          }
          if (isCoreError(error, 'device_revoked')) {
            await this.forgetSession(account, [cacheKeyAccount(this.profile, account)]);
            await this.wipeCache(await this.caches.filesFor(account));
            this.options.notices.reset({ code: 'deviceRevoked' });
          }
          // The session is kept: once Flurfunk is updated, the user is signed in as before.
          if (isCoreError(error, 'cache_newer_version'))
            this.options.notices.raise({ code: 'cacheFromNewerVersion' });
          throw error;
        });
        session.data.start();
      } catch (error) {
        // Offline with a rebuilt cache, an expired session: the login screen says what to do.
        if (!isCoreError(error)) logError('restoring the session', error);
      }
    });
  }

  /**
   * Signs in with a password. A user who is signed in already is signed out properly first
   * (revoked and wiped), so two users' data never meet.
   */
  login(args: { serverUrl: string; username: string; password: string }): Promise<SessionState> {
    return this.serialized(async () => {
      const serverUrl = normalizeServerUrl(args.serverUrl);
      const tokens = await loginWithPassword(serverUrl, {
        username: args.username,
        password: args.password,
        deviceName: this.options.deviceName,
      });
      if (this.active) {
        try {
          await this.signOut(this.active);
        } finally {
          this.announceSignedOut();
        }
      }
      const account = { serverUrl, username: tokens.user.username };
      const session = await this.activate(account, tokens).catch(async (error: unknown) => {
        await revokeSession(serverUrl, tokens);
        throw error;
      });
      await this.options.vault.set(refreshTokenAccount(this.profile, account), tokens.refreshToken);
      this.serverUrl = serverUrl;
      await writeSessionPointer(this.options.vault, sessionPointerAccount(this.profile), {
        serverUrl,
        username: account.username,
      });
      this.options.notices.clear('sessionExpired');
      this.options.notices.clear('deviceRevoked');
      this.options.emit('sessionChanged', this.state());
      session.data.start();
      // Another server, or one whose branding sync will not deliver (never changed): ask it.
      void this.options.branding.refresh(serverUrl);
      return this.state();
    });
  }

  /** Signs out: revokes the device on the server when reachable, then forgets the user's secrets and cache. */
  logout(): Promise<SessionState> {
    return this.serialized(async () => {
      const session = this.active;
      if (!session) return this.state();
      try {
        await this.signOut(session);
      } finally {
        this.announceSignedOut();
      }
      return this.state();
    });
  }

  /** How much the signed-in user's cache holds on this device, and what waits to be sent. */
  async cacheUsage(): Promise<CacheUsage> {
    const { files, data } = this.requireActive();
    return { bytes: await files.size(), unsentChanges: data.outbox.list().length };
  }

  /**
   * Deletes the user's cache and kept files and starts over with an empty one that syncs
   * everything again; the user stays signed in. Refused while writes wait in the outbox: the
   * cache is the only place they are kept.
   */
  clearCache(): Promise<CacheUsage> {
    return this.serialized(async () => {
      const session = this.requireActive();
      const unsent = session.data.outbox.list().length;
      if (unsent > 0) throw new CoreError('unsent_changes', `${unsent} change(s) wait to be sent`);
      await this.deactivate();
      await session.files.wipe().catch((error: unknown) => {
        // What is held open now (a virus scanner, the indexer) goes at the next start's sweep.
        logError('clearing the cache (the rest is swept at the next start)', error);
      });
      try {
        const fresh = await this.activate(session.account, null, session.user);
        fresh.data.start();
        return { bytes: await fresh.files.size(), unsentChanges: 0 };
      } finally {
        // Signed in again, or (the cache could not be opened) signed out: the window follows.
        this.options.emit('sessionChanged', this.state());
      }
    });
  }

  /** Closes the cache without signing out (application exit). */
  close(): Promise<void> {
    return this.serialized(() => this.deactivate());
  }

  /**
   * Opens the user's cache and makes them the active user. A cache from a newer Flurfunk is
   * refused as `cache_newer_version` and left as it is.
   */
  private async activate(
    account: UserAccount,
    tokens: TokenResponse | null,
    /** Who the session is known to belong to, when the cache cannot say (it was just cleared). */
    knownUser?: SessionUser,
  ): Promise<ActiveSession> {
    const { vault, emit, notices, syncIntervalMs } = this.options;
    const files = await this.caches.filesFor(account);
    await this.caches.register(files);
    const keyAccount = cacheKeyAccount(this.profile, account);
    const opened = await openUserCache(files, vault, keyAccount, readCachedUser).catch((error: unknown) => {
      if (error instanceof CacheOpenError && error.problem === 'newerVersion') {
        throw new CoreError('cache_newer_version', 'this cache was written by a newer Flurfunk');
      }
      throw error;
    });
    if (opened.rebuilt) notices.raise({ code: 'cacheRebuilt', reason: opened.rebuilt });
    let { db, key } = opened;
    try {
      const server = new ServerSession(
        account.serverUrl,
        vault,
        refreshTokenAccount(this.profile, account),
        tokens ?? undefined,
      );
      const cached = opened.inspected;
      if (tokens && cached && cached.id !== tokens.user.id) {
        // Same server and user name, different person (the server was reset): never mix their data.
        db.close();
        await files.wipe();
        ({ db, key } = await openUserCache(files, vault, keyAccount));
      }
      const user = tokens?.user ?? cached?.user ?? knownUser ?? (await server.renew());
      writeCachedUser(db, user);
      const data: UserSession = new UserSession({
        db,
        keptFiles: new EncryptedFileCache(files.keptFiles, key),
        server,
        user,
        syncIntervalMs,
        live: this.options.live,
        branding: this.options.branding,
        emit,
        onSessionEnded: (reason) => void this.serialized(() => this.end(data, reason)),
      });
      this.active = { account, user, files, db, server, data };
      return this.active;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /**
   * Ends the session for good. The secrets go first: once they are gone nobody can sign in with
   * them or read the cache, whatever happens to the files. Files that cannot be deleted now are
   * swept at the next start. The notices go too: they were for this user, not the next one.
   */
  private async signOut(session: ActiveSession): Promise<void> {
    this.active = null;
    this.options.notices.reset();
    await session.data.stop();
    await session.server.logout();
    session.db.close();
    await this.forgetSession(session.account, [cacheKeyAccount(this.profile, session.account)]);
    await this.wipeCache(session.files);
  }

  /** Deletes a user's cache files; what cannot be deleted now is swept at the next start. */
  private async wipeCache(files: CacheFiles): Promise<void> {
    await this.caches.unregister(files).catch((error: unknown) => {
      logError('unlisting a wiped cache', error);
    });
    await files.wipe().catch((error: unknown) => {
      logError('deleting a cache (swept at the next start)', error);
    });
  }

  /**
   * The server ended the session. Expired: sign out but keep the cache for this user's next
   * sign-in. Revoked (signed out elsewhere, by an admin, or after a stolen token was used): wipe
   * the cache and every secret, as at sign-out. Of the notices only the one saying why stays.
   */
  private async end(data: UserSession, reason: 'expired' | 'revoked'): Promise<void> {
    const session = this.active;
    if (session?.data !== data) return;
    try {
      if (reason === 'revoked') {
        await this.deactivate();
        await this.forgetSession(session.account, [cacheKeyAccount(this.profile, session.account)]);
        await this.wipeCache(session.files);
      } else {
        await this.deactivate();
        await this.forgetSession(session.account, []);
      }
    } finally {
      this.options.notices.reset({ code: reason === 'revoked' ? 'deviceRevoked' : 'sessionExpired' });
      this.announceSignedOut();
    }
  }

  private async deactivate(): Promise<void> {
    const session = this.active;
    if (!session) return;
    this.active = null;
    await session.data.stop();
    session.server.stopRetrying();
    session.db.close();
  }

  /**
   * Forgets who is signed in. The session pointer goes first: a refresh token the vault then fails
   * to delete never signs the user back in at the next start. Each secret is deleted on its own,
   * going on past failures, which are logged: the user is signed out in this process either way.
   */
  private async forgetSession(account: UserAccount, otherSecrets: readonly string[]): Promise<void> {
    const { vault } = this.options;
    await writeSessionPointer(vault, sessionPointerAccount(this.profile), {
      serverUrl: account.serverUrl,
      username: null,
    }).catch((error: unknown) => logError('clearing the session pointer at sign-out', error));
    for (const secret of [refreshTokenAccount(this.profile, account), ...otherSecrets]) {
      await vault.delete(secret).catch((error: unknown) => logError('deleting a secret at sign-out', error));
    }
  }

  private announceSignedOut(): void {
    this.options.emit('sessionChanged', this.state());
    this.options.emit('syncStatusChanged', signedOutSyncStatus);
  }

  private serialized<T>(step: () => Promise<T>): Promise<T> {
    const result = this.transitions.then(step, step);
    // A failed step is reported to its caller; the next step still runs.
    this.transitions = result.catch(() => undefined);
    return result;
  }
}
