/**
 * The media route, the same in both hosts (Electron's `app://flurfunk/media/…` and the browser
 * host's `/media/…`): files reach the renderer from the app's own origin, served by the core from
 * its encrypted file cache, never from the company server. Node only, no `electron` import.
 */
import type { BrandingSaved, FileMeta, FileVariant, IpcError, IpcResult } from '@flurfunk/protocol';

export const MEDIA_PATH = '/media/';
/** `PUT /media/upload` takes a file the user picked; `X-File-Name` carries its name, percent-encoded. */
export const MEDIA_UPLOAD_PATH = `${MEDIA_PATH}upload`;
/** `GET /media/export`: everything the server holds about the user, as a ZIP to save. */
export const MEDIA_EXPORT_PATH = `${MEDIA_PATH}export`;
/** `PUT /media/brand/<slot>`: the IT admin's logo, login background or font face. */
export const MEDIA_BRAND_UPLOAD_PATH = `${MEDIA_PATH}brand/`;
/** More than the server ever takes; bounds what a page can make the host hold in memory. */
export const maxMediaUploadBytes = 512 * 1024 * 1024;

export interface MediaAnswer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
}

/** The file id a media URL path names, or null when it names none. */
function mediaFileId(pathname: string): string | null {
  const rest = pathname.startsWith(MEDIA_PATH) ? pathname.slice(MEDIA_PATH.length) : null;
  return rest !== null && /^[0-9a-f-]{36}$/i.test(rest) ? rest : null;
}

const statusOf: Partial<Record<IpcError['code'], number>> = {
  invalid_args: 400,
  not_signed_in: 401,
  session_expired: 401,
  forbidden: 403,
  not_found: 404,
  file_too_large: 413,
  file_type_refused: 415,
  unreachable: 503,
};

/** Headers every media answer has: nothing in it is run, sniffed, framed or shared across origins. */
const mediaHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  // The bytes are the user's: no copy in the browser's cache, which outlives a sign-out.
  'Cache-Control': 'no-store',
};

/** The answer to `GET /media/<id>`: the file inline (or, `download`, to save) or the error. */
function mediaFileAnswer(
  result: IpcResult<{ meta: FileMeta; bytes: Uint8Array }>,
  download: boolean,
): MediaAnswer {
  if (!result.ok) return errorAnswer(result.error);
  const { meta, bytes } = result.value;
  const disposition = download || !meta.mediaType.startsWith('image/') ? 'attachment' : 'inline';
  return {
    status: 200,
    headers: {
      ...mediaHeaders,
      'Content-Type': meta.mediaType.startsWith('text/')
        ? `${meta.mediaType}; charset=utf-8`
        : meta.mediaType,
      'Content-Length': String(bytes.byteLength),
      'Content-Disposition': `${disposition}; filename*=UTF-8''${encodeURIComponent(meta.name)}`,
    },
    body: bytes,
  };
}

/** The answer to `PUT /media/upload`: the new file's meta as JSON, or the error. */
function mediaUploadAnswer(result: IpcResult<FileMeta>): MediaAnswer {
  if (!result.ok) return errorAnswer(result.error);
  return jsonAnswer(201, result.value);
}

export function errorAnswer(error: IpcError): MediaAnswer {
  return jsonAnswer(statusOf[error.code] ?? 500, { error });
}

function jsonAnswer(status: number, value: unknown): MediaAnswer {
  return {
    status,
    headers: { ...mediaHeaders, 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify(value),
  };
}

/** The name a page sent in `X-File-Name`, or null when it is not percent-encoded UTF-8. */
function uploadedFileName(header: string | null | undefined): string | null {
  if (!header) return null;
  try {
    return decodeURIComponent(header);
  } catch {
    return null;
  }
}

/** The part of the core the media route uses (see `Core` in electron/core). */
export interface MediaCore {
  readMedia(fileId: string, variant?: FileVariant): Promise<IpcResult<{ meta: FileMeta; bytes: Uint8Array }>>;
  uploadMedia(file: { name: string; mediaType: string; bytes: Uint8Array }): Promise<IpcResult<FileMeta>>;
  readDataExport(): Promise<IpcResult<{ fileName: string; bytes: Uint8Array }>>;
  uploadBrandAsset(
    slot: string,
    file: { mediaType: string; bytes: Uint8Array },
  ): Promise<IpcResult<BrandingSaved>>;
}

/** A media request as either host receives it. */
export interface MediaRequest {
  method: string;
  url: URL;
  header(name: 'x-file-name' | 'content-type'): string | null | undefined;
  /** The body, or null once it grows past `maxMediaUploadBytes`. */
  readBody(): Promise<Uint8Array | null>;
}

/**
 * Answers `GET /media/<id>` (`?thumbnail` for a still image's preview, `?download` to save it),
 * `GET /media/export`, `PUT /media/upload` and `PUT /media/brand/<slot>` from the core.
 */
export async function answerMediaRequest(core: MediaCore, request: MediaRequest): Promise<MediaAnswer> {
  const { url, method } = request;
  if (url.pathname === MEDIA_UPLOAD_PATH && method === 'PUT') {
    const name = uploadedFileName(request.header('x-file-name'));
    if (name === null)
      return errorAnswer({ code: 'invalid_args', message: 'X-File-Name is missing or not encoded' });
    const bytes = await request.readBody();
    if (bytes === null) {
      return errorAnswer({ code: 'file_too_large', message: 'the file is larger than any server takes' });
    }
    const mediaType = request.header('content-type') ?? 'application/octet-stream';
    return mediaUploadAnswer(await core.uploadMedia({ name, mediaType, bytes }));
  }
  if (url.pathname.startsWith(MEDIA_BRAND_UPLOAD_PATH) && method === 'PUT') {
    const bytes = await request.readBody();
    if (bytes === null) {
      return errorAnswer({ code: 'file_too_large', message: 'the file is larger than any server takes' });
    }
    const slot = url.pathname.slice(MEDIA_BRAND_UPLOAD_PATH.length);
    const mediaType = request.header('content-type') ?? 'application/octet-stream';
    const result = await core.uploadBrandAsset(slot, { mediaType, bytes });
    return result.ok ? jsonAnswer(200, result.value) : errorAnswer(result.error);
  }
  if (url.pathname === MEDIA_EXPORT_PATH && method === 'GET') {
    const result = await core.readDataExport();
    if (!result.ok) return errorAnswer(result.error);
    const { fileName, bytes } = result.value;
    return {
      status: 200,
      headers: {
        ...mediaHeaders,
        'Content-Type': 'application/zip',
        'Content-Length': String(bytes.byteLength),
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      },
      body: bytes,
    };
  }
  const fileId = mediaFileId(url.pathname);
  if (fileId === null || (method !== 'GET' && method !== 'HEAD')) {
    return errorAnswer({ code: 'not_found', message: 'no such media' });
  }
  const variant = url.searchParams.has('thumbnail') ? 'thumbnail' : 'original';
  return mediaFileAnswer(await core.readMedia(fileId, variant), url.searchParams.has('download'));
}
