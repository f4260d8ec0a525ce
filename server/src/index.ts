import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { maxAccessTokenTtlSeconds } from './auth/access-tokens.js';
import { scheduleAuthCleanup } from './auth/cleanup.js';
import { parseSigningKey } from './auth/signing-key.js';
import { type App, buildApp } from './app.js';
import { migrate } from './db/migrate.js';
import { scheduleFileCleanup } from './files/cleanup.js';
import { migrations } from './db/migrations/index.js';
import { type DatabaseLocation, openDatabase } from './db/open.js';
import { defaultDemoSize, seedDemoCompany } from './demo/seed.js';
import type { TrustProxy } from './http/trust-proxy.js';
import { type ChangeListener, listenForChanges } from './live/postgres-listener.js';
import { rotateSyncEpoch as rotateEpoch } from './sync/epoch.js';
import { defaultChangeLogRetentionDays, scheduleSyncMaintenance } from './sync/maintenance.js';

export type { TrustProxy } from './http/trust-proxy.js';

export interface ServerOptions {
  /** 0 = random free port. */
  port?: number;
  host?: string;
  /** PGlite data directory; required unless `databaseUrl` is set. */
  dataDir?: string;
  /** PostgreSQL connection string; when set, PGlite is not used. */
  databaseUrl?: string;
  /** Seed the demo company once (idempotent, deterministic). */
  demo?: boolean;
  /** Number of demo employees (benchmarks); implies `demo`. */
  demoSize?: number;
  /** pino level, e.g. 'info' or 'silent'. */
  logLevel?: string;
  /** At most 900. */
  accessTokenTtlSeconds?: number;
  /**
   * HS256 key for access tokens, base64, at least 32 bytes. Replaces the key the server otherwise
   * creates in its database (CLI: FLURFUNK_JWT_SECRET).
   */
  jwtSecret?: string;
  /** Sign-in attempts one client address may make per minute; default 100. */
  loginAttemptsPerMinute?: number;
  /**
   * Behind a reverse proxy: which proxies' X-Forwarded-For names the client address (Fastify's
   * `trustProxy`; see http/trust-proxy.ts). Off by default: every client then counts as the
   * proxy's address for the sign-in limit.
   */
  trustProxy?: TrustProxy;
  /**
   * How often live sockets are pinged, in milliseconds (default 30000); a socket that has not
   * answered the previous ping is dropped, and signed-out devices lose theirs.
   */
  liveHeartbeatMs?: number;
  /**
   * How long deletions stay in the change log, in milliseconds (default 90 days). A client that
   * was offline longer syncs again from a snapshot, on its own.
   */
  changeLogRetentionMs?: number;
  /** How often old tombstones and mutation results are pruned (default hourly). */
  maintenanceIntervalMs?: number;
  /**
   * The scheduler publishing scheduled posts looks at least this often, in milliseconds (default
   * 30000), e.g. for posts scheduled on another instance; those of this instance go out on time.
   */
  feedSchedulerMaxWaitMs?: number;
  /**
   * Where uploaded files are kept. Default with `dataDir`: the folder `<dataDir>-files` next to
   * it. With PostgreSQL there is no default: without it, uploads answer 503.
   */
  filesDir?: string;
  /** The largest file the server takes, in bytes (default 100 MiB). */
  maxFileBytes?: number;
  /** Uploads no post took within this many milliseconds are removed (default a day). */
  abandonedUploadMs?: number;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:4100 */
  url: string;
  close(): Promise<void>;
}

const apiVersion = '1.0.0';
const shutdownGraceMs = 3_000;
const defaultLoginAttemptsPerMinute = 100;
const defaultMaxFileBytes = 100 * 1024 * 1024;

function databaseLocation(options: ServerOptions): DatabaseLocation {
  if (options.databaseUrl) return { databaseUrl: options.databaseUrl };
  if (options.dataDir) return { dataDir: options.dataDir };
  throw new Error('Give the server a data directory (dataDir) or a PostgreSQL URL (databaseUrl).');
}

