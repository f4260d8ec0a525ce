/**
 * The security decisions of the desktop shell, as plain functions: what the renderer may load,
 * which links may leave the app, who may call the core, which web permissions exist.
 * No `electron` import here: unit tests and the browser host use these without Electron.
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

function parseUrl(url: unknown): URL | null {
  if (typeof url !== 'string') return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for any URL (or origin) of the app itself: `app://flurfunk`, nothing that merely looks like it. */
export function isAppUrl(url: unknown): boolean {
  const parsed = parseUrl(url);
  return (
    parsed !== null &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

const EXTERNAL_PROTOCOLS = new Set(['https:', 'mailto:', 'tel:']);
// The OS hands the URL to another program; nothing legitimate in a post needs more.
const MAX_EXTERNAL_URL_LENGTH = 4096;

function hasControlCharOrSpace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/** Links that may be handed to the OS (browser, mail client, phone): https, mailto and tel only. */
export function isAllowedExternalUrl(url: unknown): boolean {
  // The URL parser silently drops tabs/newlines and trims spaces; a link that needs that is not trusted.
  if (typeof url !== 'string' || url.length > MAX_EXTERNAL_URL_LENGTH || hasControlCharOrSpace(url)) {
    return false;
  }
  const parsed = parseUrl(url);
  if (parsed === null || !EXTERNAL_PROTOCOLS.has(parsed.protocol)) return false;
  if (parsed.protocol === 'https:') {
    // `https://bank.example@evil.example` style links disguise their real host.
    return parsed.hostname !== '' && parsed.username === '' && parsed.password === '';
  }
  return parsed.pathname !== '';
}

export type NavigationDecision = 'allow' | 'openExternally' | 'block';

/**
 * A page or frame wants to navigate to `url`. It may stay inside the app; a link the user follows
 * in the main frame to an allowed external URL opens in the OS instead; everything else is blocked.
 */
export function decideNavigation(url: string, isMainFrame: boolean): NavigationDecision {
  if (isAppUrl(url)) return 'allow';
  return isMainFrame && isAllowedExternalUrl(url) ? 'openExternally' : 'block';
}

/** `window.open` / `target=_blank`: never a new app window; allowed links open in the OS. */
export function decideWindowOpen(url: string): Exclude<NavigationDecision, 'allow'> {
  return isAllowedExternalUrl(url) ? 'openExternally' : 'block';
}

/** The parts of Electron's WebFrameMain this check reads. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

/** Only the app's own top-level page may call the core; subframes and foreign pages may not. */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  if (frame === null || frame === undefined) return false;
  try {
    return frame.parent === null && isAppUrl(frame.url);
  } catch {
    // A frame that was destroyed meanwhile throws on access.
    return false;
  }
}

const ALLOWED_PERMISSIONS = new Set(['notifications', 'clipboard-sanitized-write']);

/** Web permissions the app's own page may use; every other permission and every other page is denied. */
export function isAllowedPermission(permission: string, requestingUrl: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl);
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
