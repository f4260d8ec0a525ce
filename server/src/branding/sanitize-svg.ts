import { createRequire } from 'node:module';
import createDOMPurify from 'dompurify';

/** Why an uploaded SVG is not taken, in words the admin can act on. */
export class SvgRefused extends Error {
  override readonly name = 'SvgRefused';
}

// jsdom's own types bring the whole browser DOM library into the server's compilation, where a
// browser global must not compile; these are the few parts of the DOM the sanitizer touches.
interface SvgAttribute {
  readonly name: string;
  readonly localName: string;
  readonly value: string;
}
interface SvgElement {
  readonly localName: string;
  readonly namespaceURI: string | null;
  readonly attributes: ArrayLike<SvgAttribute>;
  readonly children: ArrayLike<SvgElement>;
  textContent: string | null;
  querySelectorAll(selector: string): ArrayLike<SvgElement>;
  removeAttributeNode(attribute: SvgAttribute): void;
  setAttribute(name: string, value: string): void;
  remove(): void;
}
interface SvgWindow {
  XMLSerializer: new () => { serializeToString(node: SvgElement): string };
}
interface Jsdom {
  JSDOM: new (html: string) => { window: SvgWindow };
}

interface Purifier {
  window: SvgWindow;
  purify: ReturnType<typeof createDOMPurify>;
}

let purifier: Purifier | undefined;

/** jsdom takes a moment to load and most servers never see an SVG: it is loaded for the first. */
function loadPurifier(): Purifier {
  if (!purifier) {
    const { JSDOM } = createRequire(import.meta.url)('jsdom') as Jsdom;
    const { window } = new JSDOM('');
    purifier = {
      window,
      purify: createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]),
    };
  }
  return purifier;
}

const svgNamespace = 'http://www.w3.org/2000/svg';
const maxUseElements = 200;

/** A reference to an element of the same file, `#id`: the only kind a logo may make. */
const sameDocumentReference = /^#[^\s#]+$/;
/** `url(` followed by anything but a `#id`, quoted or not. */
const foreignUrl = /url\((?!\s*["']?\s*#)/i;
const foreignUrlCall = /url\((?!\s*["']?\s*#)\s*(?:"[^"]*"|'[^']*'|[^)]*)\s*\)/gi;
/** CSS that can fetch without `url(`: strings are URLs in these. */
const fetchingCss = /image-set\s*\(|image\s*\(|\bsrc\s*\(/i;
const importRule = /@import\b[^;]*;?/gi;
/** Elements that show what their href points to: without one that stays in the file, they go. */
const referencingElements = new Set(['image', 'use', 'feimage']);

/**
 * The style sheet or `style` attribute without anything that fetches from elsewhere: `@import`
 * rules go, foreign `url()`s become `none`. Null when that cannot be done safely: CSS escapes
 * could spell `url(` or `@import` in a way no pattern catches, so styles with any are dropped.
 */
export function sameDocumentCss(css: string): string | null {
  if (css.includes('\\') || fetchingCss.test(css)) return null;
  const cleaned = css.replace(importRule, '').replace(foreignUrlCall, 'none');
  return foreignUrl.test(cleaned) || /@import/i.test(cleaned) ? null : cleaned;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SvgRefused('The SVG is not UTF-8 text');
  }
}

/** Refuses what no logo needs and a parser may trip over: other encodings, DTDs, entities. */
function checkPrologue(text: string): void {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new SvgRefused('An SVG with a DOCTYPE or entity declarations is not taken; export it without');
  }
  const encoding = /^\s*<\?xml\b[^>]*\bencoding\s*=\s*["']([^"']*)["']/i.exec(text)?.[1];
  if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) {
    throw new SvgRefused(`The SVG declares the encoding ${encoding}; only UTF-8 is taken`);
  }
}

/** Removes, below and at `root`, whatever would make the logo fetch, link or run anything. */
function keepToSameDocument(root: SvgElement): void {
  for (const element of [root, ...Array.from(root.querySelectorAll('*'))]) {
    for (const attribute of Array.from(element.attributes)) {
      const { localName, value } = attribute;
      if (localName.startsWith('on')) {
        element.removeAttributeNode(attribute);
      } else if (localName === 'href' || attribute.name.endsWith(':href')) {
        if (!sameDocumentReference.test(value.trim())) element.removeAttributeNode(attribute);
      } else if (localName === 'style') {
        const css = sameDocumentCss(value);
        if (css === null) element.removeAttributeNode(attribute);
        else if (css !== value) element.setAttribute('style', css);
      } else if (foreignUrl.test(value) || value.includes('\\')) {
        // Presentation attributes (fill, filter, mask, clip-path, …) take url() too, and a CSS
        // escape could spell it (\75 rl(…)) past any pattern.
        element.removeAttributeNode(attribute);
      }
    }
    if (element.localName === 'style') {
      const css = sameDocumentCss(element.textContent ?? '');
      if (css === null) element.remove();
      else element.textContent = css;
    }
    const referencing = referencingElements.has(element.localName.toLowerCase());
    if (referencing && !Array.from(element.attributes).some((a) => a.localName === 'href')) element.remove();
  }
}

/**
 * An uploaded SVG logo made safe to show anywhere: DOMPurify's SVG profile on a jsdom window,
 * then no scripts, event handlers, foreign objects or references to anything outside the file.
 * Returns the cleaned SVG document; throws `SvgRefused` for anything that is not a plain SVG.
 */
export function sanitizeSvg(bytes: Uint8Array): string {
  const text = decodeUtf8(bytes);
  checkPrologue(text);
  const { window, purify } = loadPurifier();
  const fragment = purify.sanitize(text, {
    USE_PROFILES: { svg: true, svgFilters: true },
    // DOMPurify leaves <use> out because it can pull in other files; here it may only point
    // within this one (see keepToSameDocument), which is how icons reuse their shapes.
    ADD_TAGS: ['use'],
    FORBID_TAGS: ['script', 'foreignObject'],
    // What is removed goes with everything inside it: a foreign object's HTML must not stay as text.
    KEEP_CONTENT: false,
    RETURN_DOM_FRAGMENT: true,
  }) as unknown as { children: ArrayLike<SvgElement> };
  const [root, ...others] = Array.from(fragment.children);
  if (!root || others.length > 0 || root.localName !== 'svg' || root.namespaceURI !== svgNamespace) {
    throw new SvgRefused('The file is not an SVG image: it has no <svg> root element');
  }
  keepToSameDocument(root);
  // Each <use> may draw the shapes of others: nested ones grow exponentially and would freeze
  // every client that shows the logo. No logo needs this many.
  if (root.querySelectorAll('use').length > maxUseElements) {
    throw new SvgRefused(`The SVG repeats shapes more than ${maxUseElements} times (<use>); simplify it`);
  }
  return new window.XMLSerializer().serializeToString(root);
}
