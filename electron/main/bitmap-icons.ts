/**
 * Small round icons drawn as BGRA bitmaps, so no image file has to ship and the tray can take the
 * company's colour. Pure: `nativeImage.createFromBitmap` turns the pixels into an icon.
 */
export interface DiscIcon {
  pixels: Buffer;
  size: number;
}

function rgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

/** A filled disc of `fill` (#rrggbb) with a white rim `rim` pixels wide; transparent around it. */
export function discIcon(size: number, fill: string, rim: number): DiscIcon {
  const pixels = Buffer.alloc(size * size * 4);
  const centre = (size - 1) / 2;
  const [r, g, b] = rgb(fill);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const distance = Math.hypot(x - centre, y - centre);
      if (distance > size / 2) continue;
      const onRim = distance > size / 2 - rim;
      pixels.set(onRim ? [255, 255, 255, 255] : [b, g, r, 255], (y * size + x) * 4);
    }
  }
  return { pixels, size };
}
