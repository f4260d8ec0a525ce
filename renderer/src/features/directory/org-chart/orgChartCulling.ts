import { nodeRect } from './orgChartLayout.js';
import type { ChartEdge, ChartLayout, ChartNode, Rect } from './orgChartLayout.js';
import { intersects, visibleArea } from './orgChartViewport.js';
import type { Size, Transform } from './orgChartViewport.js';

/** Cards just outside the viewport are drawn too, so a short pan never shows a gap, in screen pixels. */
export const cullMargin = 160;

/** The chart areas to draw: the view at `transforms` (several while one view animates into another). */
export function drawnAreas(transforms: readonly Transform[], viewport: Size): Rect[] {
  return transforms.map((transform) => visibleArea(transform, viewport, cullMargin));
}

/**
 * The cards to put in the DOM: those in any of `areas`, in reading order, plus the one with
 * keyboard focus wherever it is, so the roving tab stop never disappears.
 */
export function visibleNodes(
  layout: ChartLayout,
  areas: readonly Rect[],
  keepId: string | null = null,
): ChartNode[] {
  return layout.nodes.filter(
    (node) => node.id === keepId || areas.some((area) => intersects(area, nodeRect(node))),
  );
}

export function visibleEdges(layout: ChartLayout, areas: readonly Rect[]): ChartEdge[] {
  return layout.edges.filter((edge) => areas.some((area) => intersects(area, edge.box)));
}
