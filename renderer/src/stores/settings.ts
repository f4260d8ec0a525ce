import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { localeFromLanguageTag, supportedLocales } from '@/i18n/index.js';
import type { SupportedLocale } from '@/i18n/index.js';

export type LocalePreference = SupportedLocale | 'system';

const localeStorageKey = 'flurfunk.locale';

function readPreference(): LocalePreference {
  const stored = window.localStorage.getItem(localeStorageKey);
  return stored === 'system' || supportedLocales.includes(stored as SupportedLocale)
    ? (stored as LocalePreference)
    : 'system';
}

export const useSettingsStore = defineStore('settings', () => {
  const localePreference = ref<LocalePreference>(readPreference());
  const systemLocale = ref<SupportedLocale>(localeFromLanguageTag(window.navigator.language));

  const locale = computed<SupportedLocale>(() =>
    localePreference.value === 'system' ? systemLocale.value : localePreference.value,
  );

  watch(localePreference, (preference) => window.localStorage.setItem(localeStorageKey, preference));

  function followSystemLanguage(): void {
    window.addEventListener('languagechange', () => {
      systemLocale.value = localeFromLanguageTag(window.navigator.language);
    });
  }

  return { localePreference, locale, followSystemLanguage };
});
