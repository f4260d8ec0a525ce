/**
 * Where the phone list goes to paper. The view first renders its print-only copy (every person of
 * the current filter, see PhoneListView.vue), then calls this. The desktop app saves a PDF where
 * the user picks (the main process prints the window with Electron's printToPDF); the browser
 * host, or a desktop app that cannot, opens the print dialog, which can save a PDF as well.
 */
import type { AppInfo } from '@flurfunk/protocol';
import { call } from '@/api/index.js';

export type PrintHost = AppInfo['host'];

export async function printPhoneList(host: PrintHost, pdfFileName: string): Promise<void> {
  if (host === 'electron') {
    try {
      await call('savePageAsPdf', { fileName: pdfFileName });
      return;
    } catch {
      // Falls through to the print dialog.
    }
  }
  window.print();
}
