import { randomBytes } from 'node:crypto';
import type { Database } from '../db/database.js';
import { loadOrCreateServerState } from '../db/server-state.js';

const name = 'access_token_hs256_key';
const minKeyBytes = 32;

/**
 * The HS256 key for access tokens, unless the operator configured one (`parseSigningKey`): created
 * once and kept in the database, so every server instance on the same database signs and accepts
 * the same tokens.
 */
export async function loadSigningKey(db: Database): Promise<Uint8Array> {
  const stored = await loadOrCreateServerState(db, name, randomBytes(minKeyBytes).toString('base64'));
  return new Uint8Array(Buffer.from(stored, 'base64'));
}

/** A configured key (FLURFUNK_JWT_SECRET): base64 of at least 32 bytes. */
export function parseSigningKey(base64: string): Uint8Array {
  const trimmed = base64.trim();
  const key = Buffer.from(trimmed, 'base64');
  // Buffer.from skips characters that are not base64; a secret with typos must not silently shrink.
  const canonical = (text: string) => text.replace(/=+$/, '').replaceAll('-', '+').replaceAll('_', '/');
  if (canonical(key.toString('base64')) !== canonical(trimmed)) {
    throw new Error('The JWT secret (FLURFUNK_JWT_SECRET) must be base64.');
  }
  if (key.length < minKeyBytes) {
    throw new Error(
      `The JWT secret (FLURFUNK_JWT_SECRET) must be at least ${minKeyBytes} bytes, got ${key.length}; create one with \`openssl rand -base64 32\`.`,
    );
  }
  return new Uint8Array(key);
}