/** Where clients reach a server listening on `host`: a wildcard address is reached via loopback. */
function urlFor(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const log = pino({ level: options.logLevel ?? 'info', name: 'flurfunk-server' });
  const location = databaseLocation(options);
  // A bad secret is refused before anything is opened.
  const signingKey = options.jwtSecret === undefined ? undefined : parseSigningKey(options.jwtSecret);
  const db = await openDatabase(location, log);
  const instanceId = randomUUID();
  let app: App | undefined;
  let changeListener: ChangeListener | undefined;
  try {
    await migrate(db, migrations, log);
    if (options.demo || options.demoSize !== undefined) {
      await seedDemoCompany(db, options.demoSize ?? defaultDemoSize, log);
    }
    app = await buildApp({
      db,
      log,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? maxAccessTokenTtlSeconds,
      signingKey,
      loginAttemptsPerMinute: options.loginAttemptsPerMinute ?? defaultLoginAttemptsPerMinute,
      trustProxy: options.trustProxy,
      version: apiVersion,
      liveHeartbeatMs: options.liveHeartbeatMs,
      instanceId: 'databaseUrl' in location ? instanceId : undefined,
      feedSchedulerMaxWaitMs: options.feedSchedulerMaxWaitMs,
      filesDir: options.filesDir ?? (options.dataDir ? `${options.dataDir}-files` : undefined),
      maxFileBytes: options.maxFileBytes ?? defaultMaxFileBytes,
    });
    // Other instances on the same PostgreSQL announce their commits here; PGlite has no others.
    if ('databaseUrl' in location) {
      const { live, sync } = app;
      changeListener = await listenForChanges({
        databaseUrl: location.databaseUrl,
        log,
        publish: live.publish,
        latestSeq: () => sync.latestSeq(),
        instanceId,
        deliverEphemeral: live.deliverEphemeral,
        closeDevices: (deviceIds) => live.closeDevices(new Set(deviceIds)),
      });
    }
    await app.http.listen({ port: options.port ?? 4100, host });
  } catch (error) {
    await changeListener?.close();
    await app?.http.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw error;
  }

  const { http, sessions, throttle, files } = app;
  const stopCleanup = scheduleAuthCleanup(sessions, throttle, log);
  const stopMaintenance = scheduleSyncMaintenance(
    db,
    {
      changeLogRetentionMs:
        options.changeLogRetentionMs ?? defaultChangeLogRetentionDays * 24 * 60 * 60 * 1000,
      intervalMs: options.maintenanceIntervalMs,
    },
    log,
  );
  const stopFileCleanup = files
    ? scheduleFileCleanup(
        db,
        files,
        { maxAgeMs: options.abandonedUploadMs, intervalMs: options.maintenanceIntervalMs },
        log,
      )
    : () => undefined;
  const { port } = http.server.address() as AddressInfo;
  log.info({ storage: 'databaseUrl' in location ? 'postgresql' : 'pglite' }, 'Flurfunk server ready');

  let closing: Promise<void> | undefined;
  return {
    url: urlFor(host, port),
    close: () =>
      (closing ??= (async () => {
        stopCleanup();
        stopMaintenance();
        stopFileCleanup();
        try {
          await changeListener?.close();
          // Requests under way get a moment to finish; then every connection is cut, also one a
          // client opened without sending anything, which Node would otherwise keep until its
          // keep-alive timeout (72 s).
          const cutOff = setTimeout(() => http.server.closeAllConnections(), shutdownGraceMs);
          await http.close();
          clearTimeout(cutOff);
        } finally {
          await db.close();
        }
      })()),
  };
}

/**
 * Gives the database's change log a new sync epoch, so every client discards what it synced and
 * starts over from "0". Run it after restoring a backup: the backup brought back its old epoch.
 * Resolves to the new epoch. With PGlite, stop the server first (one process per data directory).
 */
export async function rotateSyncEpoch(
  options: Pick<ServerOptions, 'dataDir' | 'databaseUrl' | 'logLevel'>,
): Promise<string> {
  const location = databaseLocation(options);
  // Opening a directory without a database would create an empty one.
  if ('dataDir' in location && !existsSync(join(location.dataDir, 'PG_VERSION'))) {
    throw new Error(`There is no Flurfunk database in ${location.dataDir}.`);
  }
  const log = pino({ level: options.logLevel ?? 'info', name: 'flurfunk-server' });
  const db = await openDatabase(location, log);
  try {
    await migrate(db, migrations, log);
    const epoch = await rotateEpoch(db);
    if (epoch === null) throw new Error('This database has no sync epoch yet: no server has run on it.');
    log.info({ epoch }, 'rotated the sync epoch; clients will sync again from the start');
    return epoch;
  } finally {
    await db.close();
  }
}
