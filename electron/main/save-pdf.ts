/**
 * "Save as PDF" of what the window shows, for the desktop app: the main process owns the window
 * (webContents.printToPDF) and the save dialog. No `electron` import: the Electron calls come in
 * as `PdfTools`, so the decisions here are unit-tested in plain Node.
 */
import path from 'node:path';
import { contract, type IpcResult, type MethodResult } from '@flurfunk/protocol';
import { failure } from './ipcRouting.js';

export interface PdfTools {
  /** The path the user chose, or null when they cancelled. */
  chooseFile(defaultPath: string): Promise<string | null>;
  /** The page in its print layout, as PDF bytes. */
  printToPdf(): Promise<Uint8Array>;
  writeFile(filePath: string, bytes: Uint8Array): Promise<void>;
  /** Where the dialog opens (the user's documents folder). */
  documentsDir: string;
}

export async function savePageAsPdf(
  tools: PdfTools,
  args: unknown,
): Promise<IpcResult<MethodResult<'savePageAsPdf'>>> {
  const parsed = contract.savePageAsPdf.args.safeParse(args);
  if (!parsed.success) return failure('invalid_args', parsed.error.message);
  const filePath = await tools.chooseFile(path.join(tools.documentsDir, parsed.data.fileName));
  if (filePath === null) return { ok: true, value: { saved: false } };
  try {
    // Printed only once the user has chosen where, so a cancelled dialog costs nothing.
    await tools.writeFile(filePath, await tools.printToPdf());
    return { ok: true, value: { saved: true } };
  } catch (error) {
    return failure(
      'internal',
      `The PDF could not be saved: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
