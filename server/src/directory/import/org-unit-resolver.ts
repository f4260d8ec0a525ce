import type { OrgUnit } from '@flurfunk/protocol';
import { nameKey } from './name-key.js';

export type Resolved = { id: string } | { problem: string };

/**
 * Finds org units by their path of names from the top, and plans the ones that do not exist yet
 * below the deepest one that does. An import never moves, renames or deletes a unit.
 */
export class OrgUnitResolver {
  private readonly children = new Map<string, OrgUnit[]>();
  /** The units to create, parents first, with the path that made each. */
  readonly created: { unit: OrgUnit; path: string }[] = [];

  constructor(
    existing: readonly OrgUnit[],
    private readonly newId: () => string,
  ) {
    for (const unit of existing) this.add(unit);
  }

  resolve(path: readonly string[]): Resolved {
    let parentId: string | null = null;
    for (const [depth, name] of path.entries()) {
      const matches: OrgUnit[] = this.children.get(childKey(parentId, name)) ?? [];
      if (matches.length > 1) {
        const parent = depth === 0 ? 'at the top level' : `below "${path.slice(0, depth).join(' / ')}"`;
        return {
          problem: `"${name}" is ambiguous: ${matches.length} org units of that name are ${parent} (rename one with the admin API)`,
        };
      }
      let unit = matches[0];
      if (!unit) {
        unit = { id: this.newId(), name, parentId, managerId: null };
        this.add(unit);
        this.created.push({ unit, path: path.slice(0, depth + 1).join(' / ') });
      }
      parentId = unit.id;
    }
    if (parentId === null) return { problem: 'names no unit' };
    return { id: parentId };
  }

  private add(unit: OrgUnit): void {
    const key = childKey(unit.parentId, unit.name);
    this.children.set(key, [...(this.children.get(key) ?? []), unit]);
  }
}

function childKey(parentId: string | null, name: string): string {
  return `${parentId ?? ''}/${nameKey(name)}`;
}
