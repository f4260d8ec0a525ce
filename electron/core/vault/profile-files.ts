import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { EncryptedFileCache } from '../files/encrypted-file-cache.js';
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
  let key = await options.vault.get(account);
  if (key === null || !/^[0-9a-f]{64}$/.test(key)) {
    key = randomBytes(32).toString('hex');
    await options.vault.set(account, key);
  }
  return new EncryptedFileCache(join(options.dataDir, options.folder), key);
}
