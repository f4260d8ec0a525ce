import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ActiveNotice } from '@flurfunk/protocol';
import { call, onEvent } from '@/api/index.js';

/**
 * The notices the core keeps until the user dismisses them. The core owns the list: this store
 * mirrors it (fetched at start and after a reconnect, then followed by `noticesChanged`).
 */
export const useNoticesStore = defineStore('notices', () => {
  const notices = ref<ActiveNotice[]>([]);
  /** Bumped by every list the core sends; an answer to an older request must not overwrite a newer list. */
  let version = 0;

  function apply(list: ActiveNotice[]): void {
    version += 1;
    notices.value = list;
  }

  async function answered(request: Promise<ActiveNotice[]>): Promise<void> {
    const asked = version;
    const list = await request;
    if (asked === version) apply(list);
  }

  async function load(): Promise<void> {
    onEvent('noticesChanged', apply);
    await refresh();
  }

  function refresh(): Promise<void> {
    return answered(call('getNotices', {}));
  }

  function dismiss(id: string): Promise<void> {
    return answered(call('dismissNotice', { id }));
  }

  return { notices, load, refresh, dismiss };
});
