import { describe, expect, it } from 'vitest';
import {
  fitTransform,
  maxScale,
  minScale,
  revealRect,
  zoomAround,
} from '@/features/directory/org-chart/orgChartViewport.js';

const viewport = { width: 1200, height: 800 };
const onScreen = (t: { x: number; y: number; k: number }, point: { x: number; y: number }) => ({
  x: point.x * t.k + t.x,
  y: point.y * t.k + t.y,
});

describe('org chart viewport', () => {
  it('zooms around the pointer: the chart point under it stays put', () => {
    const start = { x: 100, y: -50, k: 1 };
    const pointer = { x: 300, y: 200 };
    const chartPoint = { x: (pointer.x - start.x) / start.k, y: (pointer.y - start.y) / start.k };
    const zoomed = zoomAround(start, pointer, 1.5);
    expect(zoomed.k).toBe(1.5);
    expect(onScreen(zoomed, chartPoint).x).toBeCloseTo(pointer.x);
    expect(onScreen(zoomed, chartPoint).y).toBeCloseTo(pointer.y);
  });

  it('clamps the zoom', () => {
    expect(zoomAround({ x: 0, y: 0, k: 1 }, { x: 0, y: 0 }, 50).k).toBe(maxScale);
    expect(zoomAround({ x: 0, y: 0, k: 1 }, { x: 0, y: 0 }, 0.001).k).toBe(minScale);
  });

  it('fits a chart into the viewport, never beyond 100 % and never below the minimum zoom', () => {
    const small = fitTransform({ x: 0, y: 0, width: 300, height: 200 }, viewport);
    expect(small.k).toBe(1);
    expect(onScreen(small, { x: 150, y: 100 })).toEqual({ x: 600, y: 400 });
    const wide = fitTransform({ x: -100, y: -1000, width: 2300, height: 1000 }, viewport);
    expect(wide.k).toBeCloseTo((1200 - 48) / 2300);
    expect(fitTransform({ x: 0, y: 0, width: 100, height: 100_000 }, viewport).k).toBe(minScale);
  });

  it('pans as little as possible to bring a card into view, and not at all when it is in view', () => {
    const start = { x: 0, y: 0, k: 1 };
    expect(revealRect(start, { x: 100, y: 100, width: 200, height: 100 }, viewport)).toEqual(start);
    const below = revealRect(start, { x: 100, y: 900, width: 200, height: 100 }, viewport);
    expect(below).toEqual({ k: 1, x: 0, y: 800 - 24 - 1000 });
    const left = revealRect(start, { x: -500, y: 100, width: 200, height: 100 }, viewport);
    expect(left).toEqual({ k: 1, x: 524, y: 0 });
  });
});
