import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { logError } from '../log.js';
import type { UserAccount } from '../vault/accounts.js';
import { cacheListAccount, cacheNameSaltAccount } from '../vault/accounts.js';
import type { Vault } from '../vault/vault.js';
import { CacheFiles, cacheDirectoryNames, deleteFiles, stemPattern } from './cache-files.js';

const StemList = z.array(z.string().regex(stemPattern));

/**
 * The caches of one profile (user-data dir), under `${dataDir}/cache/`.
 *
 * A cache's file names start with an HMAC of server and user under a random salt kept in the
 * vault, so nobody can find out from the directory whose caches are there, not even by trying
 * names. The vault also lists every cache whose key it holds; the files of a cache that is not
 * listed are left over from a sign-out that could not delete them (or stopped half-way), and
 * `sweep` deletes them. A list that cannot be read tells nothing about which caches are in use, so
 * nothing is swept then.
 */
export class CacheRegistry {
  readonly directory: string;

  constructor(
    dataDir: string,
    private readonly vault: Vault,
    private readonly profile: string,
  ) {
    this.directory = join(dataDir, 'cache');
  }

  async filesFor(account: UserAccount): Promise<CacheFiles> {
    const stem = createHmac('sha256', Buffer.from(await this.salt(), 'hex'))
      .update(`${account.serverUrl}|${account.username}`)
      .digest('hex')
      .slice(0, 32);
    return new CacheFiles(this.directory, stem);
  }

  /** Lists a cache before its key is stored: its files are never taken for leftovers. */
  async register(files: CacheFiles): Promise<void> {
    // An unreadable list is replaced: the caches it named become leftovers, to be rebuilt from the
    // server when their users sign in again.
    const stems = (await this.listed()) ?? [];
    if (!stems.includes(files.stem)) await this.store([...stems, files.stem]);
  }

  /** Unlists a cache whose key is gone: from now on its files are leftovers. */
  async unregister(files: CacheFiles): Promise<void> {
    const stems = (await this.listed()) ?? [];
    if (stems.includes(files.stem)) await this.store(stems.filter((stem) => stem !== files.stem));
  }

  /** Deletes the files of caches that are not listed. Failures are logged; the next start tries again. */
  async sweep(): Promise<void> {
    try {
      const listed = await this.listed();
      if (listed === null) return;
      const stems = new Set(listed);
      const leftovers = (await cacheDirectoryNames(this.directory)).filter((name) => {
        const stem = name.split('.', 1)[0] ?? '';
        return stemPattern.test(stem) && name.length > stem.length && !stems.has(stem);
      });
      await deleteFiles(this.directory, leftovers);
    } catch (error) {
      logError('sweeping left-over cache files', error);
    }
  }

  private async salt(): Promise<string> {
    const account = cacheNameSaltAccount(this.profile);
    const stored = await this.vault.get(account);
    if (stored !== null && /^[0-9a-f]{64}$/.test(stored)) return stored;
    // A new salt gives every cache a new name: caches under the old names become leftovers,
    // which is right, since a vault that lost the salt lost their keys too.
    const salt = randomBytes(32).toString('hex');
    await this.vault.set(account, salt);
    return salt;
  }

  /** The listed caches; null when the stored list cannot be read. */
  private async listed(): Promise<string[] | null> {
    const stored = await this.vault.get(cacheListAccount(this.profile));
    if (stored === null) return [];
    try {
      return StemList.parse(JSON.parse(stored));
    } catch (error) {
      logError('the list of caches cannot be read (nothing is swept)', error);
      return null;
    }
  }

  private async store(stems: string[]): Promise<void> {
    await this.vault.set(cacheListAccount(this.profile), JSON.stringify(stems));
  }
}
