import { channelMention, markdownAsText, mentionOf } from '@flurfunk/protocol';
import { describe, expect, it } from 'vitest';

describe('a message as one line of plain text', () => {
  it.each([
    ['**Achtung**: _Presse 3_ ~~steht~~ läuft', 'Achtung: Presse 3 steht läuft'],
    ['# Plan\n\n- eins\n- zwei\n\n> zitiert', 'Plan eins zwei zitiert'],
    [
      'Siehe [den Plan](https://example.com/plan) und https://example.com',
      'Siehe den Plan und https://example.com',
    ],
    ['![Foto der Halle](attachment:01900000-0000-7000-8000-000000000001)', 'Foto der Halle'],
    ['`npm ci` und\n```\ncode\n```', 'npm ci und code'],
    ['<b>kein HTML</b>', '<b>kein HTML</b>'],
    ['Zeile 1\nZeile 2', 'Zeile 1 Zeile 2'],
  ])('%j reads as %j', (body, text) => {
    expect(markdownAsText(body)).toBe(text);
  });

  it('keeps mentions as written, for the names to replace them', () => {
    const lena = '01900000-0000-7000-8000-00000000000a';
    expect(markdownAsText(`**Hallo** ${mentionOf(lena)} und ${channelMention}`)).toBe(
      `Hallo ${mentionOf(lena)} und ${channelMention}`,
    );
  });

  it('reads hostile nesting and very long texts without choking on them', () => {
    expect(markdownAsText(`${'> '.repeat(5000)}tief`)).toContain('tief');
    const long = 'wort '.repeat(50_000);
    expect(markdownAsText(long)).toBe(long.trim());
  });
});
