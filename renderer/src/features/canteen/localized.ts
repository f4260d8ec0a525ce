/** A text in both languages as the user reads it: English falls back to German when empty. */
export function localized(text: { de: string; en: string }, locale: string): string {
  return locale.startsWith('en') && text.en.trim() !== '' ? text.en : text.de;
}

/** A menu day (`YYYY-MM-DD`) as its heading: "Tuesday, December 1", "Dienstag, 1. Dezember". */
export function dayHeading(date: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
}
