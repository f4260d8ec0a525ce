/** At most this many words of a search are used; more would only slow the query down. */
const maxTerms = 8;

/**
 * Turns what a user typed into an FTS5 query: every word becomes a quoted prefix term and all
 * must match (`becker kommu` → `"becker"* "kommu"*`). Quoting makes FTS5 syntax in the input
 * (`"`, `*`, `OR`, `NEAR(`, `-`, `^`, column filters) plain text. Returns null when nothing
 * searchable is left.
 */
export function toFtsQuery(input: string): string | null {
  const terms = input
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term.length > 0)
    .slice(0, maxTerms);
  if (terms.length === 0) return null;
  return terms.map((term) => `"${term.replaceAll('"', '""')}"*`).join(' ');
}
