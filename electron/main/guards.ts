/**
 * Applies the decisions of security.ts to every WebContents and to the session: navigation,
 * new windows, <webview>, web permissions, downloads and network access of the renderer.
 */
import { shell, type Session, type WebContents } from 'electron';
import { isAppUrl } from '../shared/renderer-policy.js';
import { decideNavigation, decideWindowOpen, isAllowedDownload, isAllowedPermission } from './security.js';

function openExternally(url: string): void {
  shell.openExternal(url).catch((error: unknown) => {
    console.error('Flurfunk: could not open link in the OS', error);
  });
}

export function guardWebContents(contents: WebContents): void {
  // 'will-frame-navigate' covers the main frame (like 'will-navigate') and every subframe.
  contents.on('will-frame-navigate', (event) => {
    const decision = decideNavigation(event.url, event.isMainFrame);
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'openExternally') openExternally(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (decideWindowOpen(url) === 'openExternally') openExternally(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function guardSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isAllowedPermission(permission, details.requestingUrl));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isAllowedPermission(permission, requestingOrigin),
  );
  ses.setDevicePermissionHandler(() => false);
  // Attachments are saved by the core from its encrypted cache, never by Chromium to disk; only a
  // file the renderer made (a calendar entry) may be saved, and Electron asks the user where.
  ses.on('will-download', (event, item) => {
    if (!isAllowedDownload(item.getURL())) event.preventDefault();
  });
  // The renderer has no business on the network (rule: only the core talks to the server). Requests
  // without a WebContents come from the main process itself and stay allowed.
  ses.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] },
    (details, callback) => callback({ cancel: details.webContentsId !== undefined }),
  );
}
