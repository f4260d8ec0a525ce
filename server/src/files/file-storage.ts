import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A file stored, before it is kept: checked at its temporary path, then kept or dropped. */
export interface StagedFile {
  size: number;
  sha256: string;
  /** Where the bytes are until `keep()`; read it to check what they are. */
  path: string;
  keep(): Promise<void>;
  drop(): Promise<void>;
}

export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${maxBytes} bytes`);
    this.name = 'FileTooLargeError';
  }
}

/**
 * The bytes of uploaded files on a local disk, one file per id, two levels of folders so no
 * folder grows too large. A file is written to a temporary name first and renamed when it is
 * kept, so a reader never sees half a file and an aborted upload leaves nothing behind.
 */
export class DiskFileStorage {
  constructor(private readonly dir: string) {}

  /** Writes `body` to a temporary file, counting and hashing it; refuses more than `maxBytes`. */
  async stage(id: string, body: Readable, maxBytes: number): Promise<StagedFile> {
    const temp = join(this.dir, 'incoming');
    await mkdir(temp, { recursive: true });
    const path = join(temp, `${id}-${randomUUID()}`);
    const hash = createHash('sha256');
    let size = 0;
    const counting = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) {
          done(new FileTooLargeError(maxBytes));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, counting, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    const target = this.pathOf(id);
    return {
      size,
      sha256: hash.digest('hex'),
      path,
      keep: async () => {
        await mkdir(join(target, '..'), { recursive: true });
        await rename(path, target);
      },
      drop: () => rm(path, { force: true }),
    };
  }

  /** The stored bytes, or null when there are none. */
  async open(id: string): Promise<{ stream: Readable; size: number } | null> {
    const path = this.pathOf(id);
    const found = await stat(path).catch(() => null);
    if (!found) return null;
    return { stream: createReadStream(path), size: found.size };
  }

  /** Where a stored file's bytes are, for a reader that opens it itself; null when there are none. */
  async pathOfStored(id: string): Promise<string | null> {
    const path = this.pathOf(id);
    return (await stat(path).catch(() => null)) ? path : null;
  }

  /** The stored thumbnail of a file, or null when none was made yet. */
  async openThumbnail(id: string): Promise<Buffer | null> {
    return readFile(this.thumbnailPathOf(id)).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    });
  }

  /** Keeps a file's thumbnail next to it, written aside and renamed like the file itself. */
  async keepThumbnail(id: string, bytes: Uint8Array): Promise<void> {
    const target = this.thumbnailPathOf(id);
    const temp = `${target}.${randomUUID()}.partial`;
    await mkdir(join(target, '..'), { recursive: true });
    await writeFile(temp, bytes, { mode: 0o600 });
    await rename(temp, target);
  }

  async remove(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
    await rm(this.thumbnailPathOf(id), { force: true });
  }

  private thumbnailPathOf(id: string): string {
    return `${this.pathOf(id)}.thumbnail`;
  }

  private pathOf(id: string): string {
    // Ids are UUIDs (checked by the routes); their last characters are the random ones.
    return join(this.dir, id.slice(-2), id.slice(-4, -2), id);
  }
}
