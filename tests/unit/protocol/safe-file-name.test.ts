import { maxFileNameBytes, safeFileName } from '@flurfunk/protocol';
import { describe, expect, it } from 'vitest';

describe('a file name safe to save', () => {
  it.each([
    ['Protokoll März.pdf', 'Protokoll März.pdf'],
    ['../../x', '_.._x'],
    ['..\\..\\boot.ini', '_.._boot.ini'],
    ['a/b:c*d?e"f<g>h|i.txt', 'a_b_c_d_e_f_g_h_i.txt'],
    ['CON', '_CON'],
    ['nul.tar.gz', '_nul.tar.gz'],
    ['COM1.txt', '_COM1.txt'],
    ['console.txt', 'console.txt'],
    ['report\u202Efdp.exe', 'reportfdp.exe'],
    ['line\nbreak\u0007.txt', 'linebreak.txt'],
    ['name. . .', 'name'],
    ['   ', 'file'],
    ['', 'file'],
    ['.htaccess', 'htaccess'],
  ])('%j becomes %j', (name, safe) => {
    expect(safeFileName(name)).toBe(safe);
  });

  it('shortens a long name to the byte limit of file systems, keeping its extension', () => {
    const long = `${'Ü'.repeat(200)}.docx`;
    const safe = safeFileName(long);
    expect(new TextEncoder().encode(safe).length).toBeLessThanOrEqual(maxFileNameBytes);
    expect(safe.endsWith('.docx')).toBe(true);
    expect(safe.startsWith('ÜÜÜ')).toBe(true);
    // A character is never cut in half.
    expect(safe).toBe(`${'Ü'.repeat(125)}.docx`);
  });

  it('takes the fallback the caller gives when nothing usable is left', () => {
    expect(safeFileName('...', 'Anhang')).toBe('Anhang');
  });
});
