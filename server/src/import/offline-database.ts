import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Logger, pino } from 'pino';
import type { Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { migrations } from '../db/migrations/index.js';
import { type DatabaseLocation, openDatabase } from '../db/open.js';

export interface OfflineDatabaseOptions {
  dataDir?: string;
  databaseUrl?: string;
  logLevel: string;
}

function databaseLocation(options: OfflineDatabaseOptions): DatabaseLocation {
  if (options.databaseUrl) return { databaseUrl: options.databaseUrl };
  if (options.dataDir) return { dataDir: options.dataDir };
  throw new Error('Set --data-dir DIR for the embedded database, or DATABASE_URL for PostgreSQL.');
}

/**
 * Opening a directory without a database would create an empty one: a mistyped path must not.
 * Two processes on one embedded database corrupt it: PGlite keeps `postmaster.pid` while it is
 * open (and after a crash, until it is opened and closed again).
 */
function refuseUnusableDataDir(dataDir: string): void {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    throw new Error(`There is no Flurfunk database in ${dataDir}.`);
  }
  if (existsSync(join(dataDir, 'postmaster.pid'))) {
    throw new Error(
      `The database in ${dataDir} is in use: stop the server first. (If no server runs, it did not shut down cleanly: start and stop it once.)`,
    );
  }
}

/**
 * Runs a command-line import on the server's database (migrated first), then closes it. Its log
 * goes to stderr: stdout is the command's report.
 */
export async function withOfflineDatabase<T>(
  options: OfflineDatabaseOptions,
  work: (db: Database, log: Logger) => Promise<T>,
): Promise<T> {
  const location = databaseLocation(options);
  if ('dataDir' in location) refuseUnusableDataDir(location.dataDir);
  const log = pino({ level: options.logLevel, name: 'flurfunk-server' }, pino.destination(2));
  const db = await openDatabase(location, log);
  try {
    await migrate(db, migrations, log);
    return await work(db, log);
  } finally {
    await db.close();
  }
}
