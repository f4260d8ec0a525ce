import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable } from './database.js';

/** Embedded PostgreSQL (WebAssembly) persisted in `dataDir`; for single-instance installs and tests. */
export async function openPglite(dataDir: string): Promise<Database> {
  await mkdir(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir);
  const wrap = (target: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query<Row>(sql, [...params]);
      return result.rows;
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
  });
  return {
    ...wrap(pg),
    transaction: (work) => pg.transaction((tx) => work(wrap(tx))),
    // PGlite has one session and runs nothing else while a transaction is open, so any
    // transaction already reads one unchanging state.
    snapshot: (work) => pg.transaction((tx) => work(wrap(tx))),
    close: () => pg.close(),
  };
}
