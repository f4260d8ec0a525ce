import { hierarchy, tree as tidyTree } from 'd3-hierarchy';
import type { HierarchyPointNode } from 'd3-hierarchy';
import type { OrgChartUnit } from '@flurfunk/protocol';
import type { OrgTree } from './orgTree.js';

/** Card size and gaps in chart coordinates (CSS pixels at 100 % zoom); the cards are styled to match. */
export const cardWidth = 248;
export const cardHeight = 132;
export const columnGap = 72;
export const rowGap = 16;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A unit as the chart shows it: a card at (x, y), its top-left corner. */
export interface ChartNode {
  id: string;
  unit: OrgChartUnit;
  x: number;
  y: number;
  /** 1 for a root. */
  level: number;
  parentId: string | null;
  /** Position among its siblings, from 1, and how many siblings there are (itself included). */
  posInSet: number;
  setSize: number;
  /** Sub-units the unit has, shown or not. */
  childCount: number;
  expanded: boolean;
  /** Position in the depth-first order the tree is read in (the order of `ChartLayout.nodes`). */
  order: number;
}

/** The line from a unit's card to one of its sub-units' cards. */
export interface ChartEdge {
  /** The sub-unit's id: every shown unit has at most one edge leading to it. */
  id: string;
  path: string;
  box: Rect;
}

export interface ChartLayout {
  /** The shown units, depth-first: a unit, then its sub-units. */
  nodes: readonly ChartNode[];
  edges: readonly ChartEdge[];
  byId: ReadonlyMap<string, ChartNode>;
  /** The smallest rectangle around all cards (all zero for an empty chart). */
  bounds: Rect;
}

/** Stands above the roots so that a company with several roots is still one tree for d3. */
const top = '';

/**
 * Lays the shown units out as a tidy tree from left to right: the org tree is wide and shallow,
 * so levels become columns and the many units of a level stack up in a column.
 * Sub-units of a collapsed unit are not part of the layout at all.
 */
export function layoutOrgChart(orgTree: OrgTree, expanded: ReadonlySet<string>): ChartLayout {
  const root = hierarchy<string>(top, (id) =>
    id === top ? orgTree.roots : expanded.has(id) ? orgTree.childrenOf.get(id) : undefined,
  );
  const laidOut = tidyTree<string>()
    .nodeSize([cardHeight + rowGap, cardWidth + columnGap])
    .separation((a, b) => (a.parent === b.parent ? 1 : 1.25))(root);

  const nodes: ChartNode[] = [];
  const edges: ChartEdge[] = [];
  const byId = new Map<string, ChartNode>();
  const positionAmongSiblings = new Map<HierarchyPointNode<string>, number>();
  laidOut.eachBefore((point) => {
    point.children?.forEach((child, index) => positionAmongSiblings.set(child, index + 1));
    if (point.data === top) return;
    const node = chartNode(orgTree, expanded, point, positionAmongSiblings.get(point) ?? 1, nodes.length);
    nodes.push(node);
    byId.set(node.id, node);
    const parent = node.parentId === null ? undefined : byId.get(node.parentId);
    if (parent) edges.push(edgeBetween(parent, node));
  });
  return { nodes, edges, byId, bounds: boundsOf(nodes) };
}

function chartNode(
  orgTree: OrgTree,
  expanded: ReadonlySet<string>,
  point: HierarchyPointNode<string>,
  posInSet: number,
  order: number,
): ChartNode {
  const id = point.data;
  const childCount = orgTree.childrenOf.get(id)?.length ?? 0;
  return {
    id,
    unit: orgTree.units.get(id)!,
    // d3 lays trees out top-down; turning it on its side makes its depth the x axis.
    x: (point.depth - 1) * (cardWidth + columnGap),
    y: point.x - cardHeight / 2,
    level: point.depth,
    parentId: point.parent && point.parent.data !== top ? point.parent.data : null,
    posInSet,
    setSize: point.parent?.children?.length ?? 1,
    childCount,
    expanded: childCount > 0 && expanded.has(id),
    order,
  };
}

/** An elbow from the middle of the parent's right side to the middle of the child's left side. */
function edgeBetween(parent: ChartNode, child: ChartNode): ChartEdge {
  const fromX = parent.x + cardWidth;
  const fromY = parent.y + cardHeight / 2;
  const toX = child.x;
  const toY = child.y + cardHeight / 2;
  const bendX = fromX + columnGap / 2;
  return {
    id: child.id,
    path: `M${fromX} ${fromY}H${bendX}V${toY}H${toX}`,
    box: { x: fromX, y: Math.min(fromY, toY), width: toX - fromX, height: Math.abs(toY - fromY) },
  };
}

function boundsOf(nodes: readonly ChartNode[]): Rect {
  if (nodes.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const node of nodes) {
    minX = Math.min(minX, node.x);
    minY = Math.min(minY, node.y);
    maxX = Math.max(maxX, node.x + cardWidth);
    maxY = Math.max(maxY, node.y + cardHeight);
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

export function nodeRect(node: Pick<ChartNode, 'x' | 'y'>): Rect {
  return { x: node.x, y: node.y, width: cardWidth, height: cardHeight };
}
