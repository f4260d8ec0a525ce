import { reactive } from 'vue';
import { call } from '@/api/index.js';

const names = reactive(new Map<string, string | null>());
const asked = new Set<string>();

/** Forgets every name, e.g. when the user signs out. */
export function forgetPersonNames(): void {
  names.clear();
  asked.clear();
}

/**
 * Display names of people by id, read from the cached directory once each and shared by every
 * post on screen. Unknown until the answer comes; null for someone no longer in the directory.
 */
export function personName(id: string): string | null | undefined {
  if (!asked.has(id)) {
    asked.add(id);
    call('getPerson', { id })
      .then((person) => names.set(id, person?.displayName ?? null))
      .catch(() => asked.delete(id));
  }
  return names.get(id);
}
