import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type PdfTools, savePageAsPdf } from '../../../electron/main/save-pdf.js';

/** The Electron calls, which cannot run here, as a user's choices and a small disk. */
function tools(choice: 'cancel' | string, options: { writeFails?: boolean } = {}) {
  const written = new Map<string, Uint8Array>();
  const asked: string[] = [];
  let printed = 0;
  const pdfTools: PdfTools = {
    documentsDir: '/home/lena/Dokumente',
    chooseFile: async (defaultPath) => {
      asked.push(defaultPath);
      return choice === 'cancel' ? null : choice;
    },
    printToPdf: async () => {
      printed += 1;
      return new TextEncoder().encode('%PDF-1.7 Telefonliste');
    },
    writeFile: async (filePath, bytes) => {
      if (options.writeFails) throw new Error('EACCES: permission denied');
      written.set(filePath, bytes);
    },
  };
  return { pdfTools, written, asked, printed: () => printed };
}

describe('saving the window as a PDF', () => {
  it('offers the file name in the documents folder and writes the printed page where the user chose', async () => {
    const { pdfTools, written, asked } = tools('/home/lena/Desktop/liste.pdf');
    const result = await savePageAsPdf(pdfTools, { fileName: 'Telefonliste-2026-11-27.pdf' });
    expect(result).toEqual({ ok: true, value: { saved: true } });
    expect(asked).toEqual([path.join('/home/lena/Dokumente', 'Telefonliste-2026-11-27.pdf')]);
    expect(new TextDecoder().decode(written.get('/home/lena/Desktop/liste.pdf'))).toContain('%PDF');
  });

  it('prints nothing when the user cancels', async () => {
    const { pdfTools, written, printed } = tools('cancel');
    expect(await savePageAsPdf(pdfTools, { fileName: 'a.pdf' })).toEqual({
      ok: true,
      value: { saved: false },
    });
    expect(printed()).toBe(0);
    expect(written.size).toBe(0);
  });

  it('refuses a name that is a path or not a PDF, before any dialog', async () => {
    for (const fileName of [
      '../../etc/passwd.pdf',
      'C:\\\\Windows\\\\x.pdf',
      'liste.exe',
      '',
      'a'.repeat(300) + '.pdf',
    ]) {
      const { pdfTools, asked } = tools('/tmp/x.pdf');
      const result = await savePageAsPdf(pdfTools, { fileName });
      expect(result, fileName).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
      expect(asked).toEqual([]);
    }
  });

  it('says so when the file cannot be written', async () => {
    const { pdfTools } = tools('/read-only/liste.pdf', { writeFails: true });
    const result = await savePageAsPdf(pdfTools, { fileName: 'liste.pdf' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.stringContaining('EACCES') },
    });
  });
});
