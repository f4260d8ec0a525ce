import type { FastifyBaseLogger } from 'fastify';
import { AdvisoryLock } from './advisory-locks.js';
import type { Database } from './database.js';
import type { Migration } from './migrations/index.js';

/**
 * Applies the migrations this database lacks, all in one transaction, and records each in
 * `schema_migrations`. The advisory lock makes instances that start at the same time wait for
 * each other instead of applying the same migration twice.
 */
export async function migrate(
  db: Database,
  migrations: readonly Migration[],
  log: FastifyBaseLogger,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLock.migrations]);
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const applied = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const appliedVersions = new Set(applied.map((row) => row.version));
    const newest = Math.max(0, ...migrations.map((m) => m.version));
    const unknown = [...appliedVersions].filter((version) => version > newest);
    if (unknown.length > 0) {
      throw new Error(
        `The database has schema version ${Math.max(...unknown)}, newer than this server knows (${newest}). Update the server.`,
      );
    }
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (appliedVersions.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      log.info({ version: migration.version, migration: migration.name }, 'applied database migration');
    }
  });
}
