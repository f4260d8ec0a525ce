import keytar from 'keytar';
import { vaultService } from '../../../electron/core/vault/vault.js';

/** Every secret the app has filed in the keychain of this test session (cache keys, refresh tokens). */
export async function keychainSecrets(): Promise<{ account: string; password: string }[]> {
  return keytar.findCredentials(vaultService);
}
