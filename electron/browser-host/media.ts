import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '@flurfunk/core';
import {
  MEDIA_PATH,
  type MediaAnswer,
  answerMediaRequest,
  errorAnswer,
  maxMediaUploadBytes,
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
      send(res, errorAnswer({ code: 'forbidden', message: 'not this page’s media' }));
      return true;
    }
    // Uploads only from the app's own page: another local page must not post files as the user.
    if (req.method === 'PUT' && req.headers.origin !== origin) {
      send(res, errorAnswer({ code: 'forbidden', message: 'uploads come from the app only' }));
      return true;
    }
    const answer = await answerMediaRequest(core, {
      method: req.method ?? 'GET',
      url,
      header: (name) => req.headers[name] as string | undefined,
      readBody: () => readCapped(req),
    });
    send(res, answer);
    return true;
  };
}

/** The request body, or null once it grows past what the media route takes. */
async function readCapped(req: IncomingMessage): Promise<Uint8Array | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxMediaUploadBytes) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, answer: MediaAnswer): void {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}
