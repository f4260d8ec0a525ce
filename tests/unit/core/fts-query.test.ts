import { describe, expect, it } from 'vitest';
import { toFtsQuery } from '../../../electron/core/cache/fts-query.js';

describe('toFtsQuery', () => {
  it('turns each word into a quoted prefix term that must match', () => {
    expect(toFtsQuery('becker kommu')).toBe('"becker"* "kommu"*');
  });

  it('returns null when nothing searchable was typed', () => {
    expect(toFtsQuery('')).toBeNull();
    expect(toFtsQuery('  "*()-^: ')).toBeNull();
  });

  it('makes FTS5 operators plain words', () => {
    expect(toFtsQuery('weber OR NEAR(x) "müller*')).toBe('"weber"* "OR"* "NEAR"* "x"* "müller"*');
    expect(toFtsQuery('title:meister -lena')).toBe('"title"* "meister"* "lena"*');
  });

  it('keeps umlauts and digits, composing decomposed letters', () => {
    expect(toFtsQuery('Mu\u0308ller 555-123')).toBe('"Müller"* "555"* "123"*');
  });

  it('uses at most eight words', () => {
    expect(toFtsQuery('a b c d e f g h i j')).toBe('"a"* "b"* "c"* "d"* "e"* "f"* "g"* "h"*');
  });
});
