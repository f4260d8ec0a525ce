import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import {
  type DeviceSettings,
  type LanguagePreference,
  type ThemePreference,
  defaultDeviceSettings,
} from '@flurfunk/protocol';
import { call, onEvent } from '@/api/index.js';
import { localeFromLanguageTag } from '@/i18n/index.js';
import type { SupportedLocale } from '@/i18n/index.js';
import { appearanceChanged } from '@/ui/appearanceStylesheet.js';

/**
 * This device's language and colour scheme, as the core keeps them for the profile (so the first
 * paint and the desktop notifications follow them too). A choice shows at once and is saved; if
 * saving fails, the choice before comes back and `saveFailed` says so.
 */
export const useSettingsStore = defineStore('settings', () => {
  const device = ref<DeviceSettings>(defaultDeviceSettings);
  const systemLocale = ref<SupportedLocale>(localeFromLanguageTag(window.navigator.language));
  const saveFailed = ref(false);

  function adopt(settings: DeviceSettings): void {
    device.value = settings;
    appearanceChanged({ theme: settings.theme });
  }

  /** Only the answer to the newest save counts: quick choices (arrow keys in a list) overtake. */
  let latestSave = 0;

  async function save(next: DeviceSettings): Promise<void> {
    const before = device.value;
    const mine = ++latestSave;
    saveFailed.value = false;
    // The choice shows at once; the stylesheet follows once the core, which builds it, has it.
    device.value = next;
    try {
      const saved = await call('saveDeviceSettings', next);
      if (mine === latestSave) adopt(saved);
    } catch {
      if (mine !== latestSave) return;
      device.value = before;
      saveFailed.value = true;
    }
  }

  const localePreference = computed<LanguagePreference>({
    get: () => device.value.language,
    set: (language) => void save({ ...device.value, language }),
  });
  const theme = computed<ThemePreference>({
    get: () => device.value.theme,
    set: (chosen) => void save({ ...device.value, theme: chosen }),
  });
  const locale = computed<SupportedLocale>(() =>
    localePreference.value === 'system' ? systemLocale.value : localePreference.value,
  );

  async function load(): Promise<void> {
    adopt(await call('getDeviceSettings', {}));
  }

  /** Follows the system's language and changes made in another window; returns the unsubscribe. */
  function follow(): () => void {
    const onLanguageChange = () => {
      systemLocale.value = localeFromLanguageTag(window.navigator.language);
    };
    window.addEventListener('languagechange', onLanguageChange);
    const stopEvents = onEvent('deviceSettingsChanged', adopt);
    return () => {
      window.removeEventListener('languagechange', onLanguageChange);
      stopEvents();
    };
  }

  return { localePreference, theme, locale, saveFailed, load, follow };
});
