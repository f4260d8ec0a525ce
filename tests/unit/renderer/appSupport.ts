/** The whole app mounted as it starts in a window, at a hash route, over the fake host. */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import App from '@/App.vue';
import { createAppI18n } from '@/i18n/index.js';
import { createAppRouter } from '@/router/index.js';
import { useSettingsStore } from '@/stores/settings.js';

export async function startApp(hash = '#/feed') {
  window.history.replaceState(null, '', `/${hash}`);
  const pinia = createPinia();
  const settings = useSettingsStore(pinia);
  const router = createAppRouter();
  const wrapper = mount(App, {
    global: { plugins: [pinia, createAppI18n(settings.locale), router] },
    attachTo: document.body,
  });
  await router.isReady();
  await flushPromises();
  return { wrapper, router };
}
