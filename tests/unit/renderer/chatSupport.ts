/** What the chat's renderer tests share: a signed-in user, a router and a mounted view. */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { Pinia } from 'pinia';
import type { Component } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { createAppI18n } from '@/i18n/index.js';
import { routes } from '@/router/index.js';
import { useSessionStore } from '@/stores/session.js';
import { chatUserId } from './fakeHost.js';

/** A fresh store world with Lena (person 0 of the fake directory) signed in. */
export function signedInPinia(): Pinia {
  const pinia = createPinia();
  setActivePinia(pinia);
  useSessionStore(pinia).session = {
    status: 'signedIn',
    serverUrl: 'http://127.0.0.1:4100',
    user: { id: chatUserId, username: 'lena.weber', displayName: 'Lena Weber', roles: ['employee'] },
  };
  return pinia;
}

export async function mountWithApp<T extends Component>(
  component: T,
  options: { props?: Record<string, unknown>; path?: string; locale?: 'en' | 'de'; pinia?: Pinia } = {},
) {
  const pinia = options.pinia ?? signedInPinia();
  const router = createRouter({ history: createMemoryHistory(), routes });
  await router.push(options.path ?? '/chat');
  await router.isReady();
  const wrapper = mount(component, {
    props: options.props as never,
    global: { plugins: [pinia, createAppI18n(options.locale ?? 'en'), router] },
    attachTo: document.body,
  });
  await flushPromises();
  return { wrapper, router, pinia };
}

/** Lets debounced work (draft saves, searches) run, then everything it started. */
export async function settle(ms = 600): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  await flushPromises();
}
