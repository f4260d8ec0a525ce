import { z } from 'zod';
import { Id } from './ids.js';

/** Bytes of a file name, as most file systems count them. */
export const maxFileNameBytes = 255;
/** The most files one post (or, later, one message) carries. */
export const maxAttachments = 10;

/**
 * A file someone uploaded (`PUT /api/v1/files/:id`): what a post lists of its attachments. The
 * media type is the one the server found in the file's first bytes, not the one the uploader
 * claimed.
 */
export const FileMeta = z
  .object({
    id: Id,
    name: z.string().min(1).max(maxFileNameBytes),
    mediaType: z.string().min(3).max(100),
    size: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** Images only: their size in pixels, so a list can keep their space before they load. */
    width: z.number().int().positive().nullable(),
    height: z.number().int().positive().nullable(),
  })
  .strict();
export type FileMeta = z.infer<typeof FileMeta>;

/**
 * Thumbnails (`GET /api/v1/files/:id/thumbnail`): a WebP that fits a box of `thumbnailBox` pixels,
 * made by the server for still images up to `maxThumbnailSourcePixels`. GIFs have none, and
 * neither do animated WebPs: they keep their animation.
 */
export const thumbnailBox = 800;
/** A file's own bytes, or the thumbnail the server made of it. */
export const FileVariant = z.enum(['original', 'thumbnail']);
export type FileVariant = z.infer<typeof FileVariant>;
export const thumbnailMediaType = 'image/webp';
export const maxThumbnailBytes = 2 * 1024 * 1024;
const maxThumbnailSourcePixels = 50_000_000;
const thumbnailSourceTypes: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp']);

export function hasThumbnail(file: Pick<FileMeta, 'mediaType' | 'width' | 'height'>): boolean {
  return (
    thumbnailSourceTypes.has(file.mediaType) &&
    file.width !== null &&
    file.height !== null &&
    file.width * file.height <= maxThumbnailSourcePixels
  );
}

/** `GET /api/v1/files/limits`: what the server accepts, so a client can refuse a file before sending it. */
export const FileLimits = z
  .object({
    maxFileBytes: z.number().int().positive(),
    /** The media types the server takes. */
    mediaTypes: z.array(z.string()),
  })
  .strict();
export type FileLimits = z.infer<typeof FileLimits>;

/** Windows refuses these as file names, with any extension. */
const reservedWindowsNames = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/**
 * A name that is safe to save a file under on Windows, macOS and Linux: no folders (`../`), no
 * characters those systems refuse or treat specially, no reserved device names, no trailing dots
 * or spaces, at most `maxFileNameBytes` bytes of UTF-8 with the extension kept. `fallback` when
 * nothing usable is left.
 */
export function safeFileName(name: string, fallback = 'file'): string {
  let safe = name
    .normalize('NFC')
    // Path separators and what Windows refuses; control characters (also bidi overrides that
    // could make "exe.pdf" look like "fdp.exe").
    .replace(/[/\\:*?"<>|]/g, '_')
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '');
  if (reservedWindowsNames.test(safe)) safe = `_${safe}`;
  if (utf8Bytes(safe) > maxFileNameBytes) {
    const dot = safe.lastIndexOf('.');
    const extension = dot > 0 && safe.length - dot <= 16 ? safe.slice(dot) : '';
    const stem = [...safe.slice(0, safe.length - extension.length)];
    while (stem.length > 0 && utf8Bytes(stem.join('') + extension) > maxFileNameBytes) stem.pop();
    safe = stem.join('').replace(/[\s.]+$/, '') + extension;
  }
  return safe === '' ? fallback : safe;
}

function utf8Bytes(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
