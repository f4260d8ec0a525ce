/**
 * The one IPC entry point (`flurfunk:invoke`) and the event stream back to the window.
 * Which calls may pass is decided in ipcRouting.ts.
 */
import { writeFile } from 'node:fs/promises';
import { app, BrowserWindow, dialog, ipcMain, type WebContents } from 'electron';
import type { Core } from '@flurfunk/core';
import { ipcChannels, type EventName, type EventPayload, type IpcResult } from '@flurfunk/protocol';
import { failure, routeInvoke } from './ipcRouting.js';
import { type PdfTools, savePageAsPdf } from './save-pdf.js';
import { isTrustedSender } from './security.js';
import { getStartAtLogin, setStartAtLogin } from './start-at-login.js';

/** Registered at once so early calls wait for the core instead of finding no handler. */
export function handleInvokes(core: Promise<Core>): void {
  ipcMain.handle(
    ipcChannels.invoke,
    async (event, method: unknown, args: unknown): Promise<IpcResult<unknown>> => {
      const route = routeInvoke(event.senderFrame, method, args);
      if (route.action === 'reply') return route.result;
      // The window's own business: the core has no window to print.
      if (route.method === 'savePageAsPdf') return savePageAsPdf(pdfToolsFor(event.sender), route.args);
      // The OS's login items are the main process's to reach.
      if (route.method === 'getStartAtLogin') return getStartAtLogin(app);
      if (route.method === 'setStartAtLogin') return setStartAtLogin(app, route.args);
      try {
        return await (await core).invoke(route.method, route.args);
      } catch (error) {
        // The worker died or never started: still a typed answer, never a rejected promise.
        return failure('internal', `The Flurfunk core is not available: ${errorMessage(error)}`);
      }
    },
  );
}

function pdfToolsFor(contents: WebContents): PdfTools {
  return {
    documentsDir: app.getPath('documents'),
    async chooseFile(defaultPath) {
      const owner = BrowserWindow.fromWebContents(contents);
      const options = { defaultPath, filters: [{ name: 'PDF', extensions: ['pdf'] }] };
      const chosen = owner
        ? await dialog.showSaveDialog(owner, options)
        : await dialog.showSaveDialog(options);
      return chosen.canceled || !chosen.filePath ? null : chosen.filePath;
    },
    // The page's own print stylesheet (and its @page size) decides the layout.
    printToPdf: () => contents.printToPDF({ preferCSSPageSize: true, printBackground: false }),
    writeFile: (filePath, bytes) => writeFile(filePath, bytes),
  };
}

/** Sends core events to the window. */
export function forwardEvents(core: Core, window: () => BrowserWindow | null): () => void {
  return core.onEvent((name, payload) => {
    const target = window();
    if (target !== null) sendEvent(target, name, payload as EventPayload<typeof name>);
  });
}

/** Sends an event to the window while it shows the app itself (not some other page). */
export function sendEvent<E extends EventName>(
  target: BrowserWindow,
  name: E,
  payload: EventPayload<E>,
): void {
  if (target.isDestroyed()) return;
  const contents = target.webContents;
  if (!isTrustedSender(contents.mainFrame)) return;
  contents.send(ipcChannels.event, name, payload);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
