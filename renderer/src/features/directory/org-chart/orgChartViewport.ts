import type { Rect } from './orgChartLayout.js';

/** Where the chart sits on screen: a chart point p appears at `p * k + (x, y)` in the viewport. */
export interface Transform {
  x: number;
  y: number;
  k: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export const minScale = 0.2;
export const maxScale = 2;
/** The factor one press of "Zoom in" or "+" zooms by. */
export const zoomStep = 1.25;
/** Room kept between the viewport's edge and a card brought into view, in screen pixels. */
export const revealPadding = 24;

export function clampScale(k: number): number {
  return Math.min(maxScale, Math.max(minScale, k));
}

/** Zooms to scale `k` (clamped) while keeping the chart point under `around` where it is. */
export function zoomAround(transform: Transform, around: Point, k: number): Transform {
  const scale = clampScale(k);
  const ratio = scale / transform.k;
  return {
    k: scale,
    x: around.x - (around.x - transform.x) * ratio,
    y: around.y - (around.y - transform.y) * ratio,
  };
}

/** The part of the chart the viewport shows, widened by `margin` screen pixels on every side. */
export function visibleArea(transform: Transform, viewport: Size, margin = 0): Rect {
  return {
    x: (-transform.x - margin) / transform.k,
    y: (-transform.y - margin) / transform.k,
    width: (viewport.width + 2 * margin) / transform.k,
    height: (viewport.height + 2 * margin) / transform.k,
  };
}

/** The whole of `bounds` in view, as large as fits but never beyond 100 %. */
export function fitTransform(bounds: Rect, viewport: Size, padding = revealPadding): Transform {
  const k = clampScale(
    Math.min(
      1,
      (viewport.width - 2 * padding) / Math.max(1, bounds.width),
      (viewport.height - 2 * padding) / Math.max(1, bounds.height),
    ),
  );
  return centerOn(bounds, viewport, k);
}

export function centerOn(rect: Rect, viewport: Size, k: number): Transform {
  return {
    k,
    x: viewport.width / 2 - (rect.x + rect.width / 2) * k,
    y: viewport.height / 2 - (rect.y + rect.height / 2) * k,
  };
}

/** The start view: 100 %, the card at the left edge, centred from top to bottom. */
export function homeTransform(rect: Rect, viewport: Size): Transform {
  return { k: 1, x: revealPadding - rect.x, y: viewport.height / 2 - (rect.y + rect.height / 2) };
}

/**
 * Pans as little as possible so that `rect` is fully in view (with padding). A rectangle larger
 * than the viewport is aligned at its top-left corner so its name stays readable.
 */
export function revealRect(
  transform: Transform,
  rect: Rect,
  viewport: Size,
  padding = revealPadding,
): Transform {
  const alongAxis = (offset: number, start: number, length: number, available: number) => {
    const low = start * transform.k + offset;
    const high = low + length * transform.k;
    if (high - low > available - 2 * padding || low < padding) return offset + padding - low;
    if (high > available - padding) return offset - (high - (available - padding));
    return offset;
  };
  return {
    k: transform.k,
    x: alongAxis(transform.x, rect.x, rect.width, viewport.width),
    y: alongAxis(transform.y, rect.y, rect.height, viewport.height),
  };
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Scroll distance of a wheel event in pixels, whatever unit the device reports it in. */
export function wheelPixels(delta: number, deltaMode: number, pageSize: number): number {
  if (deltaMode === 1) return delta * 16;
  if (deltaMode === 2) return delta * pageSize;
  return delta;
}
