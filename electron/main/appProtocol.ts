/**
 * The renderer is served from `app://flurfunk/`, not `file://`: a real origin for the CSP and the
 * sender check, and no access to the rest of the disk.
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_SCHEME, rendererSecurityHeaders, resolveAppFile } from '../shared/renderer-policy.js';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
    },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
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

function plainResponse(status: number, text: string, extraHeaders: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { ...rendererSecurityHeaders(), 'Content-Type': 'text/plain; charset=utf-8', ...extraHeaders },
  });
}
