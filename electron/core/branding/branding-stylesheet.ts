import { type Branding, type SchemePalette, brandAssetPath, brandPalette } from '@flurfunk/protocol';

/** The renderer's colour tokens (renderer/src/ui/styles/base.css) a brand palette sets. */
const paletteTokens: Record<keyof SchemePalette, string> = {
  accent: '--ff-color-accent',
  accentHover: '--ff-color-accent-hover',
  onAccent: '--ff-color-on-accent',
  accentSoft: '--ff-color-accent-soft',
  link: '--ff-color-link',
  focus: '--ff-color-focus',
  brandAccent: '--ff-color-brand',
};

const systemFontStack = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/**
 * The company's branding as CSS: custom properties that override the built-in tokens (in both
 * colour schemes, through `light-dark()`), and the uploaded font faces. Every value comes from a
 * schema-checked `Branding` (hex colours, font names of letters, digits, spaces and hyphens,
 * SHA-256 asset ids), so nothing in it can end a declaration early. Empty for the built-in
 * branding: the renderer's own stylesheet already is it.
 */
export function brandingStylesheet(branding: Branding): string {
  if (branding.revision === 0) return '';
  const { palette } = brandPalette(branding);
  const fonts = branding.fontFamily === null ? [] : branding.fonts;
  const faces = fonts.map(
    (face) =>
      `@font-face {\n  font-family: "${branding.fontFamily}";\n  src: url("${brandAssetPath(face.asset.id)}") format("woff2");\n` +
      `  font-weight: ${face.weight};\n  font-style: ${face.style};\n  font-display: block;\n}\n`,
  );
  const families = [branding.fontFamily, ...branding.fontFallback].flatMap((name) =>
    name === null ? [] : [`"${name}"`],
  );
  const declarations = [
    ...Object.entries(paletteTokens).map(
      ([key, token]) =>
        `  ${token}: light-dark(${palette.light[key as keyof SchemePalette]}, ${palette.dark[key as keyof SchemePalette]});`,
    ),
    ...(families.length > 0 ? [`  --ff-font: ${[...families, systemFontStack].join(', ')};`] : []),
    ...(branding.logo ? [`  --ff-brand-logo: url("${brandAssetPath(branding.logo.id)}");`] : []),
    ...(branding.loginBackground
      ? [`  --ff-brand-login-background: url("${brandAssetPath(branding.loginBackground.id)}");`]
      : []),
  ];
  // `:root:root` outranks the renderer's own `:root` tokens whichever stylesheet loads last.
  return `/* branding revision ${branding.revision} */\n${faces.join('')}:root:root {\n${declarations.join('\n')}\n}\n`;
}
