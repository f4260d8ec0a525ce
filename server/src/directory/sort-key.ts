/**
 * The key people are ordered by: the display name folded to lower case without diacritics
 * (German dictionary order: "Özdemir" among the O's, "ß" as "ss"). Computed here rather than
 * with a database collation so paging is identical on PGlite and every PostgreSQL locale.
 */
export function directorySortKey(displayName: string): string {
  return displayName
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replaceAll('ß', 'ss')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
