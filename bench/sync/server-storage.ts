/**
 * Where a benchmark's server keeps its data: embedded PGlite (the default of a small install) or
 * PostgreSQL (production, and what a company of the benchmarks' size runs on), a throwaway
 * cluster started for the suite. Every sync suite runs on each storage `BENCH_DB` names.
 */
import type { DatabaseLocation } from '../../server/src/db/open.js';
import { startPostgres } from '../../tests/integration/support/postgres.js';
import type { Resources } from './resources.js';

export type StorageName = 'postgresql' | 'pglite';

const storageNames: readonly StorageName[] = ['postgresql', 'pglite'];

export interface ServerStorage {
  name: StorageName;
  location: DatabaseLocation;
}

/** `BENCH_DB=pglite` (or `postgresql`) runs the suites on that storage only; unset runs both. */
export function benchStorages(): StorageName[] {
  const raw = process.env.BENCH_DB?.trim();
  if (!raw) return [...storageNames];
  const names = raw.split(',').map((part) => part.trim());
  for (const name of names) {
    if (!storageNames.includes(name as StorageName)) {
      throw new Error(`BENCH_DB names ${storageNames.join(' and ')}, got "${name}"`);
    }
  }
  return names as StorageName[];
}

/** An empty storage of kind `name`, removed (the cluster stopped) when the suite ends. */
export async function newServerStorage(
  resources: Resources,
  name: StorageName,
  label: string,
): Promise<ServerStorage> {
  if (name === 'pglite') return { name, location: { dataDir: await resources.tempDir(`${label}-server`) } };
  const cluster = resources.hold('the PostgreSQL cluster', await startPostgres({ durable: true }), (c) =>
    c.stop(),
  );
  return { name, location: { databaseUrl: await cluster.createDatabase(`bench_${label}`) } };
}

/** A figure's name with its storage: `sync.<storage>.<suite>.<figure>`. */
export function syncFigure(storage: ServerStorage, name: string): string {
  return `sync.${storage.name}.${name}`;
}
