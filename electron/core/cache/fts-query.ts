/** At most this many words of a search are used; more would only slow the query down. */
const maxTerms = 8;

/** The words a user typed, as FTS5's tokenizer splits them (at most `maxTerms`). */
export function searchWords(input: string): string[] {
  return input
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term.length > 0)
    .slice(0, maxTerms);
}

/**
 * What a user typed as FTS5 prefix terms, one per word (`becker kommu` → `"becker"*`, `"kommu"*`).
 * Quoting makes FTS5 syntax in the input (`"`, `*`, `OR`, `NEAR(`, `-`, `^`, column filters)
 * plain text. Empty when nothing searchable is left.
 */
export function toFtsTerms(input: string): string[] {
  return searchWords(input).map(ftsPrefixTerm);
}

/** One word as an FTS5 prefix term, its FTS5 syntax quoted away. */
export function ftsPrefixTerm(word: string): string {
  return `"${word.replaceAll('"', '""')}"*`;
}

/** An FTS5 query in which every word must match as a prefix; null when nothing is searchable. */
export function toFtsQuery(input: string): string | null {
  const terms = toFtsTerms(input);
  return terms.length === 0 ? null : terms.join(' ');
}
