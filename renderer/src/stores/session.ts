import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AppInfo, MethodArgs, SessionState } from '@flurfunk/protocol';
import { call, onEvent } from '@/api/index.js';

export const useSessionStore = defineStore('session', () => {
  /** `null` until the core has told us whether someone is signed in. */
  const session = ref<SessionState | null>(null);
  const appInfo = ref<AppInfo | null>(null);

  const user = computed(() => (session.value?.status === 'signedIn' ? session.value.user : null));
  const serverUrl = computed(() => session.value?.serverUrl ?? null);

  async function load(): Promise<void> {
    onEvent('sessionChanged', (state) => (session.value = state));
    await refresh();
  }

  async function refresh(): Promise<void> {
    const [info, state] = await Promise.all([call('getAppInfo', {}), call('getSession', {})]);
    appInfo.value = info;
    session.value = state;
  }

  async function login(args: MethodArgs<'login'>): Promise<void> {
    session.value = await call('login', args);
  }

  async function logout(): Promise<void> {
    session.value = await call('logout', {});
  }

  return { session, appInfo, user, serverUrl, load, refresh, login, logout };
});
