import { describe, expect, it } from 'vitest';
import { formatFileSize } from '@/ui/attachments/fileSize.js';

describe('a file size as people read it', () => {
  it.each([
    [0, 'en', '0 byte'],
    [999, 'en', '999 byte'],
    [1000, 'en', '1 kB'],
    [1550, 'en', '1.6 kB'],
    [820_000, 'en', '820 kB'],
    [4_200_000, 'en', '4.2 MB'],
    [104_857_600, 'en', '105 MB'],
    [4_200_000, 'de', '4,2 MB'],
    [2_500_000_000, 'de', '2,5 GB'],
  ])('%i bytes in %s: %s', (bytes, locale, text) => {
    // Some locales put a no-break space between number and unit.
    expect(formatFileSize(bytes, locale).replace(/\s/g, ' ')).toBe(text);
  });
});
