// @vitest-environment happy-dom
// The Markdown dialect and the URL rules of post bodies. DOMPurify cannot sanitize in happy-dom
// (cure53/DOMPurify#1457), so the sanitized DOM is tested in real Chromium
// (tests/e2e/rich-text.test.ts); here it must fail closed.
import { describe, expect, it } from 'vitest';
import { hostilePostBodies } from '../../fixtures/hostile-post-bodies.js';
import { describeLinkTarget } from '@/ui/rich-text/linkTarget.js';
import { createPostMarkdown } from '@/ui/rich-text/markdown.js';
import { renderPostBody } from '@/ui/rich-text/renderPostBody.js';
import { safeLinkHref, safeMediaSrc } from '@/ui/rich-text/safeUrls.js';
import { isSanitizerSupported } from '@/ui/rich-text/sanitizer.js';

const markdown = createPostMarkdown();

describe('post body Markdown', () => {
  it('renders the subset: emphasis, strikethrough, lists, quotes, code, rules and line breaks', () => {
    expect(
      markdown.render(
        '*em* **strong** ~~gone~~\nnext line\n\n- one\n- two\n\n3. third\n\n> quoted\n\n`code`\n\n```js\nblock\n```\n\n---',
      ),
    ).toBe(
      '<p><em>em</em> <strong>strong</strong> <s>gone</s><br>\nnext line</p>\n' +
        '<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<ol start="3">\n<li>third</li>\n</ol>\n' +
        '<blockquote>\n<p>quoted</p>\n</blockquote>\n<p><code>code</code></p>\n' +
        '<pre><code class="language-js">block\n</code></pre>\n<hr>\n',
    );
  });

  it('puts headings below the post title', () => {
    expect(markdown.render('# a\n## b\n### c\n###### f\n\nsetext\n===')).toBe(
      '<h3>a</h3>\n<h4>b</h4>\n<h5>c</h5>\n<h6>f</h6>\n<h3>setext</h3>\n',
    );
  });

  it('shows raw HTML as text instead of interpreting it', () => {
    expect(markdown.render('<b>bold?</b> <img src=x onerror=alert(1)>')).toBe(
      '<p>&lt;b&gt;bold?&lt;/b&gt; &lt;img src=x onerror=alert(1)&gt;</p>\n',
    );
  });

  it('links bare URLs and e-mail addresses, not bare domains', () => {
    expect(markdown.render('www.example.org hr@example.com https://example.com/x //evil.example')).toBe(
      '<p>www.example.org <a href="mailto:hr@example.com">hr@example.com</a> ' +
        '<a href="https://example.com/x">https://example.com/x</a> //evil.example</p>\n',
    );
  });

  it('keeps deep nesting shallow instead of recursing without end', () => {
    const quotes = markdown.render(`${'>'.repeat(20_000)} deep`);
    expect(quotes.split('<blockquote>').length - 1).toBeLessThanOrEqual(20);
    const emphasis = markdown.render(`${'*a '.repeat(5_000)}${' a*'.repeat(5_000)}`);
    expect(emphasis.split('<em>').length - 1).toBe(10);
  });
});

describe('URL policy', () => {
  it('accepts only absolute https/http/mailto/tel link URLs', () => {
    expect(safeLinkHref('https://example.com')).toBe('https://example.com/');
    expect(safeLinkHref('http://example.com/a b')).toBeNull();
    expect(safeLinkHref('mailto:hr@example.com')).toBe('mailto:hr@example.com');
    expect(safeLinkHref('tel:+49711')).toBe('tel:+49711');
    expect(safeLinkHref('JaVaScRiPt:alert(1)')).toBeNull();
    expect(safeLinkHref('java\tscript:alert(1)')).toBeNull();
    expect(safeLinkHref(' javascript:alert(1)')).toBeNull();
    expect(safeLinkHref('java%09script:alert(1)')).toBeNull();
    expect(safeLinkHref('vbscript:x')).toBeNull();
    expect(safeLinkHref('data:text/html,x')).toBeNull();
    expect(safeLinkHref('file:///etc/passwd')).toBeNull();
    expect(safeLinkHref('//evil.example/')).toBeNull();
    expect(safeLinkHref('/relative')).toBeNull();
    expect(safeLinkHref(`https://example.com/${'a'.repeat(5_000)}`)).toBeNull();
  });

  it('accepts images only strictly under the media base', () => {
    const page = 'app://flurfunk/index.html';
    const base = 'app://flurfunk/media/';
    expect(safeMediaSrc('app://flurfunk/media/a.png', base, page)).toBe('app://flurfunk/media/a.png');
    expect(safeMediaSrc('/media/a.png', base, page)).toBe('app://flurfunk/media/a.png');
    expect(safeMediaSrc('/media/../index.html', base, page)).toBeNull();
    expect(safeMediaSrc('/media/%2e%2e/index.html', base, page)).toBeNull();
    expect(safeMediaSrc('/media\\..\\index.html', base, page)).toBeNull();
    expect(safeMediaSrc('app://flurfunk/media/', base, page)).toBeNull();
    expect(safeMediaSrc('app://flurfunk/mediax/a.png', base, page)).toBeNull();
    expect(safeMediaSrc('app://x@flurfunk/media/a.png', base, page)).toBeNull();
    expect(safeMediaSrc('//evil.example/media/a.png', base, page)).toBeNull();
    expect(safeMediaSrc('https://evil.example/media/a.png', base, page)).toBeNull();
    expect(safeMediaSrc('data:image/png;base64,AAAA', base, page)).toBeNull();
    expect(safeMediaSrc('/media/a.png', undefined, page)).toBeNull();
  });
});

describe('link targets', () => {
  it('shows the real host of a web link, in punycode', () => {
    expect(describeLinkTarget('https://user@bücher.example/path?q=1#x')).toEqual({
      href: 'https://user@xn--bcher-kva.example/path?q=1#x',
      kind: 'web',
      before: 'https://user@',
      highlight: 'xn--bcher-kva.example',
      after: '/path?q=1#x',
      // The shell refuses links that put a user name before the host.
      canOpen: false,
    });
  });

  it('opens only what the shell hands to the OS: https, mailto, tel', () => {
    expect(describeLinkTarget('https://example.com')).toMatchObject({
      highlight: 'example.com',
      canOpen: true,
    });
    expect(describeLinkTarget('http://example.com/')).toMatchObject({ kind: 'web', canOpen: false });
    expect(describeLinkTarget('mailto:hr@example.com?subject=Hi')).toMatchObject({
      kind: 'email',
      before: 'mailto:',
      highlight: 'hr@example.com',
      after: '?subject=Hi',
      canOpen: true,
    });
    expect(describeLinkTarget('tel:+49711')).toMatchObject({
      kind: 'phone',
      highlight: '+49711',
      canOpen: true,
    });
    expect(describeLinkTarget('javascript:alert(1)')).toBeNull();
    expect(describeLinkTarget('not a url')).toBeNull();
  });
});

describe('in a DOM too weak for DOMPurify', () => {
  it('is detected instead of trusted', () => {
    expect(isSanitizerSupported()).toBe(false);
  });

  it('shows every hostile body as plain text, never as markup', () => {
    const element = document.createElement('div');
    for (const { name, body } of hostilePostBodies) {
      element.innerHTML = renderPostBody(body, { mediaBase: '/media/' });
      const elements = [...element.querySelectorAll('*')].map((el) => el.localName);
      expect({ name, elements: [...new Set(elements)] }).toEqual({
        name,
        elements: elements.length === 0 ? [] : ['p', 'br'].filter((tag) => elements.includes(tag)),
      });
    }
  });
});
