import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type HtmlTagDescriptor, type Plugin } from 'vite';
import { rendererCsp } from '../electron/shared/renderer-policy.js';
import { appearanceLinkId, appearanceStylesheetPath } from '../protocol/src/branding.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The policy the hosts send as a header, minus `frame-ancestors`, which a meta tag cannot carry
 * (browsers ignore it there and warn).
 */
export function metaCsp(csp: string): string {
  return csp
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive !== '' && !/^frame-ancestors(\s|$)/i.test(directive))
    .join('; ');
}

export function cspMetaTag(): HtmlTagDescriptor {
  return {
    tag: 'meta',
    attrs: { 'http-equiv': 'Content-Security-Policy', content: metaCsp(rendererCsp()) },
    injectTo: 'head-prepend',
  };
}

/**
 * Writes the hosts' CSP into index.html, so the page keeps it wherever it is opened, even without
 * the headers (vite preview, a copied dist/). Generated, so there is one policy: rendererCsp().
 */
function rendererCspMeta(): Plugin {
  return { name: 'flurfunk-renderer-csp-meta', transformIndexHtml: () => [cspMetaTag()] };
}

/**
 * Links the company's branding (served by the hosts from the core's cache, not part of the bundle)
 * in the head: a stylesheet there blocks the first paint, so the app never shows in the default
 * colours first.
 */
function brandingStylesheetLink(): Plugin {
  return {
    name: 'flurfunk-branding-stylesheet',
    transformIndexHtml: () => [
      {
        tag: 'link',
        attrs: { rel: 'stylesheet', id: appearanceLinkId, href: appearanceStylesheetPath },
        injectTo: 'head',
      },
    ],
  };
}

export default defineConfig({
  root: here('.'),
  // Relative asset URLs: the app is served from app:// in Electron and from the browser host's root.
  base: './',
  plugins: [vue(), rendererCspMeta(), brandingStylesheetLink()],
  resolve: {
    alias: {
      '@flurfunk/protocol': here('../protocol/src/index.ts'),
      '@': here('./src'),
    },
  },
  define: {
    // vue-i18n feature flags: composition API only, no devtools hooks in production.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __INTLIFY_DROP_MESSAGE_COMPILER__: false,
  },
  build: {
    outDir: here('../dist/renderer'),
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    // Everything as files: the CSP allows no inline scripts or styles.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: { checks: { pluginTimings: false } },
  },
});
