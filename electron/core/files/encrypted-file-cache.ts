import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileVariant, Id } from '@flurfunk/protocol';

/** Marks (and versions) the format: magic, IV, ciphertext, GCM tag. */
const magic = Buffer.from('FLF1', 'ascii');
const ivBytes = 12;
const tagBytes = 16;

/**
 * Files of one user kept on the device, each encrypted on its own (AES-256-GCM with a fresh IV;
 * the file's id is authenticated with it, so one file cannot stand in for another). The key comes
 * from the cache's key, which lives in the keychain: the files are as safe as the cache, and go
 * with it. A file that was altered or written under another key reads as missing, so it is
 * fetched again.
 */
export class EncryptedFileCache {
  private readonly key: Buffer;

  constructor(
    readonly directory: string,
    cacheKeyHex: string,
  ) {
    this.key = Buffer.from(
      hkdfSync('sha256', Buffer.from(cacheKeyHex, 'hex'), Buffer.alloc(0), 'flurfunk file cache v1', 32),
    );
  }

  async put(id: string, bytes: Uint8Array, variant: FileVariant = 'original'): Promise<void> {
    const name = this.nameOf(id, variant);
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(name));
    const sealed = Buffer.concat([magic, iv, cipher.update(bytes), cipher.final(), cipher.getAuthTag()]);
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    // Written aside and renamed: a reader never finds half a file.
    const temp = join(this.directory, `${name}.${randomUUID()}.partial`);
    await writeFile(temp, sealed, { mode: 0o600 });
    await rename(temp, join(this.directory, name));
  }

  /** The file's bytes, or null when it is not here (or cannot be trusted any more). */
  async get(id: string, variant: FileVariant = 'original'): Promise<Buffer | null> {
    const name = this.nameOf(id, variant);
    const path = join(this.directory, name);
    const sealed = await readFile(path).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    });
    if (sealed === null) return null;
    try {
      if (
        sealed.length < magic.length + ivBytes + tagBytes ||
        !sealed.subarray(0, magic.length).equals(magic)
      ) {
        throw new Error('not a cached file');
      }
      const iv = sealed.subarray(magic.length, magic.length + ivBytes);
      const tag = sealed.subarray(sealed.length - tagBytes);
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv)
        .setAAD(Buffer.from(name))
        .setAuthTag(tag);
      return Buffer.concat([
        decipher.update(sealed.subarray(magic.length + ivBytes, sealed.length - tagBytes)),
        decipher.final(),
      ]);
    } catch {
      await rm(path, { force: true });
      return null;
    }
  }

  /** Removes a file with its thumbnail. */
  async remove(id: string): Promise<void> {
    await Promise.all(
      FileVariant.options.map((variant) =>
        rm(join(this.directory, this.nameOf(id, variant)), { force: true }),
      ),
    );
  }

  /** Ids name files: only a UUID may, never a path. The name is authenticated with the bytes. */
  private nameOf(id: string, variant: FileVariant): string {
    const checked = Id.parse(id);
    return variant === 'original' ? checked : `${checked}.${variant}`;
  }
}
