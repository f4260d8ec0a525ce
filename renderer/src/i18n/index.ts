import { createI18n } from 'vue-i18n';
import { de } from './messages/de.js';
import { en } from './messages/en.js';
import type { MessageSchema } from './messages/en.js';

export const supportedLocales = ['de', 'en'] as const;
export type SupportedLocale = (typeof supportedLocales)[number];

export const messages: Record<SupportedLocale, MessageSchema> = { de, en };

const datetimeFormats = {
  time: { hour: 'numeric', minute: '2-digit' },
  dateTime: { dateStyle: 'medium', timeStyle: 'short' },
} as const;

const numberFormats = {
  integer: { maximumFractionDigits: 0 },
  percent: { style: 'percent', maximumFractionDigits: 0 },
  euro: { style: 'currency', currency: 'EUR' },
} as const;

/** The best supported locale for a BCP 47 tag such as `de-AT`; English for anything else. */
export function localeFromLanguageTag(tag: string | undefined): SupportedLocale {
  return tag?.toLowerCase().startsWith('de') ? 'de' : 'en';
}

export function createAppI18n(locale: SupportedLocale) {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages,
    datetimeFormats: { de: datetimeFormats, en: datetimeFormats },
    numberFormats: { de: numberFormats, en: numberFormats },
  });
}

export type AppI18n = ReturnType<typeof createAppI18n>;
