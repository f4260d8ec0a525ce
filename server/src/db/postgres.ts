import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import type { Database, Queryable } from './database.js';

/** PostgreSQL through a connection pool; for production and several server instances. */
export async function openPostgres(connectionString: string, log: FastifyBaseLogger): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle connection dropped by the database must not crash the server; the pool replaces it.
  pool.on('error', (err) => log.warn({ err }, 'idle PostgreSQL connection failed'));
  // Fail at start, not on the first request, when the database is unreachable.
  const probe = await pool.connect();
  probe.release();

  const wrap = (target: pg.Pool | pg.PoolClient): Queryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query(sql, [...params]);
      return result.rows as Row[];
    },
    async exec(sql: string) {
      await target.query(sql);
    },
  });

  const inTransaction = async <T>(begin: string, work: (tx: Queryable) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query(begin);
      const result = await work(wrap(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that cannot even roll back is discarded instead of going back to the pool.
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw error;
    } finally {
      client.release(broken);
    }
  };

  return {
    ...wrap(pool),
    transaction: (work) => inTransaction('BEGIN', work),
    snapshot: (work) => inTransaction('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY', work),
    close: () => pool.end(),
  };
}
