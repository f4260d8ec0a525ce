/**
 * The renderer is served from `app://flurfunk/`, not `file://`: a real origin for the CSP and the
 * sender check, and no access to the rest of the disk.
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import type { Core } from '@flurfunk/core';
import { answerAppearanceRequest, isAppearancePath } from '../shared/appearance-route.js';
import { MEDIA_PATH, answerMediaRequest, errorAnswer, maxMediaUploadBytes } from '../shared/media-route.js';
import { APP_SCHEME, rendererSecurityHeaders, resolveAppFile } from '../shared/renderer-policy.js';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // `stream`: video and audio from the media route play in <video> elements.
      privileges: {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        corsEnabled: true,
        codeCache: true,
        stream: true,
      },
    },
  ]);
}

export function serveRenderer(rendererDir: string, core: () => Promise<Core> | null): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.pathname.startsWith(MEDIA_PATH)) return serveMedia(request, url, core());
    if (isAppearancePath(url.pathname)) return serveAppearance(request, url, core());
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return plainResponse(405, 'Method not allowed', { Allow: 'GET, HEAD' });
    }
    const file = await resolveAppFile(request.url, rendererDir);
    if (file === null) return plainResponse(404, 'Not found');
    const body = request.method === 'HEAD' ? null : await readFile(file.path);
    return new Response(body, {
      status: 200,
      headers: {
        ...rendererSecurityHeaders(),
        'Content-Type': file.contentType,
        'Cache-Control': 'no-cache',
      },
    });
  });
}

/**
 * `app://flurfunk/media/…`: files from the core's encrypted cache, and uploads of files the user
 * picked. Only the app's own pages reach this scheme.
 */
async function serveMedia(request: Request, url: URL, core: Promise<Core> | null): Promise<Response> {
  const running = await core;
  const { status, headers, body } = running
    ? await answerMediaRequest(running, {
        method: request.method,
        url,
        header: (name) => request.headers.get(name),
        readBody: async () => {
          const bytes = new Uint8Array(await request.arrayBuffer());
          return bytes.byteLength > maxMediaUploadBytes ? null : bytes;
        },
      })
    : errorAnswer({ code: 'internal', message: 'the core is not running' });
  return new Response(body, { status, headers });
}

/** `app://flurfunk/appearance.css` and its files: the company's look from the first paint. */
async function serveAppearance(request: Request, url: URL, core: Promise<Core> | null): Promise<Response> {
  const running = await core;
  const { status, headers, body } = running
    ? await answerAppearanceRequest(running, { method: request.method, pathname: url.pathname })
    : errorAnswer({ code: 'internal', message: 'the core is not running' });
  return new Response(body, { status, headers });
}

function plainResponse(status: number, text: string, extraHeaders: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { ...rendererSecurityHeaders(), 'Content-Type': 'text/plain; charset=utf-8', ...extraHeaders },
  });
}
