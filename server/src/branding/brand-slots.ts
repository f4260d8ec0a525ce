import {
  type BrandAsset,
  type BrandAssetSlot,
  type BrandFontFace,
  brandImageTypes,
  fontMediaType,
} from '@flurfunk/protocol';

export type BrandMediaType = BrandAsset['mediaType'];

const rasterImageTypes = ['image/png', 'image/jpeg', 'image/webp'] as const satisfies BrandMediaType[];

/** What each slot takes: the logo may be vector art; backgrounds and fonts may not. */
export function acceptedTypes(slot: BrandAssetSlot): readonly BrandMediaType[] {
  if (slot === 'logo') return brandImageTypes;
  if (slot === 'loginBackground') return rasterImageTypes;
  return [fontMediaType];
}

/** The weight and style a `font-<weight>-<style>` slot holds; null for the image slots. */
export function fontFaceOf(slot: BrandAssetSlot): Omit<BrandFontFace, 'asset'> | null {
  const match = /^font-(400|700)-(normal|italic)$/.exec(slot);
  if (!match) return null;
  return { weight: match[1] === '700' ? 700 : 400, style: match[2] === 'italic' ? 'italic' : 'normal' };
}

/** How an error message names a slot. */
export function slotLabel(slot: BrandAssetSlot): string {
  if (slot === 'logo') return 'The logo';
  if (slot === 'loginBackground') return 'The login background';
  const face = fontFaceOf(slot);
  return `The ${face?.weight === 700 ? 'bold' : 'regular'}${face?.style === 'italic' ? ' italic' : ''} font face`;
}
