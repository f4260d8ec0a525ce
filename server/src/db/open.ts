import type { FastifyBaseLogger } from 'fastify';
import type { Database } from './database.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

export type DatabaseLocation = { databaseUrl: string } | { dataDir: string };

/** PostgreSQL when a URL is given, otherwise the embedded PGlite in the data directory. */
export function openDatabase(location: DatabaseLocation, log: FastifyBaseLogger): Promise<Database> {
  return 'databaseUrl' in location ? openPostgres(location.databaseUrl, log) : openPglite(location.dataDir);
}
