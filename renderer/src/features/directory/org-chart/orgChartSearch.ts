import { foldForSearch } from '@flurfunk/protocol';
import type { OrgChartUnit } from '@flurfunk/protocol';

export type OrgSearchHit =
  /** A unit found by its name, or by the name of the person who manages it. */
  | { kind: 'unit' | 'manager'; unit: OrgChartUnit }
  /** Someone found by the directory search: the chart jumps to their unit. */
  | { kind: 'person'; unit: OrgChartUnit; person: { id: string; displayName: string } };

/** A name as the search compares it: the directory's folding (`Mueller` = `Müller`), words only. */
function searchForm(text: string): string {
  return foldForSearch(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

interface Entry {
  kind: 'unit' | 'manager';
  unit: OrgChartUnit;
  name: string;
  form: string;
}

/** 0 when the name starts with the query, 1 when one of its words does, 2 when it merely contains it. */
function rank(entry: Entry, query: string): number | null {
  const at = entry.form.indexOf(query);
  if (at === -1) return null;
  return at === 0 ? 0 : entry.form.includes(` ${query}`) ? 1 : 2;
}

const byName = new Intl.Collator('de', { sensitivity: 'base', numeric: true });

/** Finds units by their name or their manager's name; prepares the names once per list of units. */
export function createOrgSearch(
  units: readonly OrgChartUnit[],
): (query: string, limit?: number) => OrgSearchHit[] {
  const entries: Entry[] = [];
  for (const unit of units) {
    entries.push({ kind: 'unit', unit, name: unit.name, form: searchForm(unit.name) });
    if (unit.manager) {
      const name = unit.manager.displayName;
      entries.push({ kind: 'manager', unit, name, form: searchForm(name) });
    }
  }
  return (query, limit = 8) => {
    const wanted = searchForm(query);
    if (wanted === '') return [];
    return entries
      .flatMap((entry) => {
        const score = rank(entry, wanted);
        return score === null ? [] : [{ entry, score }];
      })
      .sort((a, b) => a.score - b.score || byName.compare(a.entry.name, b.entry.name))
      .slice(0, limit)
      .map(({ entry }) => ({ kind: entry.kind, unit: entry.unit }));
  };
}

/**
 * The units' own hits first, then the people of the directory search who are not among them
 * (a manager is found as such already), at most `limit` in all.
 */
export function withPeople(
  own: readonly OrgSearchHit[],
  people: readonly { id: string; displayName: string; orgUnitId: string | null }[],
  units: ReadonlyMap<string, OrgChartUnit>,
  limit = 8,
): OrgSearchHit[] {
  const listed = new Set(own.flatMap((hit) => (hit.kind === 'manager' ? [hit.unit.manager?.id] : [])));
  const found = people.flatMap((person): OrgSearchHit[] => {
    const unit = person.orgUnitId === null ? undefined : units.get(person.orgUnitId);
    if (!unit || listed.has(person.id)) return [];
    return [{ kind: 'person', unit, person: { id: person.id, displayName: person.displayName } }];
  });
  return [...own, ...found].slice(0, limit);
}
