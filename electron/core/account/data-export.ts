import { dataExportMediaType } from '@flurfunk/protocol';
import { CoreError } from '../errors.js';
import { readCappedBytes } from '../session/http.js';
import type { ServerSession } from '../session/server-session.js';
import type { DataExportFile } from '../worker/frames.js';

/**
 * The largest export the app hands over: it passes through memory on its way to the download.
 * Larger ones (many big uploads) are refused in words; the files stay downloadable one by one.
 */
export const maxDataExportBytes = 1024 * 1024 * 1024;

/** A name the ZIP may be saved under: the server's, if it is a plain one, else a safe default. */
function exportFileName(disposition: string | null): string {
  const named = /filename="([\w.@-]+\.zip)"/.exec(disposition ?? '')?.[1];
  return named ?? 'flurfunk-export.zip';
}

/**
 * Everything the server holds about the user, as the ZIP it produces (GDPR Art. 15 and 20),
 * fetched on request for the user to save. Nothing of it is kept on the device.
 */
export async function downloadDataExport(server: ServerSession): Promise<DataExportFile> {
  const response = await server.transfer('/api/v1/me/export', undefined, { method: 'GET' });
  if (response.headers.get('content-type')?.split(';')[0] !== dataExportMediaType) {
    await response.body?.cancel();
    throw new CoreError('server_error', 'the server sent something else than the export');
  }
  const bytes = await readCappedBytes(
    response,
    maxDataExportBytes,
    () => new CoreError('file_too_large', `the export is larger than ${maxDataExportBytes} bytes`),
  );
  return { fileName: exportFileName(response.headers.get('content-disposition')), bytes };
}
