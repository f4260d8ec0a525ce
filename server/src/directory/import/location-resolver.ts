import type { Location } from '@flurfunk/protocol';
import { nameKey } from './name-key.js';
import type { Resolved } from './org-unit-resolver.js';

/**
 * Finds locations by name, and plans the ones that do not exist yet with kind "other" and no
 * address, which an admin completes later.
 */
export class LocationResolver {
  private readonly byName = new Map<string, Pick<Location, 'id' | 'name'>[]>();
  readonly created: Location[] = [];

  constructor(
    existing: readonly Pick<Location, 'id' | 'name'>[],
    private readonly newId: () => string,
  ) {
    for (const location of existing) this.add(location);
  }

  resolve(name: string): Resolved {
    const matches = this.byName.get(nameKey(name)) ?? [];
    if (matches.length > 1) {
      return {
        problem: `"${name}" is ambiguous: ${matches.length} locations have that name (rename one with the admin API)`,
      };
    }
    const found = matches[0];
    if (found) return { id: found.id };
    const location: Location = { id: this.newId(), name, kind: 'other', address: '' };
    this.add(location);
    this.created.push(location);
    return { id: location.id };
  }

  private add(location: Pick<Location, 'id' | 'name'>): void {
    const key = nameKey(location.name);
    this.byName.set(key, [...(this.byName.get(key) ?? []), location]);
  }
}
