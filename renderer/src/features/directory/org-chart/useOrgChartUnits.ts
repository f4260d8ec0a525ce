import { onBeforeUnmount, onMounted, ref, shallowRef } from 'vue';
import type { OrgChartUnit } from '@flurfunk/protocol';
import { call, onEvent } from '@/api/index.js';

/** Changes to these entities can change a unit's name, parent, manager or head count. */
const orgChartEntities = new Set(['orgUnit', 'person']);

/**
 * The org units from the core, loaded on mount and re-loaded when sync changes units or people.
 * A re-load keeps the chart on screen; only the first load shows the loading state.
 */
export function useOrgChartUnits() {
  const units = shallowRef<readonly OrgChartUnit[]>([]);
  const status = ref<'loading' | 'ready' | 'failed'>('loading');
  /** Answers can overtake each other when changes arrive in quick succession: only the latest counts. */
  let latestRequest = 0;
  let stopListening: (() => void) | undefined;

  async function load(): Promise<void> {
    const request = ++latestRequest;
    if (status.value !== 'ready') status.value = 'loading';
    try {
      const result = await call('getOrgChart', {});
      if (request !== latestRequest) return;
      units.value = result.units;
      status.value = 'ready';
    } catch {
      if (request === latestRequest && status.value !== 'ready') status.value = 'failed';
    }
  }

  onMounted(() => {
    void load();
    try {
      stopListening = onEvent('dataChanged', ({ changes }) => {
        if (changes.some((change) => orgChartEntities.has(change.entity))) void load();
      });
    } catch {
      // No host to listen to: the failed load above already says so.
    }
  });
  onBeforeUnmount(() => stopListening?.());

  return { units, status, load };
}
