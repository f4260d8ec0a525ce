import { createHash } from 'node:crypto';
import { FileMeta, hasThumbnail, maxThumbnailBytes, thumbnailMediaType } from '@flurfunk/protocol';
import { v7 as uuidv7 } from 'uuid';
import { CoreError } from '../errors.js';
import type { ServerSession } from '../session/server-session.js';
import type { EncryptedFileCache } from './encrypted-file-cache.js';
import type { KnownFiles } from './known-files.js';

export interface NewFile {
  name: string;
  /** What the user's system says it is; the server decides from the content. */
  mediaType: string;
  bytes: Uint8Array;
}

/**
 * Moves files between the device and the company server: uploads what the user picks, downloads
 * what they open, and keeps both, encrypted, in the file cache, so a file is fetched once and
 * readable offline afterwards.
 */
export class FileTransfers {
  constructor(
    private readonly server: ServerSession,
    private readonly cache: EncryptedFileCache,
    private readonly known: KnownFiles,
  ) {}

  /** Uploads a file under a new id; it stays the user's own until a post (or message) takes it. */
  async upload(file: NewFile, signal?: AbortSignal): Promise<FileMeta> {
    const id = uuidv7();
    const response = await this.server.transfer(`/api/v1/files/${id}`, signal, {
      method: 'PUT',
      headers: {
        'content-type': file.mediaType || 'application/octet-stream',
        'x-file-name': encodeURIComponent(file.name),
      },
      body: file.bytes,
    });
    const meta = FileMeta.safeParse(await response.json().catch(() => null));
    if (!meta.success || meta.data.id !== id)
      throw new CoreError('server_error', 'the server answered the upload with something else');
    await this.cache.put(id, file.bytes);
    this.known.recordUpload(meta.data);
    return meta.data;
  }

  /**
   * A file the user may open on this device (one a cached post names, or their own upload) with
   * its bytes; `not_found` for any other id.
   */
  async media(id: string, signal?: AbortSignal): Promise<{ meta: FileMeta; bytes: Buffer }> {
    const meta = this.knownMeta(id);
    return { meta, bytes: await this.read(meta, signal) };
  }

  /**
   * The thumbnail of a still image the user may open, from the cache or else from the server
   * (then kept). It has no hash to check against: it must be a WebP of bounded size.
   */
  async thumbnail(id: string, signal?: AbortSignal): Promise<{ meta: FileMeta; bytes: Buffer }> {
    const meta = this.knownMeta(id);
    if (!hasThumbnail(meta)) throw new CoreError('not_found', 'this file has no thumbnail');
    const thumbnailMeta = (bytes: Buffer) => ({
      meta: { ...meta, mediaType: thumbnailMediaType, size: bytes.length },
      bytes,
    });
    const cached = await this.cache.get(id, 'thumbnail');
    if (cached) return thumbnailMeta(cached);
    const response = await this.server.transfer(`/api/v1/files/${id}/thumbnail`, signal, { method: 'GET' });
    if (Number(response.headers.get('content-length')) > maxThumbnailBytes) {
      await response.body?.cancel();
      throw new CoreError('server_error', 'the server sent a thumbnail larger than any it makes');
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > maxThumbnailBytes || !isWebp(bytes)) {
      throw new CoreError('server_error', 'the server sent something else than a thumbnail');
    }
    await this.cache.put(id, bytes, 'thumbnail');
    return thumbnailMeta(bytes);
  }

  /**
   * The bytes of a file the user may read: from the cache, or else from the server (then kept).
   * Bytes that do not match `expected` (the file's meta from a post) are refused, not kept.
   */
  async read(expected: Pick<FileMeta, 'id' | 'sha256' | 'size'>, signal?: AbortSignal): Promise<Buffer> {
    const cached = await this.cache.get(expected.id);
    if (cached) return cached;
    const response = await this.server.transfer(`/api/v1/files/${expected.id}`, signal, { method: 'GET' });
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > expected.size) {
      await response.body?.cancel();
      throw new CoreError('server_error', 'the server sent a larger file than the post names');
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    if (
      bytes.length !== expected.size ||
      createHash('sha256').update(bytes).digest('hex') !== expected.sha256
    ) {
      throw new CoreError('server_error', 'the file the server sent is not the one the post names');
    }
    await this.cache.put(expected.id, bytes);
    return bytes;
  }

  /** A file the user may open on this device; `not_found` for any other id. */
  private knownMeta(id: string): FileMeta {
    const meta = this.known.meta(id);
    if (!meta) throw new CoreError('not_found', 'no post on this device names this file');
    return meta;
  }
}

/** A WebP file: `RIFF`, its length, `WEBP`. */
function isWebp(bytes: Buffer): boolean {
  return (
    bytes.length > 12 &&
    bytes.toString('latin1', 0, 4) === 'RIFF' &&
    bytes.toString('latin1', 8, 12) === 'WEBP'
  );
}
