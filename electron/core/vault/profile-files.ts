import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { EncryptedFileCache } from '../files/encrypted-file-cache.js';
import { logError } from '../log.js';
import { profileKeyAccount } from './accounts.js';
import type { Vault } from './vault.js';

/**
 * Encrypted files of the whole profile rather than of one user (the company's branding, the
 * device's settings), in `folder` of the user-data dir. They outlive sign-outs, under a key of
 * their own in the keychain, made at first use.
 */
export async function openProfileFiles(options: {
  dataDir: string;
  vault: Vault;
  profile: string;
  folder: string;
}): Promise<EncryptedFileCache> {
  const account = profileKeyAccount(options.profile);
  let key: string;
  try {
    const stored = await options.vault.get(account);
    key = stored !== null && /^[0-9a-f]{64}$/.test(stored) ? stored : randomBytes(32).toString('hex');
    if (key !== stored) await options.vault.set(account, key);
  } catch (error) {
    // A locked or missing keychain must not keep the app from starting: for this run the files
    // are written under a key only memory holds, and read as missing at the next start.
    logError('reading the profile key', error);
    key = randomBytes(32).toString('hex');
  }
  return new EncryptedFileCache(join(options.dataDir, options.folder), key);
}
