/**
 * How the built renderer is served, the same in both hosts (Electron's `app://` protocol and the
 * browser host): its origin, its CSP and headers, and which file a request may read.
 * Node only, no `electron` import: the browser host runs without Electron.
 */
import { realpath, stat } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export const APP_SCHEME = 'app';
export const APP_HOST = 'flurfunk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

// The renderer needs nothing but its own bundle; the company server is reached only by the core.
const CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

export function rendererCsp(): string {
  return CSP_DIRECTIVES.join('; ');
}

/** Headers sent with every file of the renderer bundle. */
export function rendererSecurityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': rendererCsp(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

/** True for any URL (or origin) of the app itself: `app://flurfunk`, nothing that merely looks like it. */
export function isAppUrl(url: unknown): boolean {
  const parsed = typeof url === 'string' ? URL.parse(url) : null;
  return (
    parsed !== null &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

// `..` or `.` as a path segment, written plainly or percent-encoded, between any kind of slash.
const DOT_SEGMENT = /(^|[/\\])(\.|%2e){1,2}([/\\]|$)/i;

/**
 * The decoded path segments an `app://flurfunk/…` request asks for, or null when the request
 * is for another host or tries to leave the renderer directory.
 */
function requestedSegments(requestUrl: string): string[] | null {
  const rawPath = requestUrl.split(/[?#]/, 1)[0] ?? '';
  if (/\\|%5c/i.test(rawPath) || DOT_SEGMENT.test(rawPath)) return null;
  if (!isAppUrl(requestUrl)) return null;
  const pathname = new URL(requestUrl).pathname;
  const wanted = pathname === '' || pathname === '/' ? '/index.html' : pathname;
  const segments: string[] = [];
  for (const encoded of wanted.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch {
      return null;
    }
    // `:` would name a drive or an NTFS stream on Windows.
    if (segment === '' || segment === '.' || segment === '..' || /[/\\:\0]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments;
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !path.isAbsolute(relative) && relative.split(path.sep)[0] !== '..';
}

export interface AppFile {
  path: string;
  contentType: string;
}

// Callback APIs through promisify: Electron's asar support patches these for sure.
const realpathAsync = promisify(realpath);
const statAsync = promisify(stat);

/**
 * Maps `app://flurfunk/<path>` to a regular file inside `rootDir` (the built renderer), or null.
 * `/` means index.html. Symlinks pointing out of `rootDir` are refused as well.
 */
export async function resolveAppFile(requestUrl: string, rootDir: string): Promise<AppFile | null> {
  const segments = requestedSegments(requestUrl);
  if (segments === null) return null;
  try {
    const root = await realpathAsync(rootDir);
    const file = await realpathAsync(path.join(root, ...segments));
    if (!isInside(root, file) || !(await statAsync(file)).isFile()) return null;
    return { path: file, contentType: contentTypeFor(file) };
  } catch {
    return null;
  }
}
