import { dataExportMediaType } from '@flurfunk/protocol';
import { CoreError } from '../errors.js';
import type { ServerSession } from '../session/server-session.js';

export interface DataExport {
  fileName: string;
  bytes: Uint8Array;
}

/** A name the ZIP may be saved under: the server's, if it is a plain one, else a safe default. */
function exportFileName(disposition: string | null): string {
  const named = /filename="([\w.@-]+\.zip)"/.exec(disposition ?? '')?.[1];
  return named ?? 'flurfunk-export.zip';
}

/**
 * Everything the server holds about the user, as the ZIP it produces (GDPR Art. 15 and 20),
 * fetched on request for the user to save. Nothing of it is kept on the device.
 */
export async function downloadDataExport(server: ServerSession): Promise<DataExport> {
  const response = await server.transfer('/api/v1/me/export', undefined, { method: 'GET' });
  if (response.headers.get('content-type')?.split(';')[0] !== dataExportMediaType) {
    await response.body?.cancel();
    throw new CoreError('server_error', 'the server sent something else than the export');
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { fileName: exportFileName(response.headers.get('content-disposition')), bytes };
}
