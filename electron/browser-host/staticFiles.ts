import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { APP_ORIGIN, rendererSecurityHeaders, resolveAppFile } from '../shared/renderer-policy.js';

/** Vite puts content-hashed files under /assets/: their URL changes whenever their content does. */
const immutablePrefix = '/assets/';

export type StaticFileHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Serves the built renderer exactly as the Electron app's `app://` protocol does: the same file
 * resolution (nothing outside `rendererDir`, no traversal in any encoding) and the same headers.
 */
export function createStaticFileHandler(rendererDir: string): StaticFileHandler {
  const securityHeaders = {
    ...rendererSecurityHeaders(),
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  };

  return async (req, res) => {
    for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'Method not allowed');
    }
    const requestPath = req.url ?? '';
    // Only origin-form paths; anything else could make the app URL below point at another host.
    const file = requestPath.startsWith('/')
      ? await resolveAppFile(`${APP_ORIGIN}${requestPath}`, rendererDir)
      : null;
    if (file === null) return sendText(res, 404, 'Not found');

    const body = await readFile(file.path);
    res.statusCode = 200;
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Length', body.byteLength);
    res.setHeader(
      'Cache-Control',
      requestPath.startsWith(immutablePrefix) ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}
