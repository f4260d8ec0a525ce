import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { DirectoryEntry, DirectorySort } from '@flurfunk/protocol';
import { ApiError, call, onEvent } from '@/api/index.js';

/** What a directory entry is made of: a change to any of them can change what the list shows. */
const directoryEntities = new Set(['person', 'orgUnit', 'location']);

export const directoryPageSize = 100;

type Pages = ReadonlyMap<number, readonly DirectoryEntry[]>;

/** What narrows and orders the list besides the search words. */
export interface DirectoryFilters {
  orgUnitId: string | null;
  includeSubUnits: boolean;
  locationId: string | null;
  sort: DirectorySort;
}

export const noFilters: DirectoryFilters = {
  orgUnitId: null,
  includeSubUnits: true,
  locationId: null,
  sort: 'relevance',
};

/**
 * The directory as the list sees it: one search query, its total, and the pages of results fetched
 * so far. The list asks for the rows it shows; only the pages covering them are fetched.
 */
export const useDirectoryStore = defineStore('directory', () => {
  const query = ref('');
  const filters = ref<DirectoryFilters>({ ...noFilters });
  const total = ref<number | null>(null);
  /** The search matched more people than it lists (the list ends at `total`). */
  const more = ref(false);
  const pages = shallowRef<Pages>(new Map());
  const loadingPages = ref(new Set<number>());
  const error = ref<ApiError | null>(null);
  /** Bumped whenever earlier answers become stale (new query, directory changed). */
  let generation = 0;
  let lastRange: [number, number] = [0, 0];

  const loading = computed(() => loadingPages.value.size > 0);

  function personAt(index: number): DirectoryEntry | undefined {
    return pages.value.get(Math.floor(index / directoryPageSize))?.[index % directoryPageSize];
  }

  async function fetchPage(page: number, forQuery: string) {
    return call('listPeople', {
      query: forQuery,
      offset: page * directoryPageSize,
      limit: directoryPageSize,
      ...filters.value,
    });
  }

  function fail(cause: unknown): void {
    error.value =
      cause instanceof ApiError ? cause : new ApiError({ code: 'internal', message: String(cause) });
  }

  async function loadPage(page: number): Promise<void> {
    if (pages.value.has(page) || loadingPages.value.has(page)) return;
    const started = generation;
    loadingPages.value.add(page);
    try {
      const result = await fetchPage(page, query.value);
      if (started !== generation) return;
      pages.value = new Map(pages.value).set(page, result.people);
      total.value = result.total;
      more.value = result.more;
      error.value = null;
    } catch (cause) {
      if (started === generation) fail(cause);
    } finally {
      if (started === generation) loadingPages.value.delete(page);
    }
  }

  function pagesCovering(first: number, last: number): number[] {
    const lastPage = Math.floor(Math.max(first, last) / directoryPageSize);
    const wanted: number[] = [];
    for (let page = Math.floor(Math.max(0, first) / directoryPageSize); page <= lastPage; page++) {
      if (total.value === null || page * directoryPageSize < total.value) wanted.push(page);
    }
    return wanted.length > 0 ? wanted : [0];
  }

  /** Makes sure the rows `first..last` (inclusive) are loaded or on their way. */
  async function ensureRange(first: number, last: number): Promise<void> {
    lastRange = [first, last];
    await Promise.all(pagesCovering(first, last).map(loadPage));
  }

  function startOver(): void {
    generation += 1;
    pages.value = new Map();
    loadingPages.value = new Set();
    total.value = null;
    more.value = false;
    error.value = null;
  }

  async function search(nextQuery: string): Promise<void> {
    query.value = nextQuery;
    startOver();
    lastRange = [0, 0];
    await loadPage(0);
  }

  /** Narrows or orders the list differently; starts over at its top. */
  async function filter(next: Partial<DirectoryFilters>): Promise<void> {
    filters.value = { ...filters.value, ...next };
    startOver();
    lastRange = [0, 0];
    await loadPage(0);
  }

  /** Refetches what is on screen, keeping the old rows visible until the new ones arrive. */
  async function refresh(): Promise<void> {
    generation += 1;
    const started = generation;
    loadingPages.value = new Set();
    const wanted = pagesCovering(...lastRange);
    try {
      const results = await Promise.all(wanted.map((page) => fetchPage(page, query.value)));
      if (started !== generation) return;
      pages.value = new Map(wanted.map((page, i) => [page, results[i]?.people ?? []]));
      total.value = results.at(-1)?.total ?? 0;
      more.value = results.at(-1)?.more ?? false;
      error.value = null;
    } catch (cause) {
      if (started === generation) fail(cause);
    }
  }

  /** Re-reads the pages on screen when sync changed people, units or locations, and only then. */
  function listen(): () => void {
    return onEvent('dataChanged', ({ changes }) => {
      if (changes.some((change) => directoryEntities.has(change.entity))) void refresh();
    });
  }

  return {
    query,
    filters,
    total,
    more,
    pages,
    loading,
    error,
    personAt,
    ensureRange,
    search,
    filter,
    refresh,
    startOver,
    listen,
  };
});
