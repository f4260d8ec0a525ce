/**
 * The security decisions of the desktop shell, as plain functions: which links may leave the app,
 * who may call the core, which web permissions exist. How the renderer itself is served (origin,
 * CSP, files) is shared with the browser host in electron/shared/renderer-policy.ts.
 * No `electron` import here: unit-tested in plain Node.
 */
import { isAppUrl } from '../shared/renderer-policy.js';

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
  const parsed = URL.parse(url);
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

/**
 * A download may only save a file the renderer made itself (a `blob:` of the app, e.g. an event's
 * calendar entry) or an attachment from the app's media route (served by the core from its
 * encrypted cache), to where the user chooses. Nothing from the network is ever saved by Chromium.
 */
export function isAllowedDownload(url: string): boolean {
  if (url.startsWith('blob:')) return isAppUrl(url.slice('blob:'.length));
  // An attachment the user saves, from the app's own media route.
  return isAppUrl(url) && URL.parse(url)?.pathname.startsWith('/media/') === true;
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
