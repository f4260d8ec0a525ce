import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '@flurfunk/core';
import {
  MEDIA_PATH,
  MEDIA_UPLOAD_PATH,
  type MediaAnswer,
  errorAnswer,
  maxMediaUploadBytes,
  mediaFileAnswer,
  mediaFileId,
  mediaUploadAnswer,
  uploadedFileName,
} from '../shared/media-route.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The media route of the browser host: like the bridge, only for the page that knows the
 * per-start token (`?token=`), and uploads only from the host's own origin.
 */
export function createMediaHandler({ core, origin, token }: { core: Core; origin: string; token: string }) {
  const expectedToken = digest(token);

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = URL.parse(req.url ?? '', origin);
    if (url === null || !url.pathname.startsWith(MEDIA_PATH)) return false;
    const given = url.searchParams.get('token');
    if (given === null || !timingSafeEqual(digest(given), expectedToken)) {
      send(res, errorAnswer({ code: 'forbidden', message: 'not this page’s media' }), 403);
      return true;
    }
    if (url.pathname === MEDIA_UPLOAD_PATH && req.method === 'PUT') {
      send(res, await upload(req));
      return true;
    }
    const fileId = mediaFileId(url.pathname);
    if (fileId === null || (req.method !== 'GET' && req.method !== 'HEAD')) {
      send(res, errorAnswer({ code: 'not_found', message: 'no such media' }));
      return true;
    }
    send(res, mediaFileAnswer(await core.readMedia(fileId), url.searchParams.has('download')));
    return true;
  };

  async function upload(req: IncomingMessage): Promise<MediaAnswer> {
    if (req.headers.origin !== origin) {
      return errorAnswer({ code: 'forbidden', message: 'uploads come from the app only' });
    }
    const name = uploadedFileName(req.headers['x-file-name'] as string | undefined);
    if (name === null)
      return errorAnswer({ code: 'invalid_args', message: 'X-File-Name is missing or not encoded' });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxMediaUploadBytes) {
        return errorAnswer({ code: 'file_too_large', message: 'the file is larger than any server takes' });
      }
      chunks.push(chunk as Buffer);
    }
    const mediaType = req.headers['content-type'] ?? 'application/octet-stream';
    return mediaUploadAnswer(await core.uploadMedia({ name, mediaType, bytes: Buffer.concat(chunks) }));
  }
}

function send(res: ServerResponse, answer: MediaAnswer, status = answer.status): void {
  res.writeHead(status, answer.headers);
  res.end(answer.body);
}
