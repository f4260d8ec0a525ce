/**
 * The SVG logo sanitizer: whatever could run, link or fetch from elsewhere is removed or the file
 * refused, and an ordinary logo comes out as it went in.
 */
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { SvgRefused, sameDocumentCss, sanitizeSvg } from '../../../server/src/branding/sanitize-svg.js';

const svgOpen =
  '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 40">';
const sanitized = (body: string) => sanitizeSvg(Buffer.from(`${svgOpen}${body}</svg>`));

/** The sanitized SVG as an XML document, as a browser loads it from an <img>. */
function parsed(svg: string): Document {
  const document = new new JSDOM('').window.DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(document.getElementsByTagName('parsererror')).toHaveLength(0);
  expect(document.documentElement.namespaceURI).toBe('http://www.w3.org/2000/svg');
  return document;
}

const attributesOf = (document: Document) =>
  Array.from(document.querySelectorAll('*')).flatMap((element) =>
    Array.from(element.attributes).map((attribute) => `${attribute.name}=${attribute.value}`),
  );

describe('sanitizeSvg', () => {
  it('keeps an ordinary logo as it is: shapes, a gradient used through url(#g), text', () => {
    const logo =
      '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40" viewBox="0 0 160 40">' +
      '<title>Müller &amp; Söhne</title>' +
      '<defs><linearGradient id="g" x1="0" x2="1" gradientUnits="objectBoundingBox">' +
      '<stop offset="0" stop-color="#0a5bb0"/><stop offset="1" stop-color="#5fb0ff"/></linearGradient>' +
      '<style>.mark { fill: url(#g); } .name { font-weight: 700; }</style></defs>' +
      '<path class="mark" d="M4 4h32v32H4z"/><circle cx="20" cy="20" r="8" fill="#ffffff" style="opacity: 0.8"/>' +
      '<g transform="translate(44 0)"><text class="name" x="0" y="26" font-family="sans-serif" font-size="16">Müller &amp; Söhne</text></g>' +
      '</svg>';
    expect(sanitizeSvg(Buffer.from(logo))).toBe(logo);
  });

  it('keeps an XML declaration out and internal references made with <use> in', () => {
    const svg = sanitizeSvg(
      Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?>\n<!-- exported -->\n${svgOpen}<defs><circle id="dot" r="4"/></defs><use xlink:href="#dot" x="10"/><use href="#dot" x="20"/></svg>`,
      ),
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(parsed(svg).querySelectorAll('use')).toHaveLength(2);
  });

  it('removes <script> elements, wherever they are', () => {
    const svg = sanitized(
      '<script>alert(1)</script><g><script type="text/ecmascript">alert(2)</script><rect width="4" height="4"/></g>',
    );
    expect(svg).not.toMatch(/script|alert/i);
    expect(parsed(svg).querySelectorAll('rect')).toHaveLength(1);
  });

  it('removes every event handler, on the root too', () => {
    const svg = sanitizeSvg(
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="4" height="4" onclick="alert(2)" onmouseover="alert(3)"/><animateTransform attributeName="transform" type="rotate" onbegin="alert(4)"/></svg>',
      ),
    );
    expect(attributesOf(parsed(svg)).filter((attribute) => attribute.startsWith('on'))).toEqual([]);
    expect(svg).not.toContain('alert');
  });

  it('removes links anywhere but into the file itself', () => {
    const svg = sanitized(
      '<a href="javascript:alert(1)"><rect id="r" width="4" height="4"/></a>' +
        '<a xlink:href="https://example.com/"><text>x</text></a>' +
        '<a href="  JaVaScRiPt:alert(2)"><text>y</text></a><a href="#r"><text>z</text></a>',
    );
    const document = parsed(svg);
    const hrefs = Array.from(document.querySelectorAll('a')).map(
      (a) => a.getAttribute('href') ?? a.getAttributeNS('http://www.w3.org/1999/xlink', 'href'),
    );
    expect(hrefs).toEqual([null, null, null, '#r']);
    expect(svg).not.toMatch(/javascript|example\.com/i);
  });

  it('removes images and <use>s that point outside the file', () => {
    const svg = sanitized(
      '<image href="https://tracker.example/pixel.png" width="1" height="1"/>' +
        '<image xlink:href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>' +
        '<use href="https://evil.example/sprite.svg#icon"/><use xlink:href="sprite.svg#icon"/>' +
        '<filter id="f"><feImage href="//evil.example/x.png"/></filter>',
    );
    const document = parsed(svg);
    expect(document.querySelectorAll('image, use')).toHaveLength(0);
    expect(document.getElementsByTagName('feImage')).toHaveLength(0);
    expect(svg).not.toMatch(/example|sprite|data:/);
  });

  it('turns foreign url()s in style attributes and presentation attributes into nothing', () => {
    const svg = sanitized(
      '<linearGradient id="g"/>' +
        '<rect width="4" height="4" style="fill: url(https://evil.example/a.svg#p); stroke: url( \'#g\' )"/>' +
        '<rect width="4" height="4" style="background: url(&quot;//evil.example/b.png&quot;)"/>' +
        '<rect width="4" height="4" fill="url(https://evil.example/c.svg#p)" filter="url(#g)"/>',
    );
    expect(svg).not.toContain('evil.example');
    const rects = Array.from(parsed(svg).querySelectorAll('rect'));
    expect(rects.map((rect) => rect.getAttribute('style'))).toEqual([
      "fill: none; stroke: url( '#g' )",
      'background: none',
      null,
    ]);
    expect(rects[2]?.getAttribute('fill')).toBeNull();
    expect(rects[2]?.getAttribute('filter')).toBe('url(#g)');
  });

  it('removes @import and foreign url()s from <style> elements, and styles that hide them in escapes', () => {
    const svg = sanitized(
      '<style>@import url(https://evil.example/a.css); @import "https://evil.example/b.css";' +
        ' .a { fill: url(#g); } .b { background: url(https://evil.example/c.png) }</style>' +
        '<style>.c { background: u\\72l(https://evil.example/d.png) }</style>' +
        '<rect width="4" height="4" style="background: image-set(\'https://evil.example/e.png\' 1x)"/>',
    );
    expect(svg).not.toMatch(/evil\.example|@import/);
    const styles = Array.from(parsed(svg).querySelectorAll('style')).map((style) => style.textContent);
    expect(styles).toEqual(['  .a { fill: url(#g); } .b { background: none }']);
    expect(parsed(svg).querySelector('rect')?.hasAttribute('style')).toBe(false);
  });

  it('removes presentation attributes that spell url( with a CSS escape', () => {
    const svg = parsed(
      sanitized('<rect width="10" height="10" fill="\\75 rl(https://evil.example/x)" stroke="#000"/>'),
    );
    expect(attributesOf(svg).filter((attribute) => attribute.startsWith('fill'))).toEqual([]);
    expect(attributesOf(svg)).toContain('stroke=#000');
  });

  it('refuses a logo whose <use>s could multiply without end', () => {
    const uses = Array.from({ length: 201 }, (_, i) => `<use href="#a" x="${i}"/>`).join('');
    expect(() => sanitized(`<defs><rect id="a" width="1" height="1"/></defs>${uses}`)).toThrow(SvgRefused);
    const few = Array.from({ length: 20 }, (_, i) => `<use href="#a" x="${i}"/>`).join('');
    expect(sanitized(`<defs><rect id="a" width="1" height="1"/></defs>${few}`)).toContain('<use');
  });

  it('removes <foreignObject> with the HTML inside it', () => {
    const svg = sanitized(
      '<foreignObject width="100" height="40"><div xmlns="http://www.w3.org/1999/xhtml"><p>Sign in again</p>' +
        '<iframe src="https://evil.example/"></iframe><img src="x" onerror="alert(1)"/></div></foreignObject>' +
        '<rect width="4" height="4"/>',
    );
    expect(svg).not.toMatch(/foreignObject|Sign in|iframe|img|alert|evil/i);
    expect(parsed(svg).querySelectorAll('rect')).toHaveLength(1);
  });

  it('refuses a DOCTYPE with entities, even an innocent-looking one', () => {
    const billionLaughs =
      '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' +
      `${svgOpen}<text>&lol2;</text></svg>`;
    expect(() => sanitizeSvg(Buffer.from(billionLaughs))).toThrow(SvgRefused);
    expect(() => sanitizeSvg(Buffer.from(`<!DOCTYPE svg>${svgOpen}</svg>`))).toThrow(/DOCTYPE/);
    expect(() => sanitizeSvg(Buffer.from(`${svgOpen}<!ENTITY x "y"></svg>`))).toThrow(/entity/);
  });

  it('refuses text that is not UTF-8, or says it is something else', () => {
    const latin1 = Buffer.from(`${svgOpen}<text>Gr\u00fc\u00dfe</text></svg>`, 'latin1');
    expect(() => sanitizeSvg(latin1)).toThrow(/UTF-8/);
    const utf16 = Buffer.from(`\ufeff${svgOpen}</svg>`, 'utf16le');
    expect(() => sanitizeSvg(utf16)).toThrow(/UTF-8/);
    const declared = Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>${svgOpen}</svg>`);
    expect(() => sanitizeSvg(declared)).toThrow(/ISO-8859-1/);
  });

  it('refuses a file with no <svg> root once sanitized', () => {
    for (const text of [
      'just text',
      '<html><body><p>not a logo</p></body></html>',
      '<script>alert(1)</script>',
      `<div>${svgOpen}</svg></div>`,
      `${svgOpen}</svg>${svgOpen}</svg>`,
      '',
    ]) {
      expect(() => sanitizeSvg(Buffer.from(text)), text).toThrow(/no <svg> root/);
    }
  });
});

describe('sameDocumentCss', () => {
  it('keeps what stays in the file and drops what could fetch', () => {
    expect(sameDocumentCss('fill: url(#a); stroke: url("#b")')).toBe('fill: url(#a); stroke: url("#b")');
    expect(sameDocumentCss('fill: URL(https://x.example/)')).toBe('fill: none');
    expect(sameDocumentCss('@IMPORT "x.css"; .a{}')).toBe(' .a{}');
    expect(sameDocumentCss('fill: url("https://x.example/")')).toBe('fill: none');
    expect(sameDocumentCss('fill: url("unterminated')).toBeNull();
    expect(sameDocumentCss('@font-face { src: url(https://x.example/f.woff2) }')).toBe(
      '@font-face { src: none }',
    );
    expect(sameDocumentCss('a { background: \\75rl(x) }')).toBeNull();
  });
});
