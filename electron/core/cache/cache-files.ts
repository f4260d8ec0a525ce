import { createHmac } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The start of every cache file's name: 32 hex digits naming whose cache it is. */
export const stemPattern = /^[0-9a-f]{32}$/;

/**
 * The files of one user's cache in the profile's cache directory. Every file of the user starts
 * with `${stem}.`: the database with its -wal/-shm, the key check and a moved-aside copy. The
 * stem names no one (see `CacheRegistry`).
 */
export class CacheFiles {
  constructor(
    readonly directory: string,
    readonly stem: string,
  ) {
    if (!stemPattern.test(stem)) throw new Error('a cache stem is 32 hex digits');
  }

  get database(): string {
    return join(this.directory, `${this.stem}.db`);
  }

  /** Holds an HMAC of the key (never the key): tells a wrong key apart from a damaged file. */
  get keyCheck(): string {
    return join(this.directory, `${this.stem}.keycheck`);
  }

  /** The folder of the user's files kept on the device (see EncryptedFileCache). */
  get keptFiles(): string {
    return join(this.directory, `${this.stem}${keptFilesEnding}`);
  }

  async removeKeptFiles(): Promise<void> {
    await rm(this.keptFiles, { recursive: true, force: true });
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
   * database must never pick up an old WAL) to `${stem}.unreadable-<time>.db…`. They stay
   * encrypted. Only this newest copy is kept: older ones would only pile up.
   */
  async moveAside(): Promise<void> {
    const movedAside = `${this.stem}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    for (const ending of ['.db', '.db-wal', '.db-shm']) {
      await rename(
        join(this.directory, `${this.stem}${ending}`),
        join(this.directory, `${movedAside}${ending}`),
      ).catch(ignoreMissing);
    }
    await rm(this.keyCheck, { force: true });
    for (const name of await this.existingNames()) {
      if (name.startsWith(`${this.stem}.unreadable-`) && !name.startsWith(`${movedAside}.`)) {
        await rm(join(this.directory, name), { force: true });
      }
    }
  }

  /**
   * Deletes every file of this user's cache, moved-aside copies included. Goes on past a file it
   * cannot delete, then throws: as much as possible is gone, and the caller knows it was not all.
   */
  async wipe(): Promise<void> {
    await deleteFiles(this.directory, await this.existingNames());
  }

  /** The bytes on disk of every file of this user's cache, kept files included. */
  async size(): Promise<number> {
    let total = 0;
    for (const name of await this.existingNames()) {
      const path = join(this.directory, name);
      const entries = name.endsWith(keptFilesEnding)
        ? (await readdir(path, { recursive: true, withFileTypes: true }).catch(() => []))
            .filter((entry) => entry.isFile())
            .map((entry) => join(entry.parentPath, entry.name))
        : [path];
      for (const file of entries) total += (await stat(file).catch(() => null))?.size ?? 0;
    }
    return total;
  }

  private async existingNames(): Promise<string[]> {
    return (await cacheDirectoryNames(this.directory)).filter((name) => name.startsWith(`${this.stem}.`));
  }
}

/** The names in a cache directory; none when it does not exist (yet). */
export async function cacheDirectoryNames(directory: string): Promise<string[]> {
  return readdir(directory).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  });
}

/** The ending of the one folder among a user's cache files: the files kept on the device. */
const keptFilesEnding = '.files';

/**
 * Deletes each named file (and the folder of kept files with all in it), going on past failures;
 * throws one error naming how many stayed.
 */
export async function deleteFiles(directory: string, names: readonly string[]): Promise<void> {
  const failures: unknown[] = [];
  for (const name of names) {
    const recursive = name.endsWith(keptFilesEnding);
    await rm(join(directory, name), { force: true, recursive }).catch((error: unknown) =>
      failures.push(error),
    );
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, `${failures.length} cache file(s) could not be deleted`);
  }
}

function keyCheckOf(keyHex: string): string {
  return createHmac('sha256', Buffer.from(keyHex, 'hex')).update('flurfunk cache key check').digest('hex');
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
