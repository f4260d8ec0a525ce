/** A text in both languages as the user reads it: English falls back to German when empty. */
export function localized(text: { de: string; en: string }, locale: string): string {
  return locale.startsWith('en') && text.en.trim() !== '' ? text.en : text.de;
}
