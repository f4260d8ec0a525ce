import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { FastifyBaseLogger } from 'fastify';
import { AccessTokens } from './auth/access-tokens.js';
import { Accounts } from './auth/accounts.js';
import { AuthService } from './auth/auth-service.js';
import { Authenticator } from './auth/authenticator.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { PasswordVerifier } from './auth/passwords.js';
import { authRoutes } from './auth/routes.js';
import { Sessions } from './auth/sessions.js';
import { loadSigningKey } from './auth/signing-key.js';
import type { Database } from './db/database.js';
import { directoryAdminRoutes } from './directory/admin-routes.js';
import { DirectoryStore } from './directory/directory-store.js';
import { directoryRoutes } from './directory/routes.js';
import { healthRoutes } from './health/routes.js';
import { installErrorHandling } from './http/error-handler.js';
import { publishingCommits } from './live/change-notice.js';
import { LiveHub, defaultLiveHeartbeatMs } from './live/live-hub.js';
import { PresenceRegistry } from './live/presence.js';
import { randomUUID } from 'node:crypto';
import { liveRoutes } from './live/routes.js';
import { fastifyTrustProxy, type TrustProxy } from './http/trust-proxy.js';
import { openApiRoute, registerOpenApi } from './openapi/openapi.js';
import { createSyncEpoch } from './sync/epoch.js';
import { syncRoutes } from './sync/routes.js';
import { SyncStore } from './sync/sync-store.js';
import { scopesOf } from './sync/scopes.js';
import { directorySyncSources } from './directory/sync-source.js';
import { chatSyncSources } from './chat/sync-source.js';
import { chatMutations } from './chat/mutations.js';
import { directoryMutations } from './directory/profile-mutations.js';
import { chatRoutes } from './chat/routes.js';
import { channelAdminRoutes } from './chat/channel-admin-routes.js';
import { MutationService } from './mutations/mutation-service.js';
import { mutationRoutes } from './mutations/routes.js';
import { accountAdminRoutes } from './auth/admin-routes.js';
import { findConversation } from './chat/conversation-rows.js';
import { encodeEphemeral, ephemeralChannel } from './live/ephemeral.js';
import { feedChannelAdminRoutes } from './feed/channel-admin-routes.js';
import { feedMutations } from './feed/mutations.js';
import { feedRoutes } from './feed/routes.js';
import { createFeedScheduler } from './feed/scheduler.js';
import { feedSyncSources } from './feed/sync-source.js';
import { DiskFileStorage } from './files/file-storage.js';
import { fileRoutes } from './files/routes.js';
import { canteenMutations } from './canteen/mutations.js';
import { canteenSyncSources } from './canteen/sync-source.js';
import { canteenRoutes } from './canteen/routes.js';
import { canteenAdminRoutes } from './canteen/admin-routes.js';
import { brandingSyncSources } from './branding/sync-source.js';
import { brandingRoutes } from './branding/routes.js';
import { brandingAdminRoutes } from './branding/admin-routes.js';
import { accountRoutes } from './account/routes.js';
import { notifySignedOutDevices } from './account/signed-out-devices-notice.js';

/** JSON bodies of this API are small; larger ones are refused with 413 before they are parsed. */
export const bodyLimitBytes = 64 * 1024;

export interface AppOptions {
  db: Database;
  log: FastifyBaseLogger;
  accessTokenTtlSeconds: number;
  /** HS256 key replacing the one stored in the database. */
  signingKey?: Uint8Array;
  /** Sign-in attempts one client address may make per minute. */
  loginAttemptsPerMinute: number;
  /** Fastify's `trustProxy`: which proxies' X-Forwarded-For names the client address. */
  trustProxy?: TrustProxy;
  version: string;
  /** Live sockets are pinged this often; one that missed the previous pong is dropped. */
  liveHeartbeatMs?: number;
  /**
   * Set when other instances share the database (PostgreSQL): ephemeral events go to them by
   * NOTIFY, marked with this instance's id so it can skip its own when they come back.
   */
  instanceId?: string;
  /** The scheduler publishing scheduled posts looks at least this often (default 30 s). */
  feedSchedulerMaxWaitMs?: number;
  /** Where uploaded files are kept; without it, uploads and downloads answer 503. */
  filesDir?: string;
  maxFileBytes: number;
}

export interface App {
  http: FastifyInstance;
  sessions: Sessions;
  throttle: LoginThrottle;
  live: LiveHub;
  sync: SyncStore;
  /** Null when no file storage is set up. */
  files: DiskFileStorage | null;
}

