import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Branding,
  BrandingSettings,
  appSurfaces,
  brandPalette,
  contrastRatio,
  defaultBranding,
  defaultBrandingSettings,
} from '@flurfunk/protocol';

const hexColor = fc
  .integer({ min: 0, max: 0xffffff })
  .map((value) => `#${value.toString(16).padStart(6, '0')}`);

describe('contrast (WCAG 2.1)', () => {
  it('measures the known extremes and the classic grey', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    // #767676 is the lightest grey that passes 4.5:1 on white; #777777 just fails.
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
  });
});

describe('brand palette', () => {
  it('accepts the built-in colours and keeps them as they are in light mode', () => {
    const report = brandPalette(defaultBrandingSettings);
    expect(report.problems).toEqual([]);
    expect(report.palette.light.accent).toBe(defaultBrandingSettings.primaryColor);
    expect(report.palette.light.onAccent).toBe('#ffffff');
  });

  it('refuses a primary colour white text cannot be read on, and names a darker one that passes', () => {
    const report = brandPalette({ primaryColor: '#FFCC00', accentColor: '#0a5bb0' });
    expect(report.problems).toHaveLength(1);
    const [problem] = report.problems;
    expect(problem).toMatchObject({ field: 'primaryColor', color: '#ffcc00', required: 4.5 });
    expect(problem!.ratio).toBeLessThan(2);
    expect(contrastRatio(problem!.suggestion, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(problem!.suggestion, appSurfaces.light.surfaceMuted)).toBeGreaterThanOrEqual(4.5);
  });

  it('refuses an accent colour that does not stand out from white by 3:1', () => {
    const report = brandPalette({ primaryColor: '#0a5bb0', accentColor: '#f0f0f0' });
    expect(report.problems.map((p) => p.field)).toEqual(['accentColor']);
    expect(contrastRatio(report.problems[0]!.suggestion, '#ffffff')).toBeGreaterThanOrEqual(3);
  });

  it('lightens a dark brand colour for dark mode and says so', () => {
    const report = brandPalette({ primaryColor: '#003366', accentColor: '#003366' });
    expect(report.problems).toEqual([]);
    expect(report.adjustments.map((a) => a.field).sort()).toEqual(['accentColor', 'primaryColor']);
    const primary = report.adjustments.find((a) => a.field === 'primaryColor')!;
    expect(primary.darkModeColor).toBe(report.palette.dark.accent);
    expect(primary.darkModeColor).not.toBe('#003366');
  });

  it('keeps every pair it derives readable in both schemes, for any colour that passes light mode', () => {
    fc.assert(
      fc.property(hexColor, hexColor, (primaryColor, accentColor) => {
        const { problems, palette } = brandPalette({ primaryColor, accentColor });
        for (const problem of problems) {
          const report = brandPalette({ primaryColor, accentColor, [problem.field]: problem.suggestion });
          expect(report.problems.map((p) => p.field)).not.toContain(problem.field);
        }
        const { dark, light } = appSurfaces;
        for (const surface of [dark.background, dark.surface, dark.surfaceMuted]) {
          expect(contrastRatio(palette.dark.accent, surface)).toBeGreaterThanOrEqual(4.5);
          expect(contrastRatio(palette.dark.link, surface)).toBeGreaterThanOrEqual(4.5);
        }
        expect(contrastRatio(palette.dark.onAccent, palette.dark.accent)).toBeGreaterThanOrEqual(4.5);
        expect(contrastRatio(palette.dark.brandAccent, dark.surface)).toBeGreaterThanOrEqual(3);
        expect(contrastRatio(dark.text, palette.dark.accentSoft)).toBeGreaterThanOrEqual(4.5);
        if (problems.length === 0) {
          expect(contrastRatio(light.text, palette.light.accentSoft)).toBeGreaterThanOrEqual(4.5);
        }
      }),
    );
  });
});

describe('branding schema', () => {
  it('lets no value through that could break out of the stylesheet built from it', () => {
    const hostile = [
      { fontFamily: 'Acme"; } body { display: none; } x {' },
      { fontFamily: 'Acme</style>' },
      { fontFallback: ['Arial', 'x) url(https://evil.example/x'] },
      { primaryColor: 'red; background: url(x)' },
      { accentColor: '#12345' },
    ];
    for (const change of hostile) {
      expect(BrandingSettings.safeParse({ ...defaultBrandingSettings, ...change }).success).toBe(false);
    }
    expect(
      Branding.safeParse({
        ...defaultBranding,
        logo: { id: '../../etc/passwd', mediaType: 'image/png', size: 1 },
      }).success,
    ).toBe(false);
  });

  it('takes font names in any script, and colours in either case', () => {
    const parsed = BrandingSettings.parse({
      ...defaultBrandingSettings,
      primaryColor: '#0A5BB0',
      fontFamily: 'Überschrift Sans-2',
      fontFallback: ['Noto Sans', 'Segoe UI'],
    });
    expect(parsed.primaryColor).toBe('#0a5bb0');
    expect(parsed.fontFamily).toBe('Überschrift Sans-2');
  });
});
