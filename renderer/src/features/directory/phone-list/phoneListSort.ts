/** The phone list's columns and how its rows sort within a group. */
import type { PhoneBookEntry } from '@flurfunk/protocol';

export const sortableColumns = [
  'name',
  'title',
  'phone',
  'mobile',
  'email',
  'room',
  'department',
  'location',
] as const;
export type PhoneListColumn = (typeof sortableColumns)[number];

export type SortDirection = 'ascending' | 'descending';

/** Null: the directory's own order (last name, first name), as the core delivers it. */
export type PhoneListSort = { readonly column: PhoneListColumn; readonly direction: SortDirection } | null;

export function columnValue(entry: PhoneBookEntry, column: PhoneListColumn): string {
  switch (column) {
    case 'name':
      return entry.displayName;
    case 'department':
      return entry.orgUnitName ?? '';
    case 'location':
      return entry.locationName ?? '';
    default:
      return entry[column];
  }
}

/** A click on a column's header: ascending, then descending, then back to the directory's order. */
export function nextSort(current: PhoneListSort, column: PhoneListColumn): PhoneListSort {
  if (current?.column !== column) return { column, direction: 'ascending' };
  return current.direction === 'ascending' ? { column, direction: 'descending' } : null;
}

/**
 * The entries in the chosen order; people without a value come last either way, and ties keep
 * the directory's order.
 */
export function sortEntries(
  entries: readonly PhoneBookEntry[],
  sort: PhoneListSort,
  collator: Intl.Collator,
): readonly PhoneBookEntry[] {
  if (sort === null) return entries;
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return entries
    .map((entry, index) => ({ entry, index, key: columnValue(entry, sort.column).trim() }))
    .sort((a, b) => {
      if ((a.key === '') !== (b.key === '')) return a.key === '' ? 1 : -1;
      return sign * collator.compare(a.key, b.key) || a.index - b.index;
    })
    .map(({ entry }) => entry);
}
