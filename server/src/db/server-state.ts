import type { Queryable } from './database.js';

/**
 * A value of `server_state` created once per database: the first instance to start stores its
 * `initial`, and every instance (and every later start) reads that same value.
 */
export async function loadOrCreateServerState(db: Queryable, name: string, initial: string): Promise<string> {
  await db.query('INSERT INTO server_state (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    initial,
  ]);
  const [row] = await db.query<{ value: string }>('SELECT value FROM server_state WHERE name = $1', [name]);
  if (!row) throw new Error(`server state "${name}" is missing after creation`);
  return row.value;
}
