import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { maxAccessTokenTtlSeconds } from './auth/access-tokens.js';
import { scheduleAuthCleanup } from './auth/cleanup.js';
import { buildApp } from './app.js';
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
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:4100 */
  url: string;
  close(): Promise<void>;
}

const apiVersion = '1.0.0';

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
  const db = await openDatabase(location, log);
  try {
    await migrate(db, migrations, log);
    if (options.demo || options.demoSize !== undefined) {
      await seedDemoCompany(db, options.demoSize ?? defaultDemoSize, log);
    }
    const app = await buildApp({
      db,
      log,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? maxAccessTokenTtlSeconds,
      version: apiVersion,
    });
    await app.http.listen({ port: options.port ?? 4100, host });
    const stopCleanup = scheduleAuthCleanup(app.sessions, app.throttle, log);
    const { port } = app.http.server.address() as AddressInfo;
    log.info({ storage: 'databaseUrl' in location ? 'postgresql' : 'pglite' }, 'Flurfunk server ready');

    let closing: Promise<void> | undefined;
    return {
      url: urlFor(host, port),
      close: () =>
        (closing ??= (async () => {
          stopCleanup();
          await app.http.close();
          await db.close();
        })()),
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
