import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { maxAccessTokenTtlSeconds } from './auth/access-tokens.js';
import { scheduleAuthCleanup } from './auth/cleanup.js';
import { parseSigningKey } from './auth/signing-key.js';
import { type App, buildApp } from './app.js';
import { migrate } from './db/migrate.js';
import { migrations } from './db/migrations/index.js';
import { type DatabaseLocation, openDatabase } from './db/open.js';
import { defaultDemoSize, seedDemoCompany } from './demo/seed.js';

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
  /** Requests to /api/v1/auth/* one client address may make per minute; default 100. */
  authRequestsPerMinute?: number;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:4100 */
  url: string;
  close(): Promise<void>;
}

const apiVersion = '1.0.0';
const defaultAuthRequestsPerMinute = 100;

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
  let app: App | undefined;
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
      authRequestsPerMinute: options.authRequestsPerMinute ?? defaultAuthRequestsPerMinute,
      version: apiVersion,
    });
    await app.http.listen({ port: options.port ?? 4100, host });
  } catch (error) {
    await app?.http.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw error;
  }

  const { http, sessions, throttle } = app;
  const stopCleanup = scheduleAuthCleanup(sessions, throttle, log);
  const { port } = http.server.address() as AddressInfo;
  log.info({ storage: 'databaseUrl' in location ? 'postgresql' : 'pglite' }, 'Flurfunk server ready');

  let closing: Promise<void> | undefined;
  return {
    url: urlFor(host, port),
    close: () =>
      (closing ??= (async () => {
        stopCleanup();
        try {
          await http.close();
        } finally {
          await db.close();
        }
      })()),
  };
}
