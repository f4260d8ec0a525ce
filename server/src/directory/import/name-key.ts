/**
 * Unit and location names match case-insensitively and regardless of spacing and Unicode
 * normalization, as a spreadsheet may write "Qualitätssicherung" in two byte forms.
 */
export function nameKey(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
}
