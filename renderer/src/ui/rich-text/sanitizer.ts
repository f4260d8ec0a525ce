/**
 * The last line of defence between a post body and the DOM: DOMPurify with an explicit allow-list
 * of what the Markdown subset produces, plus a URL policy for links and images. Markdown-it
 * already escapes raw HTML; this still assumes its output could be hostile.
 */
import DOMPurify from 'dompurify';
import type { Config, DOMPurify as Purifier } from 'dompurify';
import { safeLinkHref, safeMediaSrc } from './safeUrls.js';

// Exactly the elements markdown.ts emits, stricter than USE_PROFILES html (which keeps forms, media,
// details…): no svg/math namespaces, no style, no forms, no frames.
const ALLOWED_TAGS = [
  'p',
  'br',
  'em',
  'strong',
  's',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'code',
  'hr',
  'a',
  'img',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];

// No `style` (table alignment is lost, CSS injection is not possible) and no `class`/`id`/`name`.
const ALLOWED_ATTR = ['href', 'title', 'src', 'alt', 'start', 'width', 'height'];

const PURIFY_CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
};

export interface SanitizeOptions {
  /** Images are kept only when their URL lies under this prefix (the app's media protocol). Default: no images. */
  mediaBase?: string;
}

/** Hooks are registered once per instance; the options of the current (synchronous) call reach them here. */
let currentOptions: SanitizeOptions = {};
let purifier: Purifier | null = null;
let purifierWorks = false;

/**
 * DOMPurify reports `isSupported` in DOMs too weak for it and then returns hostile HTML unchanged
 * (happy-dom stops its NodeIterator at the first removed node: cure53/DOMPurify#1457). So the
 * instance must prove itself on a probe that needs removals, unwrapping and the hooks.
 */
const SELF_TEST_INPUT =
  '<p><b>a</b><script>probe()</script><img src="x" onerror="probe()"></p><svg onload="probe()"></svg>';
const SELF_TEST_EXPECTED = '<p>a</p>';

function enforceLink(anchor: Element): void {
  const href = anchor.getAttribute('href');
  if (href === null) return;
  const safe = safeLinkHref(href);
  if (safe === null) {
    // The text stays readable; only the way out is gone.
    anchor.removeAttribute('href');
    anchor.removeAttribute('title');
    return;
  }
  anchor.setAttribute('href', safe);
  anchor.setAttribute('rel', 'noopener noreferrer');
}

function enforceImage(image: Element): void {
  // Relative to the page the post is shown in, not to DOMPurify's scratch document.
  const src = safeMediaSrc(image.getAttribute('src') ?? '', currentOptions.mediaBase, document.baseURI);
  if (src === null) {
    // Remote images would leak who reads what and when; the alt text keeps the author's words.
    image.replaceWith(image.ownerDocument.createTextNode(image.getAttribute('alt') ?? ''));
    return;
  }
  image.setAttribute('src', src);
  image.setAttribute('loading', 'lazy');
  image.setAttribute('decoding', 'async');
  // A size reserves the image's space before it loads; anything but a plain pixel count goes.
  for (const name of ['width', 'height']) {
    const value = image.getAttribute(name);
    if (value !== null && !/^[1-9][0-9]{0,4}$/.test(value)) image.removeAttribute(name);
  }
}

function enforceSize(element: Element): void {
  // Only images are sized (above); on anything else a size could only distort the layout.
  element.removeAttribute('width');
  element.removeAttribute('height');
}

function createPurifier(): Purifier {
  // Bound to the page's window; without a DOM it reports isSupported = false.
  const instance = DOMPurify();
  if (!instance.isSupported) return instance;
  instance.setConfig(PURIFY_CONFIG);
  instance.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') enforceLink(node as Element);
    else if (node.nodeName === 'IMG') enforceImage(node as Element);
    else if (node instanceof Element) enforceSize(node);
  });
  return instance;
}

function getPurifier(): Purifier {
  if (purifier === null) {
    purifier = createPurifier();
    purifierWorks = purifier.isSupported && purifier.sanitize(SELF_TEST_INPUT) === SELF_TEST_EXPECTED;
  }
  return purifier;
}

/** False where DOMPurify cannot sanitize reliably (no DOM, or a DOM too weak for it). */
export function isSanitizerSupported(): boolean {
  getPurifier();
  return purifierWorks;
}

/** Sanitized HTML for the output of markdown.ts, safe to assign to innerHTML. */
export function sanitizePostHtml(html: string, options: SanitizeOptions = {}): string {
  const instance = getPurifier();
  if (!purifierWorks) throw new Error('DOMPurify cannot sanitize reliably in this environment');
  currentOptions = options;
  try {
    return instance.sanitize(html);
  } finally {
    currentOptions = {};
  }
}
