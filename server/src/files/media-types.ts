import { fileTypeFromFile } from 'file-type';
import { imageSizeFromFile } from 'image-size/fromFile';

/**
 * What the server accepts: images a browser shows (no SVG: it can carry script), PDF, office
 * documents, video, and plain text. Anything else (executables, archives, HTML) is refused.
 */
const binaryTypes = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'video/mp4',
  'video/webm',
  'video/quicktime',
]);
/** Text has no signature: taken as declared, served as plain text. */
const textTypes = new Set(['text/plain', 'text/csv']);

export const acceptedMediaTypes: readonly string[] = [...binaryTypes, ...textTypes].sort();

/** Images whose pixel size the server records. */
const imageTypes = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export interface MediaFacts {
  mediaType: string;
  width: number | null;
  height: number | null;
}

/**
 * The media type of the stored file at `path`, from its content: its signature decides, not
 * what the uploader declared. Null when the server does not take it. A file without a signature
 * is taken as text only when it was declared as text and holds no NUL byte.
 */
export async function detectMedia(path: string, declared: string, head: Buffer): Promise<MediaFacts | null> {
  const found = await fileTypeFromFile(path);
  // Old office formats share one container signature: the declared type names which it is.
  const mediaType = found?.mime === 'application/x-cfb' && binaryTypes.has(declared) ? declared : found?.mime;
  if (mediaType !== undefined) {
    if (!binaryTypes.has(mediaType)) return null;
    if (!imageTypes.has(mediaType)) return { mediaType, width: null, height: null };
    const size = await imageSizeFromFile(path).catch(() => null);
    if (!size?.width || !size.height) return null;
    return { mediaType, width: size.width, height: size.height };
  }
  const base = declared.split(';')[0]?.trim().toLowerCase() ?? '';
  if (textTypes.has(base) && !head.includes(0)) return { mediaType: base, width: null, height: null };
  return null;
}
