import type { OrgChartUnit } from '@flurfunk/protocol';

/**
 * The org units as a forest in which every unit hangs exactly once below a root, whatever the data
 * says: a unit whose parent is unknown becomes a root, and a cycle of parents is cut open.
 */
export interface OrgTree {
  readonly units: ReadonlyMap<string, OrgChartUnit>;
  /** Top-level units, in display order. */
  readonly roots: readonly string[];
  /** Sub-units of each unit that has any, in display order. */
  readonly childrenOf: ReadonlyMap<string, readonly string[]>;
  readonly parentOf: ReadonlyMap<string, string | null>;
}

const byName = new Intl.Collator('de', { sensitivity: 'base', numeric: true });

export function buildOrgTree(list: readonly OrgChartUnit[]): OrgTree {
  const units = new Map<string, OrgChartUnit>();
  for (const unit of list) if (!units.has(unit.id)) units.set(unit.id, unit);

  const parentOf = new Map<string, string | null>();
  for (const unit of units.values()) {
    const parentId = unit.parentId;
    parentOf.set(unit.id, parentId !== null && parentId !== unit.id && units.has(parentId) ? parentId : null);
  }
  cutCycles(parentOf);

  const childrenOf = new Map<string, string[]>();
  const roots: string[] = [];
  for (const [id, parentId] of parentOf) {
    if (parentId === null) roots.push(id);
    else {
      const siblings = childrenOf.get(parentId);
      if (siblings) siblings.push(id);
      else childrenOf.set(parentId, [id]);
    }
  }
  const inDisplayOrder = (a: string, b: string) =>
    byName.compare(units.get(a)!.name, units.get(b)!.name) || (a < b ? -1 : a > b ? 1 : 0);
  roots.sort(inDisplayOrder);
  for (const siblings of childrenOf.values()) siblings.sort(inDisplayOrder);

  return { units, roots, childrenOf, parentOf };
}

/** Makes the unit where a walk up the parents first meets itself again a root. */
function cutCycles(parentOf: Map<string, string | null>): void {
  const done = new Set<string>();
  for (const start of parentOf.keys()) {
    const onThisWalk = new Set<string>();
    let current: string | null = start;
    while (current !== null && !done.has(current)) {
      if (onThisWalk.has(current)) {
        parentOf.set(current, null);
        break;
      }
      onThisWalk.add(current);
      current = parentOf.get(current) ?? null;
    }
    for (const id of onThisWalk) done.add(id);
  }
}

/** The ids from the unit's root down to the unit itself; empty for an unknown unit. */
export function pathTo(tree: OrgTree, id: string): string[] {
  if (!tree.units.has(id)) return [];
  const path: string[] = [];
  for (let current: string | null = id; current !== null; current = tree.parentOf.get(current) ?? null) {
    path.push(current);
  }
  return path.reverse();
}

/** What a fresh chart shows: the roots expanded, so the top two levels are on screen. */
export function initiallyExpanded(tree: OrgTree): Set<string> {
  return new Set(tree.roots.filter((root) => tree.childrenOf.has(root)));
}

/** Every unit that has sub-units: expanding all of them shows the whole company. */
export function expandableUnits(tree: OrgTree): Set<string> {
  return new Set(tree.childrenOf.keys());
}

/**
 * Every unit, depth first in display order, as the choices of a unit filter: sub-units indented
 * under their parent with non-breaking spaces, since an option cannot be styled in every browser.
 */
export function unitChoices(units: readonly OrgChartUnit[]): { id: string; label: string }[] {
  const tree = buildOrgTree(units);
  const choices: { id: string; label: string }[] = [];
  const stack = [...tree.roots].reverse().map((id) => ({ id, depth: 0 }));
  for (let next = stack.pop(); next; next = stack.pop()) {
    const unit = tree.units.get(next.id)!;
    choices.push({ id: unit.id, label: `${'\u00a0'.repeat(next.depth * 3)}${unit.name}` });
    const children = tree.childrenOf.get(unit.id) ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ id: children[i]!, depth: next.depth + 1 });
  }
  return choices;
}
