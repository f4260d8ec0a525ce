import { describe, expect, it } from 'vitest';
import { drawnAreas, visibleEdges, visibleNodes } from '@/features/directory/org-chart/orgChartCulling.js';
import { treeKeyAction } from '@/features/directory/org-chart/orgChartKeys.js';
import {
  cardHeight,
  cardWidth,
  columnGap,
  layoutOrgChart,
  rowGap,
} from '@/features/directory/org-chart/orgChartLayout.js';
import type { ChartLayout, ChartNode } from '@/features/directory/org-chart/orgChartLayout.js';
import {
  buildOrgTree,
  expandableUnits,
  initiallyExpanded,
  pathTo,
} from '@/features/directory/org-chart/orgTree.js';
import { company, makeCompany, makeUnit, unitId } from './orgChartSupport.js';

const viewport = { width: 1200, height: 800 };

function named(layout: ChartLayout, name: string): ChartNode {
  const node = layout.nodes.find((found) => found.unit.name === name);
  if (!node) throw new Error(`${name} is not laid out`);
  return node;
}

/** Cards in the same column that overlap or touch, as pairs of names. */
function overlaps(layout: ChartLayout): string[] {
  const columns = new Map<number, ChartNode[]>();
  for (const node of layout.nodes) columns.set(node.x, [...(columns.get(node.x) ?? []), node]);
  return [...columns.values()].flatMap((column) => {
    const sorted = [...column].sort((a, b) => a.y - b.y);
    return sorted.slice(1).flatMap((node, i) => {
      const above = sorted[i]!;
      return node.y < above.y + cardHeight + rowGap ? [`${above.unit.name} / ${node.unit.name}`] : [];
    });
  });
}

describe('org tree', () => {
  it('makes a unit whose parent is missing a root and breaks cycles, keeping every unit once', () => {
    const units = [
      makeUnit(1, { name: 'Head office' }),
      makeUnit(2, { name: 'Orphan', parentId: unitId(99) }),
      makeUnit(3, { name: 'Loop A', parentId: unitId(4) }),
      makeUnit(4, { name: 'Loop B', parentId: unitId(3) }),
      makeUnit(5, { name: 'Below the loop', parentId: unitId(4) }),
      makeUnit(6, { name: 'Its own parent', parentId: unitId(6) }),
      makeUnit(1, { name: 'Duplicate of head office' }),
    ];
    const tree = buildOrgTree(units);
    const names = (ids: readonly string[]) => ids.map((id) => tree.units.get(id)!.name);

    expect(names(tree.roots)).toEqual(['Head office', 'Its own parent', 'Loop A', 'Orphan']);
    expect(names(pathTo(tree, unitId(5)))).toEqual(['Loop A', 'Loop B', 'Below the loop']);
    const layout = layoutOrgChart(tree, expandableUnits(tree));
    expect(layout.nodes.map((node) => node.unit.name).sort()).toEqual(
      ['Below the loop', 'Head office', 'Its own parent', 'Loop A', 'Loop B', 'Orphan'].sort(),
    );
  });

  it('starts with the roots expanded, so the roots and their sub-units are shown', () => {
    const tree = buildOrgTree(makeCompany());
    const layout = layoutOrgChart(tree, initiallyExpanded(tree));
    expect(layout.nodes.map((node) => node.level)).toEqual([1, ...Array<number>(10).fill(2)]);
    expect(named(layout, company.root)).toMatchObject({ childCount: 10, expanded: true });
    expect(named(layout, 'Division 01')).toMatchObject({ childCount: 10, expanded: false });
  });
});

describe('org chart layout', () => {
  const tree = buildOrgTree(makeCompany());
  const everything = layoutOrgChart(tree, expandableUnits(tree));

  it('lays out 1,011 units without overlaps, every sub-unit one column right of its unit', () => {
    expect(everything.nodes).toHaveLength(1011);
    expect(overlaps(everything)).toEqual([]);
    for (const node of everything.nodes) {
      if (node.parentId === null) continue;
      const parent = everything.byId.get(node.parentId)!;
      expect(node.x).toBe(parent.x + cardWidth + columnGap);
    }
    expect(everything.edges).toHaveLength(1010);
  });

  it('lists units in reading order with their place among their siblings', () => {
    const names = everything.nodes.slice(0, 4).map((node) => node.unit.name);
    expect(names).toEqual([company.root, 'Division 01', 'Department 01.01', 'Team 01.01.01']);
    expect(named(everything, 'Division 03')).toMatchObject({ level: 2, posInSet: 3, setSize: 10 });
    expect(named(everything, 'Team 01.01.01')).toMatchObject({ level: 4, posInSet: 1, setSize: 9 });
    const order = everything.nodes.map((node) => node.order);
    expect(order).toEqual([...order.keys()]);
  });

  it('leaves the sub-units of a collapsed unit out entirely', () => {
    const expanded = expandableUnits(tree);
    const division = named(everything, 'Division 02');
    expanded.delete(division.id);
    const layout = layoutOrgChart(tree, expanded);
    expect(layout.nodes).toHaveLength(1011 - 10 - 90);
    expect(layout.nodes.some((node) => node.unit.name.startsWith('Department 02.'))).toBe(false);
    expect(layout.edges.some((edge) => !layout.byId.has(edge.id))).toBe(false);
    expect(layout.byId.get(division.id)).toMatchObject({ expanded: false, childCount: 10 });
    expect(overlaps(layout)).toEqual([]);
  });

  it('puts several roots below one another without overlaps', () => {
    const units = [0, 1, 2].flatMap((root) => [
      makeUnit(root * 10, { name: `Company ${root}` }),
      ...[1, 2, 3].map((child) => makeUnit(root * 10 + child, { parentId: unitId(root * 10) })),
    ]);
    const forest = buildOrgTree(units);
    const layout = layoutOrgChart(forest, expandableUnits(forest));
    const roots = layout.nodes.filter((node) => node.parentId === null);
    expect(roots.map((node) => [node.level, node.setSize])).toEqual([
      [1, 3],
      [1, 3],
      [1, 3],
    ]);
    expect(new Set(roots.map((node) => node.x)).size).toBe(1);
    expect(overlaps(layout)).toEqual([]);
  });
});

