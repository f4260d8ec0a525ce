import { type FileMeta, hasThumbnail, thumbnailBox } from '@flurfunk/protocol';
import sharp from 'sharp';
import type { DiskFileStorage } from './file-storage.js';

// Each thumbnail decodes its image once: sharp's cache of decoded images only holds memory here.
sharp.cache(false);

/** Files known to have no thumbnail (animated, broken pixels), so they are not decoded again. */
const maxRememberedRefusals = 10_000;

/**
 * Thumbnails of image files, made on first request and kept next to the file: a chat or a feed
 * shows a 100 KB preview instead of a 10 MB photo, and opens the photo itself only on demand.
 * One image is decoded at a time (a 50-megapixel image takes 200 MB while it is); several viewers
 * asking for the same thumbnail share its making.
 */
export class Thumbnails {
  private readonly making = new Map<string, Promise<Buffer | null>>();
  private readonly refused = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly storage: DiskFileStorage) {}

  /** The file's thumbnail; null for a file that has none. */
  async of(file: FileMeta): Promise<Buffer | null> {
    if (!hasThumbnail(file) || this.refused.has(file.id)) return null;
    const kept = await this.storage.openThumbnail(file.id);
    if (kept) return kept;
    let making = this.making.get(file.id);
    if (!making) {
      making = this.inTurn(() => this.make(file)).finally(() => this.making.delete(file.id));
      this.making.set(file.id, making);
    }
    return making;
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(work, work);
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async make(file: FileMeta): Promise<Buffer | null> {
    const path = await this.storage.pathOfStored(file.id);
    if (!path) return null;
    try {
      // The pixel limit is the recorded size's (checked by hasThumbnail): a file whose header
      // lied about it fails here rather than filling the server's memory.
      const image = sharp(path, {
        limitInputPixels: (file.width ?? 1) * (file.height ?? 1),
        failOn: 'error',
      });
      if (((await image.metadata()).pages ?? 1) > 1) return this.refuse(file);
      const thumbnail = await image
        .rotate()
        .resize(thumbnailBox, thumbnailBox, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 80 })
        .toBuffer();
      await this.storage.keepThumbnail(file.id, thumbnail);
      return thumbnail;
    } catch {
      return this.refuse(file);
    }
  }

  private refuse(file: FileMeta): null {
    if (this.refused.size >= maxRememberedRefusals) this.refused.clear();
    this.refused.add(file.id);
    return null;
  }
}
