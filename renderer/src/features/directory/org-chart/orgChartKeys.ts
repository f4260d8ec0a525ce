import type { ChartLayout } from './orgChartLayout.js';

export type TreeKeyAction =
  { kind: 'focus'; id: string } | { kind: 'toggle'; id: string } | { kind: 'open'; id: string };

/**
 * What a key pressed on a unit does, following the WAI-ARIA tree pattern: Up and Down walk the
 * shown units in reading order, Right expands or steps into the first sub-unit, Left collapses or
 * steps up to the parent, Home and End jump to the first and last unit, Space toggles, Enter opens.
 */
export function treeKeyAction(layout: ChartLayout, focusedId: string, key: string): TreeKeyAction | null {
  const node = layout.byId.get(focusedId);
  if (!node) return null;
  const focus = (index: number) => {
    const target = layout.nodes[index];
    return target && target.id !== focusedId ? ({ kind: 'focus', id: target.id } as const) : null;
  };
  switch (key) {
    case 'ArrowDown':
      return focus(node.order + 1);
    case 'ArrowUp':
      return focus(node.order - 1);
    case 'Home':
      return focus(0);
    case 'End':
      return focus(layout.nodes.length - 1);
    case 'ArrowRight':
      if (node.childCount === 0) return null;
      return node.expanded ? focus(node.order + 1) : { kind: 'toggle', id: node.id };
    case 'ArrowLeft':
      if (node.expanded) return { kind: 'toggle', id: node.id };
      return node.parentId === null ? null : { kind: 'focus', id: node.parentId };
    case ' ':
      return node.childCount > 0 ? { kind: 'toggle', id: node.id } : null;
    case 'Enter':
      return { kind: 'open', id: node.id };
    default:
      return null;
  }
}
