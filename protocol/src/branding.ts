import { z } from 'zod';
import { Timestamp } from './chat.js';

/**
 * The company's branding: app name, colours, fonts, logo and login background. The IT admin sets
 * it on the server; every client applies it as CSS custom properties before its first paint.
 */

export const HexColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'a colour is written #rrggbb')
  // An overwrite, not a transform: the server also encodes responses with this schema.
  .toLowerCase();
export type HexColor = z.output<typeof HexColor>;

/**
 * A font family name as it goes into CSS: letters, digits, spaces and hyphens only, so a name can
 * never close its quotes or start another rule in the stylesheet a client builds from it.
 */
export const FontFamilyName = z
  .string()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} -]{0,62}$/u, 'a font name has letters, digits, spaces and hyphens');

export const genericFontFamilies = ['system-ui', 'sans-serif', 'serif', 'monospace', 'ui-rounded'] as const;

export const BrandingSettings = z
  .object({
    appName: z.string().trim().min(1).max(40),
    primaryColor: HexColor,
    accentColor: HexColor,
    /** The family the uploaded WOFF2 faces are declared as; null for the system font. */
    fontFamily: FontFamilyName.nullable(),
    /** Installed fonts to try before the system font, e.g. for a face not uploaded. */
    fontFallback: z.array(FontFamilyName).max(6),
  })
  .strict();
export type BrandingSettings = z.output<typeof BrandingSettings>;

export const defaultBrandingSettings: BrandingSettings = {
  appName: 'Flurfunk',
  primaryColor: '#0a5bb0',
  accentColor: '#0a5bb0',
  fontFamily: null,
  fontFallback: [],
};

export const brandImageTypes = ['image/svg+xml', 'image/png', 'image/jpeg', 'image/webp'] as const;
export const BrandImageType = z.enum(brandImageTypes);
export const fontMediaType = 'font/woff2';

export const maxBrandImageBytes = 2 * 1024 * 1024;
export const maxBrandFontBytes = 1024 * 1024;

/** An uploaded logo, background or font face, named by the SHA-256 of its bytes. */
export const BrandAsset = z
  .object({
    id: z.string().regex(/^[0-9a-f]{64}$/),
    mediaType: z.enum([...brandImageTypes, fontMediaType]),
    size: z.number().int().positive().max(maxBrandImageBytes),
  })
  .strict();
export type BrandAsset = z.infer<typeof BrandAsset>;

export const FontWeight = z.union([z.literal(400), z.literal(700)]);
export const FontStyle = z.enum(['normal', 'italic']);
export const BrandFontFace = z.object({ weight: FontWeight, style: FontStyle, asset: BrandAsset }).strict();
export type BrandFontFace = z.infer<typeof BrandFontFace>;

/** The kinds of file the admin uploads; a font face is named `font-<weight>-<style>`. */
export const BrandAssetSlot = z.enum([
  'logo',
  'loginBackground',
  'font-400-normal',
  'font-400-italic',
  'font-700-normal',
  'font-700-italic',
]);
export type BrandAssetSlot = z.infer<typeof BrandAssetSlot>;

export const Branding = BrandingSettings.extend({
  /** Counts every change; 0 is the built-in Flurfunk branding nobody has changed. */
  revision: z.number().int().nonnegative(),
  updatedAt: Timestamp.nullable(),
  logo: BrandAsset.nullable(),
  loginBackground: BrandAsset.nullable(),
  fonts: z.array(BrandFontFace).max(4),
}).strict();
export type Branding = z.infer<typeof Branding>;

export const defaultBranding: Branding = {
  ...defaultBrandingSettings,
  revision: 0,
  updatedAt: null,
  logo: null,
  loginBackground: null,
  fonts: [],
};

/** What the admin API answers to a change: the branding now, and what dark mode shows lighter. */
/** A colour the app shows differently in dark mode so that it keeps its contrast there. */
export const BrandColorAdjustment = z
  .object({ field: z.enum(['primaryColor', 'accentColor']), color: HexColor, darkModeColor: HexColor })
  .strict();
export type BrandColorAdjustment = z.infer<typeof BrandColorAdjustment>;

export const BrandingSaved = z
  .object({ branding: Branding, adjustments: z.array(BrandColorAdjustment) })
  .strict();
export type BrandingSaved = z.infer<typeof BrandingSaved>;

/**
 * Where both client hosts serve the appearance stylesheet (the company's branding and this
 * device's theme) and the branding's files, on the app's own origin: the page links the
 * stylesheet in its head, and shows the logo from there.
 */
export const appearanceStylesheetPath = '/appearance.css';
/** The id of the page's `<link>` to it, which the renderer re-points when the appearance changes. */
export const appearanceLinkId = 'ff-appearance';
export const brandAssetPathPrefix = '/branding/';
export const brandAssetPath = (id: string): string => `${brandAssetPathPrefix}${id}`;

/** The branding is one entity; its sync id never changes. */
export const brandingEntityId = '00000000-0000-4000-8000-00000000b0a0';

// ---------------------------------------------------------------------------------------------
// Contrast (WCAG 2.1): one palette per colour scheme, derived from the two brand colours.

/** The app's own surfaces (renderer/src/ui/styles/base.css), which branding does not change. */
export const appSurfaces = {
  light: { background: '#f4f6f8', surface: '#ffffff', surfaceMuted: '#eef1f4', text: '#1a1f26' },
  dark: { background: '#14181d', surface: '#1c2128', surfaceMuted: '#232a33', text: '#e8ecf1' },
} as const;

