/**
 * What the confirmation before leaving the app shows about a link: the URL exactly as the OS will
 * receive it (host in punycode, so look-alike Unicode hosts cannot pass as the real one) and the
 * part that says where it really goes.
 */

import { hasControlCharOrSpace } from './safeUrls.js';

export type LinkTargetKind = 'web' | 'email' | 'phone';

export interface LinkTarget {
  /** The normalised URL that is opened. */
  href: string;
  kind: LinkTargetKind;
  /** `href` split around the part to emphasise: the host, the e-mail address or the phone number. */
  before: string;
  highlight: string;
  after: string;
  /** Whether the desktop shell hands this URL to the OS at all. */
  canOpen: boolean;
}

const KINDS: Record<string, LinkTargetKind> = {
  'https:': 'web',
  'http:': 'web',
  'mailto:': 'email',
  'tel:': 'phone',
};

// Mirrors isAllowedExternalUrl in electron/main/security.ts (the renderer cannot import main code):
// offering "Open" for a link the shell then refuses would silently do nothing.
const OPENABLE_PROTOCOLS = new Set(['https:', 'mailto:', 'tel:']);
const MAX_OPENABLE_LENGTH = 4096;

function isOpenable(url: URL): boolean {
  if (!OPENABLE_PROTOCOLS.has(url.protocol) || url.href.length > MAX_OPENABLE_LENGTH) return false;
  if (hasControlCharOrSpace(url.href)) return false;
  if (url.protocol === 'https:') return url.hostname !== '' && url.username === '' && url.password === '';
  return url.pathname !== '';
}

function split(
  href: string,
  highlight: string,
  rest: string,
): Pick<LinkTarget, 'before' | 'highlight' | 'after'> {
  if (highlight === '' || !href.endsWith(highlight + rest)) return { before: href, highlight: '', after: '' };
  return { before: href.slice(0, href.length - highlight.length - rest.length), highlight, after: rest };
}

/** The target of a link from a post, or null when it is no URL of a kind a post may link to. */
export function describeLinkTarget(href: string): LinkTarget | null {
  const url = URL.parse(href);
  const kind = url === null ? undefined : KINDS[url.protocol];
  if (url === null || kind === undefined) return null;
  const parts =
    kind === 'web'
      ? split(url.href, url.host, url.pathname + url.search + url.hash)
      : split(url.href, url.pathname, url.search + url.hash);
  return { href: url.href, kind, ...parts, canOpen: isOpenable(url) };
}
