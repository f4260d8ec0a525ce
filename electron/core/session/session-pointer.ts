import { z } from 'zod';
import { logError } from '../log.js';
import type { Vault } from '../vault/vault.js';

/** The profile's current server and user (null when signed out), kept in the vault. */
const SessionPointer = z
  .object({
    serverUrl: z.string().min(1),
    username: z.string().min(1).nullable(),
  })
  .strict();
export type SessionPointer = z.infer<typeof SessionPointer>;

export async function readSessionPointer(vault: Vault, account: string): Promise<SessionPointer | null> {
  const stored = await vault.get(account);
  if (stored === null) return null;
  try {
    return SessionPointer.parse(JSON.parse(stored));
  } catch (error) {
    // Unreadable means nobody is signed in; the user signs in again and it is rewritten.
    logError('session pointer', error);
    return null;
  }
}

export async function writeSessionPointer(
  vault: Vault,
  account: string,
  pointer: SessionPointer,
): Promise<void> {
  await vault.set(account, JSON.stringify(pointer));
}
