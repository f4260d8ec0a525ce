import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SyncStatus } from '@flurfunk/protocol';
import { call, onEvent } from '@/api/index.js';

export const useSyncStatusStore = defineStore('syncStatus', () => {
  /** `null` until the core has told us; the indicator shows "Connecting…" meanwhile. */
  const status = ref<SyncStatus | null>(null);

  async function load(): Promise<void> {
    onEvent('syncStatusChanged', (next) => (status.value = next));
    await refresh();
  }

  async function refresh(): Promise<void> {
    status.value = await call('getSyncStatus', {});
  }

  async function syncNow(): Promise<void> {
    status.value = await call('syncNow', {});
  }

  return { status, load, refresh, syncNow };
});