/** WCAG AA: body text 4.5:1, user-interface components and graphics 3:1. */
export const textContrast = 4.5;
export const componentContrast = 3;

function channels(color: string): [number, number, number] {
  const value = Number.parseInt(color.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

function toHex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2.1 relative luminance of an sRGB colour. */
export function relativeLuminance(color: string): number {
  const [r, g, b] = channels(color).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [lighter, darker] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [
    number,
    number,
  ];
  return (lighter + 0.05) / (darker + 0.05);
}

/** `from` moved the share `amount` (0–1) of the way to `to`, per sRGB channel. */
export function mixColors(from: string, to: string, amount: number): string {
  const a = channels(from);
  const b = channels(to);
  return toHex([0, 1, 2].map((i) => a[i]! + (b[i]! - a[i]!) * amount) as [number, number, number]);
}

/** The first step from `color` towards `target` that has `ratio` against every one of `against`. */
function nearestPassing(color: string, target: string, against: readonly string[], ratio: number): string {
  for (let step = 0; step <= 50; step += 1) {
    const candidate = mixColors(color, target, step / 50);
    if (against.every((other) => contrastRatio(candidate, other) >= ratio)) return candidate;
  }
  return target;
}

export interface SchemePalette {
  /** Buttons, links, focus rings, selected items. */
  accent: string;
  accentHover: string;
  /** Text and icons on `accent`. */
  onAccent: string;
  /** A quiet background for selected and highlighted items. */
  accentSoft: string;
  link: string;
  focus: string;
  /** The brand's second colour: the header stripe and the current view's marker. */
  brandAccent: string;
}

export interface BrandPalette {
  light: SchemePalette;
  dark: SchemePalette;
}

/** A colour the server refuses: it fails WCAG AA in light mode, where it is used as given. */
export interface BrandColorProblem {
  field: 'primaryColor' | 'accentColor';
  color: string;
  ratio: number;
  required: number;
  /** The nearest darker colour that passes. */
  suggestion: string;
}

export interface BrandPaletteReport {
  palette: BrandPalette;
  problems: BrandColorProblem[];
  adjustments: BrandColorAdjustment[];
}

const round = (ratio: number) => Math.floor(ratio * 100) / 100;

/**
 * The palettes both colour schemes use, with what fails WCAG AA in light mode (the colours are
 * used as given there) and what dark mode shows lighter to keep 4.5:1 for text and 3:1 for
 * components. Server and admin screen both judge colours by this one function.
 */
export function brandPalette(colors: { primaryColor: string; accentColor: string }): BrandPaletteReport {
  const { light, dark } = appSurfaces;
  const primary = colors.primaryColor.toLowerCase();
  const accent = colors.accentColor.toLowerCase();
  const problems: BrandColorProblem[] = [];
  const adjustments: BrandColorAdjustment[] = [];

  // Light mode: the primary colour carries white button text and is the link colour on every surface.
  const lightTextBackgrounds = ['#ffffff', light.background, light.surfaceMuted];
  const primaryRatio = Math.min(...lightTextBackgrounds.map((bg) => contrastRatio(primary, bg)));
  if (primaryRatio < textContrast) {
    problems.push({
      field: 'primaryColor',
      color: primary,
      ratio: round(primaryRatio),
      required: textContrast,
      suggestion: nearestPassing(primary, '#000000', lightTextBackgrounds, textContrast),
    });
  }
  const accentRatio = contrastRatio(accent, light.surface);
  if (accentRatio < componentContrast) {
    problems.push({
      field: 'accentColor',
      color: accent,
      ratio: round(accentRatio),
      required: componentContrast,
      suggestion: nearestPassing(accent, '#000000', [light.surface], componentContrast),
    });
  }

  // Dark mode: the brand colours lightened until they stand out against the dark surfaces.
  const darkTextBackgrounds = [dark.background, dark.surface, dark.surfaceMuted];
  const darkPrimary = nearestPassing(primary, '#ffffff', darkTextBackgrounds, textContrast);
  const darkOnAccent = nearestPassing(
    mixColors(primary, '#000000', 0.8),
    '#000000',
    [darkPrimary],
    textContrast,
  );
  const darkAccent = nearestPassing(accent, '#ffffff', [dark.surface], componentContrast);
  if (darkPrimary !== primary)
    adjustments.push({ field: 'primaryColor', color: primary, darkModeColor: darkPrimary });
  if (darkAccent !== accent)
    adjustments.push({ field: 'accentColor', color: accent, darkModeColor: darkAccent });
  const darkLink = nearestPassing(darkPrimary, '#ffffff', darkTextBackgrounds, 6);

  return {
    palette: {
      light: {
        accent: primary,
        accentHover: mixColors(primary, '#000000', 0.18),
        onAccent: '#ffffff',
        accentSoft: mixColors(primary, '#ffffff', 0.88),
        link: primary,
        focus: primary,
        brandAccent: accent,
      },
      dark: {
        accent: darkPrimary,
        accentHover: mixColors(darkPrimary, '#ffffff', 0.2),
        onAccent: darkOnAccent,
        accentSoft: mixColors(primary, dark.background, 0.72),
        link: darkLink,
        focus: darkLink,
        brandAccent: darkAccent,
      },
    },
    problems,
    adjustments,
  };
}
