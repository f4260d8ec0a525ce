import { describe, expect, it } from 'vitest';
import { discIcon } from '../../../electron/main/bitmap-icons.js';

/** The BGRA pixel at (x, y) as [r, g, b, a]. */
function pixel(icon: { pixels: Buffer; size: number }, x: number, y: number): number[] {
  const at = (y * icon.size + x) * 4;
  const [b, g, r, a] = icon.pixels.subarray(at, at + 4);
  return [r!, g!, b!, a!];
}

describe('disc icons', () => {
  it('fills the disc with the brand colour, keeps a white rim and leaves the corners transparent', () => {
    const icon = discIcon(16, '#7a1f5c', 2);
    expect(icon.pixels.length).toBe(16 * 16 * 4);
    expect(pixel(icon, 8, 8)).toEqual([0x7a, 0x1f, 0x5c, 255]);
    expect(pixel(icon, 0, 8)).toEqual([255, 255, 255, 255]);
    expect(pixel(icon, 0, 0)[3]).toBe(0);
  });

  it('draws no rim when asked for none', () => {
    const icon = discIcon(32, '#0a5bb0', 0);
    expect(pixel(icon, 0, 16)).toEqual([0x0a, 0x5b, 0xb0, 255]);
  });
});
