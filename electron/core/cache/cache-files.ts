import { createHash, createHmac } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UserAccount } from '../vault/accounts.js';

/**
 * The files of one user's cache under `${dataDir}/cache/`. File names are a hash of server and
 * user, so no file name reveals who uses this computer. Every file of the user starts with
 * `${stem}.`: the database with its -wal/-shm, the key check and moved-aside copies.
 */
export class CacheFiles {
  readonly directory: string;
  readonly stem: string;

  constructor(dataDir: string, account: UserAccount) {
    this.directory = join(dataDir, 'cache');
    this.stem = createHash('sha256')
      .update(`${account.serverUrl}|${account.username}`)
      .digest('hex')
      .slice(0, 32);
  }

  get database(): string {
    return join(this.directory, `${this.stem}.db`);
  }

  /** Holds an HMAC of the key (never the key): tells a wrong key apart from a damaged file. */
  get keyCheck(): string {
    return join(this.directory, `${this.stem}.keycheck`);
  }

  async ensureDirectory(): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
  }

  async databaseExists(): Promise<boolean> {
    return (await this.existingNames()).includes(`${this.stem}.db`);
  }

  async writeKeyCheck(keyHex: string): Promise<void> {
    await writeFile(this.keyCheck, keyCheckOf(keyHex), { mode: 0o600 });
  }

  /** Whether `keyHex` is the key this cache was created with (false when unknown). */
  async keyMatches(keyHex: string): Promise<boolean> {
    const stored = await readFile(this.keyCheck, 'utf8').catch(() => null);
    return stored === keyCheckOf(keyHex);
  }

  /**
   * Renames the database with its WAL and shared-memory files (they belong together: a new
   * database must never pick up an old WAL) to `${stem}.unreadable-<time>.db…`. They stay encrypted.
   */
  async moveAside(): Promise<void> {
    const suffix = `unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    for (const ending of ['.db', '.db-wal', '.db-shm']) {
      await rename(
        join(this.directory, `${this.stem}${ending}`),
        join(this.directory, `${this.stem}.${suffix}${ending}`),
      ).catch(ignoreMissing);
    }
    await rm(this.keyCheck, { force: true });
  }

  /** Deletes every file of this user's cache, moved-aside copies included. */
  async wipe(): Promise<void> {
    for (const name of await this.existingNames()) {
      await rm(join(this.directory, name), { force: true });
    }
  }

  private async existingNames(): Promise<string[]> {
    const names = await readdir(this.directory).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    });
    return names.filter((name) => name.startsWith(`${this.stem}.`));
  }
}

function keyCheckOf(keyHex: string): string {
  return createHmac('sha256', Buffer.from(keyHex, 'hex')).update('flurfunk cache key check').digest('hex');
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
