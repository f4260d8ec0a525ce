// Post bodies written by an attacker render in real Chromium without running anything, loading
// anything or leaving anything but the allowed elements, attributes and URLs. The page has no CSP
// on purpose: whatever got past the sanitizer would really execute and set the canary.
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostilePostBodies } from '../fixtures/hostile-post-bodies.js';
import { launchChromium } from './support/browser.js';
import { repoRoot } from './support/dist.js';

const origin = 'http://rich-text.test';
const mediaBase = `${origin}/media/`;
const richTextDir = path.join(repoRoot, 'renderer/src/ui/rich-text');

/** Everything the Markdown subset may leave in the DOM (deliberately restated here, not imported). */
const allowedElements = new Set(
  'p br em strong s h3 h4 h5 h6 ul ol li blockquote pre code hr a img table thead tbody tr th td'.split(' '),
);
const allowedAttributes = new Set([
  'href',
  'title',
  'src',
  'alt',
  'start',
  'rel',
  'loading',
  'decoding',
  // Only on images, as plain pixel counts (checked below).
  'width',
  'height',
]);
const allowedLinkProtocols = new Set(['https:', 'http:', 'mailto:', 'tel:']);

// A 1×1 transparent PNG, served for the media base.
const pixel = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * Runs in the page (plain JS, so nothing of the test's transpiler leaks in): records canary calls,
 * renders a body into its own <article>, then does what could set off a handler that survived.
 */
const harnessScript = String.raw`
window.__canaryCalls = [];
window.__canary = (name) => { window.__canaryCalls.push(String(name)); };
const triggeredEvents = ['mouseover', 'mouseenter', 'mousemove', 'focus', 'focusin', 'blur', 'toggle',
  'load', 'error', 'animationstart', 'transitionend', 'begin', 'pointerover', 'keydown', 'input'];
// Enough to reach every kind of element a body can produce; all of them on a huge body would take seconds.
const maxProvokedElements = 3000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
function mediaSettled(root) {
  const media = [...root.querySelectorAll('img, video, audio, source, iframe, object, embed, link, script')];
  return Promise.all(media.map((el) => new Promise((resolve) => {
    if (el instanceof HTMLImageElement && el.complete) return resolve();
    el.addEventListener('load', resolve, { once: true });
    el.addEventListener('error', resolve, { once: true });
  })));
}
window.harness = {
  async provoke(root) {
    await Promise.race([mediaSettled(root), sleep(500)]);
    for (const el of [root, ...root.querySelectorAll('*')].slice(0, maxProvokedElements)) {
      if (typeof el.focus === 'function') el.focus();
      for (const type of triggeredEvents) el.dispatchEvent(new Event(type, { bubbles: true }));
    }
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    await sleep(50);
  },
  mount(html) {
    const article = document.createElement('article');
    document.getElementById('posts').append(article);
    article.innerHTML = html;
    return article;
  },
  async renderCase(body, mediaBase, stage) {
    const callsBefore = window.__canaryCalls.length;
    const started = performance.now();
    const html = stage === 'sanitizer'
      ? window.richText.sanitizePostHtml(body, { mediaBase })
      : window.richText.renderPostBody(body, { mediaBase });
    const renderMs = performance.now() - started;
    const article = this.mount(html);
    await this.provoke(article);
    const elements = [...article.querySelectorAll('*')];
    return {
      renderMs,
      htmlLength: html.length,
      elements: [...new Set(elements.map((el) => el.localName))],
      namespaces: [...new Set(elements.map((el) => el.namespaceURI))],
      attributes: [...new Set(elements.flatMap((el) => el.getAttributeNames()))],
      hrefs: [...article.querySelectorAll('[href]')].map((el) => el.getAttribute('href')),
      srcs: [...article.querySelectorAll('[src]')].map((el) => el.getAttribute('src')),
      canaryCalls: window.__canaryCalls.slice(callsBefore),
      headChildren: document.head.children.length,
      styleSheets: document.styleSheets.length,
      baseURI: document.baseURI,
      location: location.href,
    };
  },
  async injectUnsanitized(html) {
    const article = this.mount(html);
    await this.provoke(article);
    return [...window.__canaryCalls];
  },
};
`;

const pageHtml = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>rich text</title>
<script src="/harness.js"></script><script src="/render.js"></script></head>
<body><main id="posts"></main></body></html>`;

/** The whole pipeline, or the sanitizer alone fed the hostile body as if it were HTML. */
type Stage = 'renderPostBody' | 'sanitizer';

type CaseReport = {
  renderMs: number;
  htmlLength: number;
  elements: string[];
  namespaces: string[];
  attributes: string[];
  hrefs: string[];
  srcs: string[];
  canaryCalls: string[];
  headChildren: number;
  styleSheets: number;
  baseURI: string;
  location: string;
};

declare global {
  interface Window {
    __canaryCalls: string[];
    richText: {
      renderPostBody(
        body: string,
        options?: {
          mediaBase?: string;
          images?: ReadonlyMap<string, { src: string; width: number; height: number }>;
        },
      ): string;
      sanitizePostHtml(html: string, options?: { mediaBase?: string }): string;
    };
    harness: {
      renderCase(body: string, mediaBase: string, stage: Stage): Promise<CaseReport>;
      injectUnsanitized(html: string): Promise<string[]>;
    };
  }
}

let browser: Browser;
let page: Page;
let initialHeadChildren: number;
/** Every URL the page asked for, in order; requests after the page's own files come from rendered posts. */
const requests: string[] = [];
const pageErrors: string[] = [];

async function requestsDuring<T>(action: () => Promise<T>): Promise<{ result: T; requested: string[] }> {
  const before = requests.length;
  const result = await action();
  return { result, requested: requests.slice(before).filter((url) => url !== `${origin}/favicon.ico`) };
}

beforeAll(async () => {
  const [bundle, launched] = await Promise.all([
    build({
      // The sanitizer on its own as well: it must hold even if the Markdown stage let raw HTML through.
      stdin: {
        contents: `export { renderPostBody } from './renderPostBody.ts';
          export { sanitizePostHtml } from './sanitizer.ts';`,
        resolveDir: richTextDir,
        loader: 'ts',
      },
      bundle: true,
      format: 'iife',
      globalName: 'richText',
      platform: 'browser',
      target: 'chrome120',
      write: false,
      logLevel: 'silent',
    }),
    launchChromium(),
  ]);
  browser = launched;
  const renderScript = bundle.outputFiles[0]!.text;
  const context = await browser.newContext({ locale: 'en-US' });
  // Nothing leaves the machine: the page and its media are served here, everything else fails.
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === `${origin}/`) return route.fulfill({ contentType: 'text/html', body: pageHtml });
    if (url === `${origin}/harness.js`)
      return route.fulfill({ contentType: 'text/javascript', body: harnessScript });
    if (url === `${origin}/render.js`)
      return route.fulfill({ contentType: 'text/javascript', body: renderScript });
    if (url.startsWith(mediaBase)) return route.fulfill({ contentType: 'image/png', body: pixel });
    return route.abort();
  });
  page = await context.newPage();
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('dialog', (dialog) => void dialog.dismiss());
  await page.goto(`${origin}/`);
  initialHeadChildren = await page.evaluate(() => document.head.children.length);
});

afterAll(async () => {
  await browser?.close();
});

describe('the harness itself', () => {
  it('notices a handler that runs on load, and one that needs provoking', async () => {
    const calls = await page.evaluate(() =>
      window.harness.injectUnsanitized(
        `<img src="/missing.png" onerror="__canary('control-onerror')">` +
          `<div onmouseover="__canary('control-mouseover')">x</div>`,
      ),
    );
    expect(calls).toEqual(expect.arrayContaining(['control-onerror', 'control-mouseover']));
    await page.evaluate(() => {
      window.__canaryCalls.length = 0;
      document.getElementById('posts')!.replaceChildren();
    });
  });

  it('keeps what a post may contain, so the checks below are not vacuous', async () => {
    const { result, requested } = await requestsDuring(() =>
      page.evaluate(
        (base) =>
          window.harness.renderCase(
            '### Hi\n\n**bold** [site](https://example.com/a) <mailto:hr@example.com>\n\n![logo](/media/logo.png)',
            base,
            'renderPostBody',
          ),
        mediaBase,
      ),
    );
    expect(result.elements).toEqual(expect.arrayContaining(['h5', 'strong', 'a', 'img']));
    expect(result.hrefs).toEqual(['https://example.com/a', 'mailto:hr@example.com']);
    expect(result.srcs).toEqual([`${mediaBase}logo.png`]);
    expect(requested).toEqual([`${mediaBase}logo.png`]);
    expect(result.canaryCalls).toEqual([]);
  });
});

function render(body: string): Promise<string> {
  return page.evaluate(([text, base]) => window.richText.renderPostBody(text, { mediaBase: base }), [
    body,
    mediaBase,
  ] as const);
}

describe('the Markdown subset after sanitizing', () => {
  it('keeps the formatting and puts headings below the post title', async () => {
    expect(
      await render('# Title\n## Sub\n*em* **strong** ~~gone~~\nnext\n\n3. c\n\n> q\n\n```js\nx\n```\n\n---'),
    ).toBe(
      '<h3>Title</h3>\n<h4>Sub</h4>\n<p><em>em</em> <strong>strong</strong> <s>gone</s><br>\nnext</p>\n' +
        '<ol start="3">\n<li>c</li>\n</ol>\n<blockquote>\n<p>q</p>\n</blockquote>\n<pre><code>x\n</code></pre>\n<hr>\n',
    );
  });

  it('shows raw HTML as text', async () => {
    expect(await render('<b>bold?</b> <img src=x onerror=alert(1)>')).toBe(
      '<p>&lt;b&gt;bold?&lt;/b&gt; &lt;img src=x onerror=alert(1)&gt;</p>\n',
    );
  });

  it('keeps https, http, mailto and tel links, marked noopener noreferrer', async () => {
    expect(
      await render(
        '[a](https://example.com/a?b=1 "t") [b](http://example.com) <hr@example.com> [c](tel:+49711)',
      ),
    ).toBe(
      '<p><a href="https://example.com/a?b=1" title="t" rel="noopener noreferrer">a</a> ' +
        '<a href="http://example.com/" rel="noopener noreferrer">b</a> ' +
        '<a href="mailto:hr@example.com" rel="noopener noreferrer">hr@example.com</a> ' +
        '<a href="tel:+49711" rel="noopener noreferrer">c</a></p>\n',
    );
  });

  it('keeps the text of any other link but not its target', async () => {
    expect(await render('[a](javascript:alert(1)) [b](/relative) [c](//evil.example/)')).toBe(
      // markdown-it itself refuses javascript: and leaves the source as text.
      '<p>[a](javascript:alert(1)) <a>b</a> <a>c</a></p>\n',
    );
  });

  it('shows images from the media base lazily and others as their alt text', async () => {
    expect(await render('![logo](/media/logo.png "Logo") ![pixel](https://evil.example/p.png)')).toBe(
      `<p><img src="${mediaBase}logo.png" alt="logo" title="Logo" loading="lazy" decoding="async"> pixel</p>\n`,
    );
    const withoutBase = await page.evaluate(() => window.richText.renderPostBody('![logo](/media/logo.png)'));
    expect(withoutBase).toBe('<p>logo</p>\n');
  });

  it('shows the post’s own images written as attachment:<id>, sized, and nothing for any other id', async () => {
    const id = '01a2188e-f82e-77a2-93d2-30225759e5d2';
    const html = await page.evaluate(
      ([fileId, base]) =>
        window.richText.renderPostBody(
          `![Plan](attachment:${fileId}) ![Fremd](attachment:01a2188e-0000-7000-8000-000000000000)`,
          {
            mediaBase: base,
            images: new Map([[fileId, { src: `${base}${fileId}`, width: 640, height: 480 }]]),
          },
        ),
      [id, mediaBase] as const,
    );
    expect(html).toBe(
      `<p><img src="${mediaBase}${id}" alt="Plan" width="640" height="480" loading="lazy" decoding="async"> Fremd</p>\n`,
    );
  });

  it('keeps a size only on images and only as a pixel count', async () => {
    const html = await page.evaluate(
      (base) =>
        window.richText.sanitizePostHtml(
          `<p width="9"><img src="${base}a" width="1e9" height="50"><img src="${base}b" width="100%" height="-1"></p>`,
          { mediaBase: base },
        ),
      mediaBase,
    );
    expect(html).toBe(
      `<p><img src="${mediaBase}a" height="50" loading="lazy" decoding="async">` +
        `<img src="${mediaBase}b" loading="lazy" decoding="async"></p>`,
    );
  });

  it('renders tables without inline styles', async () => {
    expect(await render('| a | b |\n|:--|--:|\n| 1 | 2 |')).toBe(
      '<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n' +
        '<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n',
    );
  });
});

const cases = hostilePostBodies.map((c) => [c.name, c.body] as const);

async function expectHarmless(body: string, stage: Stage): Promise<void> {
  const { result, requested } = await requestsDuring(() =>
    page.evaluate(([text, base, how]) => window.harness.renderCase(text, base, how), [
      body,
      mediaBase,
      stage,
    ] as const),
  );
  expect(result.canaryCalls).toEqual([]);
  expect(result.elements.filter((name) => !allowedElements.has(name))).toEqual([]);
  expect(result.namespaces.filter((ns) => ns !== 'http://www.w3.org/1999/xhtml')).toEqual([]);
  expect(result.attributes.filter((name) => !allowedAttributes.has(name))).toEqual([]);
  for (const href of result.hrefs) expect(allowedLinkProtocols).toContain(new URL(href).protocol);
  for (const src of result.srcs) expect(src.startsWith(mediaBase)).toBe(true);
  expect(requested).toEqual([]);
  expect(result.headChildren).toBe(initialHeadChildren);
  expect(result.styleSheets).toBe(0);
  expect(result.baseURI).toBe(`${origin}/`);
  expect(result.location).toBe(`${origin}/`);
  // Huge inputs must not hang the renderer (generous for a loaded 2-core CI machine).
  expect(result.renderMs).toBeLessThan(3_000);
}

describe('hostile post bodies', () => {
  it('has a corpus worth the name', () => {
    expect(hostilePostBodies.length).toBeGreaterThanOrEqual(40);
    expect(new Set(hostilePostBodies.map((c) => c.name)).size).toBe(hostilePostBodies.length);
  });

  it.each(cases)('%s', (_name, body) => expectHarmless(body, 'renderPostBody'));

  it.each(cases)('sanitizer alone, body as raw HTML: %s', (_name, body) => expectHarmless(body, 'sanitizer'));

  it('set off nothing later either, and nothing left the page', async () => {
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => window.__canaryCalls)).toEqual([]);
    const foreign = requests.filter((url) => !url.startsWith(`${origin}/`));
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