describe('culling', () => {
  const tree = buildOrgTree(makeCompany());
  const layout = layoutOrgChart(tree, expandableUnits(tree));
  const root = layout.nodes[0]!;
  const atRoot = { k: 1, x: 24 - root.x, y: viewport.height / 2 - root.y };

  it('keeps only the cards in and just around the viewport', () => {
    const shown = visibleNodes(layout, drawnAreas([atRoot], viewport));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(60);
    expect(shown).toContain(root);
    const edges = visibleEdges(layout, drawnAreas([atRoot], viewport));
    expect(edges.length).toBeLessThan(80);
  });

  it('draws other cards after a pan, and always the focused one', () => {
    const before = visibleNodes(layout, drawnAreas([atRoot], viewport)).map((node) => node.id);
    const panned = { ...atRoot, y: atRoot.y - 5000 };
    const after = visibleNodes(layout, drawnAreas([panned], viewport), root.id).map((node) => node.id);
    expect(after).toContain(root.id);
    expect(after.filter((id) => id !== root.id && before.includes(id))).toEqual([]);
  });

  it('draws the cards of both ends of an animated zoom', () => {
    const zoomedIn = { k: 2, x: atRoot.x * 2 - 600, y: atRoot.y * 2 - 400 };
    const one = visibleNodes(layout, drawnAreas([atRoot], viewport));
    const both = visibleNodes(layout, drawnAreas([atRoot, zoomedIn], viewport));
    expect(both.length).toBeGreaterThanOrEqual(one.length);
    expect(one.every((node) => both.includes(node))).toBe(true);
  });
});

describe('tree keys', () => {
  const tree = buildOrgTree(makeCompany());
  const divisions = tree.childrenOf.get(tree.roots[0]!)!;
  const layout = layoutOrgChart(tree, new Set([...initiallyExpanded(tree), ...divisions]));
  const id = (name: string) => named(layout, name).id;

  it('walks the shown units in reading order with Up, Down, Home and End', () => {
    expect(treeKeyAction(layout, id(company.root), 'ArrowDown')).toEqual({
      kind: 'focus',
      id: id('Division 01'),
    });
    expect(treeKeyAction(layout, id('Division 02'), 'ArrowUp')).toEqual({
      kind: 'focus',
      id: id('Department 01.10'),
    });
    expect(treeKeyAction(layout, id('Division 02'), 'Home')).toEqual({ kind: 'focus', id: id(company.root) });
    expect(treeKeyAction(layout, id(company.root), 'End')).toEqual({
      kind: 'focus',
      id: id('Department 10.10'),
    });
    expect(treeKeyAction(layout, id(company.root), 'ArrowUp')).toBeNull();
  });

  it('expands, steps in, collapses and steps out with Right and Left', () => {
    expect(treeKeyAction(layout, id('Department 01.01'), 'ArrowRight')).toEqual({
      kind: 'toggle',
      id: id('Department 01.01'),
    });
    expect(treeKeyAction(layout, id('Division 01'), 'ArrowRight')).toEqual({
      kind: 'focus',
      id: id('Department 01.01'),
    });
    expect(treeKeyAction(layout, id('Division 01'), 'ArrowLeft')).toEqual({
      kind: 'toggle',
      id: id('Division 01'),
    });
    expect(treeKeyAction(layout, id('Department 01.01'), 'ArrowLeft')).toEqual({
      kind: 'focus',
      id: id('Division 01'),
    });
    expect(treeKeyAction(layout, id(company.root), 'Enter')).toEqual({ kind: 'open', id: id(company.root) });
    expect(treeKeyAction(layout, id('Division 01'), ' ')).toEqual({ kind: 'toggle', id: id('Division 01') });
  });
});
