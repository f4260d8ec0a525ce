import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import {
  type CanteenListing,
  type CanteenWeek,
  type DietProfile,
  emptyDietProfile,
  weekStartOf,
} from '@flurfunk/protocol';
import { ApiError, call, onEvent } from '@/api/index.js';
import { localDate } from '@/ui/localDate.js';
import { useSessionStore } from './session.js';

/**
 * The canteen screen's state: which canteen and week it shows, that week's plan, and the user's
 * diet profile, which the core keeps on this device only. Plans follow sync live.
 */
export const useCanteenStore = defineStore('canteen', () => {
  const session = useSessionStore();
  const canteens = shallowRef<readonly CanteenListing[]>([]);
  const canteenId = ref<string | null>(null);
  const weekStart = ref(weekStartOf(localDate()));
  const week = shallowRef<CanteenWeek | null>(null);
  const profile = ref<DietProfile>(emptyDietProfile);
  const hideConflicting = ref(false);
  const loading = ref(false);
  const error = ref<ApiError | null>(null);
  let listening = false;
  /** Answers can overtake each other when the week changes quickly: only the latest counts. */
  let latestWeekRequest = 0;

  const canteen = computed(() => canteens.value.find((c) => c.id === canteenId.value) ?? null);
  /** The user may edit the plans shown: the role, and a manager of this canteen. */
  const mayEdit = computed(() => {
    const user = session.user;
    return (
      user !== null &&
      user.roles.includes('canteenManager') &&
      (canteen.value?.managerIds.includes(user.id) ?? false)
    );
  });

  function fail(cause: unknown): void {
    error.value =
      cause instanceof ApiError ? cause : new ApiError({ code: 'internal', message: String(cause) });
  }

  async function loadCanteens(): Promise<void> {
    canteens.value = await call('listCanteens', {});
    if (canteenId.value !== null && canteens.value.some((c) => c.id === canteenId.value)) return;
    canteenId.value = (await canteenAtUsersLocation()) ?? canteens.value[0]?.id ?? null;
  }

  /** The canteen where the user works, when there is one. */
  async function canteenAtUsersLocation(): Promise<string | null> {
    const user = session.user;
    if (!user) return null;
    try {
      const me = await call('getPerson', { id: user.id });
      return canteens.value.find((c) => c.locationId === me?.locationId)?.id ?? null;
    } catch {
      return null;
    }
  }

  async function loadWeek(): Promise<void> {
    const request = ++latestWeekRequest;
    const id = canteenId.value;
    if (id === null) {
      week.value = null;
      return;
    }
    loading.value = true;
    try {
      const found = await call('getCanteenWeek', { canteenId: id, weekStart: weekStart.value });
      if (request !== latestWeekRequest) return;
      week.value = found;
      error.value = null;
    } catch (cause) {
      if (request === latestWeekRequest) fail(cause);
    } finally {
      if (request === latestWeekRequest) loading.value = false;
    }
  }

  async function loadAll(): Promise<void> {
    try {
      const [, stored] = await Promise.all([loadCanteens(), call('getDietProfile', {})]);
      profile.value = stored;
      error.value = null;
    } catch (cause) {
      fail(cause);
      return;
    }
    await loadWeek();
  }

  /** Loads what the screen shows, and from the first call on follows sync; also the retry. */
  function start(): Promise<void> {
    if (!listening) {
      listening = true;
      onEvent('dataChanged', ({ changes }) => {
        if (changes.some((change) => change.entity === 'canteen')) void loadCanteens().then(loadWeek, fail);
        else if (changes.some((change) => change.entity === 'canteenWeek')) void loadWeek();
      });
    }
    return loadAll();
  }

  function showCanteen(id: string): Promise<void> {
    canteenId.value = id;
    return loadWeek();
  }

  function showWeek(start: string): Promise<void> {
    weekStart.value = weekStartOf(start);
    return loadWeek();
  }

  async function saveProfile(next: DietProfile): Promise<void> {
    profile.value = await call('saveDietProfile', next);
  }

  return {
    canteens,
    canteenId,
    canteen,
    weekStart,
    week,
    profile,
    hideConflicting,
    loading,
    error,
    mayEdit,
    start,
    showCanteen,
    showWeek,
    saveProfile,
  };
});