/** The HTTP API over an opened, migrated database. */
export async function buildApp({
  db,
  log,
  accessTokenTtlSeconds,
  signingKey,
  loginAttemptsPerMinute,
  trustProxy,
  version,
  liveHeartbeatMs,
  instanceId,
  feedSchedulerMaxWaitMs,
  filesDir,
  maxFileBytes,
}: AppOptions): Promise<App> {
  if (!Number.isInteger(loginAttemptsPerMinute) || loginAttemptsPerMinute < 1) {
    throw new Error(`the sign-in rate limit must be a positive integer, got ${loginAttemptsPerMinute}`);
  }
  const http = Fastify({
    // Without it, behind a reverse proxy every client has the proxy's address (see trust-proxy.ts).
    trustProxy: fastifyTrustProxy(trustProxy ?? false),
    loggerInstance: log,
    bodyLimit: bodyLimitBytes,
    // A client that trickles its request in must not hold a connection forever.
    requestTimeout: 30_000,
    return503OnClosing: true,
  });
  http.setValidatorCompiler(validatorCompiler);
  http.setSerializerCompiler(serializerCompiler);
  // The API speaks JSON only: anything else is refused with 415 rather than parsed as a string.
  http.removeContentTypeParser('text/plain');
  installErrorHandling(http);
  await registerOpenApi(http, version);

  const sessions = new Sessions(db, log);
  const sync = new SyncStore(db, {
    ...directorySyncSources,
    ...chatSyncSources,
    ...feedSyncSources,
    ...canteenSyncSources,
    ...brandingSyncSources,
  });
  const heartbeatMs = liveHeartbeatMs ?? defaultLiveHeartbeatMs;
  // An instance that missed three heartbeats is dead: its people count as offline.
  const presence = new PresenceRegistry(db, instanceId ?? randomUUID(), 3 * heartbeatMs);
  await presence.start();
  const live = new LiveHub({
    log,
    heartbeatMs,
    presence,
    latestSeq: () => sync.latestSeq(),
    inactiveDevices: (deviceIds) => sessions.inactiveAmong(deviceIds),
    scopesOf: (personId) => scopesOf(db, personId),
    conversationAudience: async (id) => (await findConversation(db, id))?.audience ?? null,
    shareEphemeral:
      instanceId === undefined
        ? undefined
        : (event) =>
            void db
              .query('SELECT pg_notify($1, $2)', [ephemeralChannel, encodeEphemeral(instanceId, event)])
              .catch((err: unknown) =>
                log.warn({ err }, 'could not share a typing notice with other instances'),
              ),
  });
  // Before the WebSocket plugin's own shutdown hook, so clients get "going away" (1001).
  http.addHook('preClose', async () => {
    live.close();
    await presence
      .stop()
      .catch((err: unknown) => log.warn({ err }, 'could not sign this instance off presence'));
  });
  // Live frames are server → client; a client's frame is at most a small control message.
  // A client's largest frame is its presence watch list: 1000 ids.
  await http.register(fastifyWebsocket, { options: { maxPayload: 48 * 1024 } });
  const throttle = new LoginThrottle(db);
  const accessTokens = new AccessTokens(signingKey ?? (await loadSigningKey(db)), accessTokenTtlSeconds);
  const accounts = new Accounts(db);
  const authenticator = new Authenticator(accessTokens, sessions, accounts);
  const auth = new AuthService({
    db,
    accounts,
    sessions,
    throttle,
    passwords: await PasswordVerifier.create(),
    accessTokens,
    log,
  });
  const publishing = publishingCommits(db, live.publish);
  const directory = new DirectoryStore(publishing);
  const feedScheduler = createFeedScheduler(publishing, log, feedSchedulerMaxWaitMs);
  http.addHook('preClose', () => feedScheduler.stop());
  const mutations = new MutationService(publishing, {
    ...chatMutations,
    ...directoryMutations,
    ...canteenMutations,
    ...feedMutations({ scheduled: (delayMs) => feedScheduler.wake(delayMs) }),
  });

  await http.register(healthRoutes);
  await http.register(authRoutes, {
    auth,
    authenticator,
    loginAttemptsPerMinute,
    onSignedOut: (deviceId) => live.closeDevices(new Set([deviceId])),
  });
  await http.register(directoryRoutes, { directory, authenticator });
  await http.register(directoryAdminRoutes, { directory, authenticator });
  await http.register(accountAdminRoutes, { db: publishing, authenticator });
  await http.register(chatRoutes, { db, authenticator });
  await http.register(channelAdminRoutes, { db: publishing, authenticator });
  await http.register(feedRoutes, { db, authenticator });
  await http.register(feedChannelAdminRoutes, { db: publishing, authenticator });
  await http.register(canteenRoutes, { db: publishing, authenticator });
  await http.register(canteenAdminRoutes, { db: publishing, authenticator });
  await http.register(brandingRoutes, { db });
  await http.register(brandingAdminRoutes, { db: publishing, authenticator });
  await http.register(mutationRoutes, { mutations, authenticator });
  if (!filesDir) log.warn('no file storage is set up (filesDir): uploads and downloads answer 503');
  const files = filesDir ? new DiskFileStorage(filesDir) : null;
  await http.register(fileRoutes, { db, authenticator, storage: files, maxFileBytes });
  await http.register(accountRoutes, {
    db,
    authenticator,
    storage: files,
    onSignedOut: (deviceIds) => {
      live.closeDevices(new Set(deviceIds));
      if (instanceId === undefined) return;
      // Other instances close theirs at their next heartbeat at the latest; the notice is for sooner.
      notifySignedOutDevices(db, deviceIds).catch((err: unknown) =>
        log.warn({ err }, 'could not tell other instances of signed-out devices'),
      );
    },
  });
  await createSyncEpoch(db);
  await http.register(syncRoutes, { sync, authenticator });
  await http.register(liveRoutes, { hub: live, authenticator });
  await http.register(openApiRoute);
  feedScheduler.start();
  return { http, sessions, throttle, live, sync, files };
}
