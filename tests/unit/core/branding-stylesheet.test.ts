import { describe, expect, it } from 'vitest';
import { type Branding, brandPalette, defaultBranding } from '@flurfunk/protocol';
import { brandingStylesheet } from '../../../electron/core/branding/branding-stylesheet.js';

const asset = (fill: string, mediaType: 'image/svg+xml' | 'image/png' | 'font/woff2') => ({
  id: fill.repeat(64).slice(0, 64),
  mediaType,
  size: 100,
});

const acme: Branding = {
  ...defaultBranding,
  revision: 3,
  updatedAt: '2026-11-27T08:00:00.000Z',
  appName: 'Acme */ body { display: none } /*',
  primaryColor: '#7a1f5c',
  accentColor: '#c2410c',
  fontFamily: 'Acme Sans',
  fontFallback: ['Segoe UI', 'Noto Sans'],
  logo: asset('a', 'image/svg+xml'),
  loginBackground: asset('b', 'image/png'),
  fonts: [
    { weight: 400, style: 'normal', asset: asset('c', 'font/woff2') },
    { weight: 700, style: 'italic', asset: asset('d', 'font/woff2') },
  ],
};

describe('branding stylesheet', () => {
  it('is empty for the built-in branding, which the renderer’s own tokens already are', () => {
    expect(brandingStylesheet(defaultBranding)).toBe('');
  });

  it('sets the colour tokens for both schemes from the brand palette', () => {
    const css = brandingStylesheet(acme);
    const { palette } = brandPalette(acme);
    expect(css).toContain(`--ff-color-accent: light-dark(${palette.light.accent}, ${palette.dark.accent});`);
    expect(css).toContain(
      `--ff-color-on-accent: light-dark(${palette.light.onAccent}, ${palette.dark.onAccent});`,
    );
    expect(css).toContain(`--ff-color-brand: light-dark(#c2410c, ${palette.dark.brandAccent});`);
    expect(css).toMatch(/^:root:root \{$/m);
  });

  it('declares each uploaded face and puts the family before its fallbacks and the system font', () => {
    const css = brandingStylesheet(acme);
    expect(css.match(/@font-face/g)).toHaveLength(2);
    expect(css).toContain(`src: url("/branding/${'c'.repeat(64)}") format("woff2");`);
    expect(css).toContain('font-weight: 700;\n  font-style: italic;');
    expect(css).toContain('font-display: block;');
    expect(css).toMatch(/--ff-font: "Acme Sans", "Segoe UI", "Noto Sans", system-ui,/);
  });

  it('names the logo and the login background by their hashes on the app’s own origin', () => {
    const css = brandingStylesheet(acme);
    expect(css).toContain(`--ff-brand-logo: url("/branding/${'a'.repeat(64)}");`);
    expect(css).toContain(`--ff-brand-login-background: url("/branding/${'b'.repeat(64)}");`);
  });

  it('never writes the free-text app name into the stylesheet', () => {
    expect(brandingStylesheet(acme)).not.toContain('Acme */');
    expect(brandingStylesheet(acme)).not.toContain('display: none');
  });

  it('leaves the font alone when no family is named, even with faces uploaded', () => {
    const css = brandingStylesheet({ ...acme, fontFamily: null, fontFallback: [] });
    expect(css).not.toContain('@font-face');
    expect(css).not.toContain('--ff-font');
  });
});
