/**
 * Which URLs a post body may carry. Pure functions over the WHATWG URL parser, so the decision
 * is made on the URL exactly as the browser will resolve it, not on the text the author typed.
 */

/** Link schemes a post may point to; everything else (javascript:, data:, vbscript:, file:, …) loses its href. */
export const LINK_PROTOCOLS: ReadonlySet<string> = new Set(['https:', 'http:', 'mailto:', 'tel:']);

// Nothing legitimate in a post needs more; main refuses longer URLs too (electron/main/security.ts).
const MAX_URL_LENGTH = 4096;

/** Control characters and spaces: the URL parser strips or drops some of them silently. */
export function hasControlCharOrSpace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/**
 * The normalised absolute URL a post link may point to, or null. Relative and protocol-relative
 * URLs are refused: a post has no base of its own, and resolved against the app they would
 * navigate inside it.
 */
export function safeLinkHref(href: string): string | null {
  if (href.length > MAX_URL_LENGTH || hasControlCharOrSpace(href)) return null;
  const parsed = URL.parse(href);
  if (parsed === null || !LINK_PROTOCOLS.has(parsed.protocol)) return null;
  if ((parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.hostname === '') return null;
  return parsed.href;
}

/**
 * The normalised absolute URL of an image when it lies under `mediaBase` (the app's media
 * protocol, e.g. `app://flurfunk/media/`), or null. `mediaBase` may be relative to `documentBase`.
 * Dot segments (also percent-encoded) are resolved before the prefix check, so `/media/../x`
 * does not pass.
 */
export function safeMediaSrc(
  src: string,
  mediaBase: string | undefined,
  documentBase: string,
): string | null {
  if (mediaBase === undefined || mediaBase === '') return null;
  if (src.length > MAX_URL_LENGTH || hasControlCharOrSpace(src) || src.includes('\\')) return null;
  const base = URL.parse(mediaBase, documentBase);
  const resolved = URL.parse(src, documentBase);
  if (base === null || resolved === null) return null;
  if (resolved.username !== '' || resolved.password !== '') return null;
  const prefix = base.href.endsWith('/') ? base.href : `${base.href}/`;
  return resolved.href.startsWith(prefix) && resolved.href.length > prefix.length ? resolved.href : null;
}
