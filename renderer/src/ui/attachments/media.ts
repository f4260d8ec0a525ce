import { FileMeta, IpcError, hasThumbnail } from '@flurfunk/protocol';
import { ApiError, mediaAddress } from '@/api/index.js';
import type { InlineImage } from '../rich-text/markdown.js';

/** Where the app's media route lies, relative to the page: the only images a post may show. */
export const MEDIA_BASE = '/media/';

/** A post's images as its body may show them inline, by file id. */
export function inlineImages(files: readonly FileMeta[]): Map<string, InlineImage> {
  return new Map(
    files.flatMap((file) =>
      file.width !== null && file.height !== null
        ? [[file.id, { src: fileAddress(file), width: file.width, height: file.height }] as const]
        : [],
    ),
  );
}

/** The Markdown that shows an image attachment in a post's text. */
export function inlineImageMarkdown(file: Pick<FileMeta, 'id' | 'name'>): string {
  return `![${file.name.replace(/[[\]\\]/g, '')}](attachment:${file.id})`;
}

/** The image types a photo (of a person, of a dish) may have: those the server makes thumbnails of. */
export const photoMediaTypes: readonly string[] = ['image/png', 'image/jpeg', 'image/webp'];
/** A photo needs no more; larger files are refused before they are sent. */
export const maxPhotoBytes = 10_000_000;

/** The address of a file for an `<img>` or a link; `download` makes the host offer it to save. */
export function fileAddress(file: Pick<FileMeta, 'id'>, download = false): string {
  return mediaAddress(file.id, download ? { download: '' } : {});
}

/** What to show of an image in a list: its thumbnail where the server makes one, else the image. */
export function previewAddress(file: Pick<FileMeta, 'id' | 'mediaType' | 'width' | 'height'>): string {
  return hasThumbnail(file) ? mediaAddress(file.id, { thumbnail: '' }) : fileAddress(file);
}

/**
 * The error of an upload the media route refused (`status` 0: it did not get through), from the
 * `{error}` body the route answers with.
 */
export function refusalOf(status: number, body: unknown): ApiError {
  if (status === 0) return new ApiError({ code: 'unreachable', message: 'the upload did not get through' });
  const error = IpcError.safeParse((body as { error?: unknown } | null)?.error);
  return new ApiError(
    error.success ? error.data : { code: 'internal', message: `upload answered ${status}` },
  );
}

/**
 * Uploads a file the user picked through the host's media route (the core sends it on to the
 * server). Reports progress as a fraction; `signal` cancels. Refusals come as `ApiError`.
 */
export function uploadFile(
  file: File,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<FileMeta> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PUT', mediaAddress('upload'));
    request.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
    request.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(String(request.responseText));
      } catch {
        // handled below as a broken answer
      }
      const meta = FileMeta.safeParse(body);
      if (request.status === 201 && meta.success) {
        resolve(meta.data);
        return;
      }
      reject(refusalOf(request.status, body));
    };
    request.onerror = () => reject(refusalOf(0, null));
    request.onabort = () => reject(new DOMException('the upload was cancelled', 'AbortError'));
    signal.addEventListener('abort', () => request.abort(), { once: true });
    request.send(file);
  });
}
