import { describe, expect, it } from 'vitest';
import { rendererCsp, rendererSecurityHeaders } from '../../../electron/shared/renderer-policy.js';
import viteConfig, { cspMetaTag, metaCsp } from '../../../renderer/vite.config.js';

describe('renderer content security policy', () => {
  it('is exactly the strict policy: own bundle only, no plugins, no framing, no forms', () => {
    expect(rendererCsp()).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it('allows no inline or eval script and names no remote host', () => {
    const csp = rendererCsp();
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|wasm-unsafe-eval|\*|https?:|wss?:/);
  });

  it('is sent with every renderer file together with nosniff', () => {
    expect(rendererSecurityHeaders()).toMatchObject({
      'Content-Security-Policy': rendererCsp(),
      'X-Content-Type-Options': 'nosniff',
    });
  });
});

describe('the CSP meta tag written into index.html at build time', () => {
  it('carries the header policy minus frame-ancestors, which meta tags ignore', () => {
    const content = String(cspMetaTag().attrs?.content);
    const headerDirectives = rendererCsp().split('; ');
    expect(content.split('; ')).toEqual(headerDirectives.filter((d) => !d.startsWith('frame-ancestors')));
    expect(content).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'",
    );
  });

  it('goes first into <head>, so it governs every script and style the page loads', () => {
    expect(cspMetaTag()).toMatchObject({
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy' },
      injectTo: 'head-prepend',
    });
  });

  it('is produced by a plugin of the renderer build', async () => {
    const plugins = (viteConfig.plugins ?? []).flat();
    const cspPlugin = plugins.find(
      (plugin) => typeof plugin === 'object' && plugin !== null && 'transformIndexHtml' in plugin,
    ) as { transformIndexHtml: () => unknown } | undefined;
    expect(await cspPlugin?.transformIndexHtml()).toEqual([cspMetaTag()]);
  });

  it('drops only frame-ancestors from any policy', () => {
    expect(metaCsp("default-src 'self'; frame-ancestors 'none'; img-src data:;")).toBe(
      "default-src 'self'; img-src data:",
    );
  });
});
