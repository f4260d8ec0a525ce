import { randomBytes } from 'node:crypto';
import type { Database } from '../db/database.js';

const name = 'access_token_hs256_key';

/**
 * The HS256 key for access tokens. Created once and kept in the database, so every server
 * instance on the same database signs and accepts the same tokens.
 */
export async function loadSigningKey(db: Database): Promise<Uint8Array> {
  await db.query('INSERT INTO server_state (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    randomBytes(32).toString('base64'),
  ]);
  const [row] = await db.query<{ value: string }>('SELECT value FROM server_state WHERE name = $1', [name]);
  if (!row) throw new Error('access token signing key is missing after creation');
  return new Uint8Array(Buffer.from(row.value, 'base64'));
}
