/**
 * The Electron main process: app lifecycle only. Security decisions live in security.ts,
 * everything that can run without Electron lives in the core worker.
 */
import os from 'node:os';
import { app, dialog, session, type BrowserWindow, type Tray } from 'electron';
import { startCoreWorker, type Core } from '@flurfunk/core';
import { registerAppScheme, serveRenderer } from './appProtocol.js';
import { guardSession, guardWebContents } from './guards.js';
import { followDeviceSettings } from './device-settings.js';
import { forwardEvents, handleInvokes } from './ipc.js';
import { showChatNotifications } from './notifications.js';
import { bundlePaths } from './paths.js';
import { showTray } from './tray.js';
import { showUnreadCount } from './unread-badge.js';
import { parseUserDataDir, UserDataDirError } from './userDataDir.js';
import { createMainWindow } from './window.js';

const APP_ID = 'de.flurfunk.desktop';
// A core that hangs while closing must not keep the app from quitting.
const CORE_CLOSE_TIMEOUT_MS = 5000;

// main.cjs is a CommonJS bundle, so __dirname is dist/electron (inside app.asar when packaged).
const paths = bundlePaths(__dirname);

let mainWindow: BrowserWindow | null = null;
let core: Promise<Core> | null = null;
// Kept here for the app's lifetime: a tray nothing refers to is garbage-collected, icon and all.
const trays: Tray[] = [];

function applyUserDataDir(): boolean {
  try {
    const dir = parseUserDataDir(process.argv, process.env, process.cwd());
    // Before 'ready' and before the single-instance lock, which is per user-data directory.
    if (dir !== null) app.setPath('userData', dir);
    return true;
  } catch (error) {
    if (!(error instanceof UserDataDirError)) throw error;
    process.stderr.write(`Flurfunk: ${error.message}\n`);
    return false;
  }
}

function showMainWindow(): BrowserWindow {
  if (mainWindow !== null && !mainWindow.isDestroyed()) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
    return mainWindow;
  }
  const created = createMainWindow(paths.preload);
  created.on('closed', () => {
    mainWindow = null;
  });
  mainWindow = created;
  return created;
}

async function startCore(): Promise<Core> {
  const started = startCoreWorker(
    {
      dataDir: app.getPath('userData'),
      deviceName: os.hostname() || 'Flurfunk desktop',
      appVersion: app.getVersion(),
      host: 'electron',
      defaultServerUrl: process.env.FLURFUNK_DEFAULT_SERVER_URL || null,
    },
    paths.coreWorker,
  );
  try {
    const running = await started;
    forwardEvents(running, () => mainWindow);
    followDeviceSettings(running);
    showChatNotifications(running, showMainWindow, () => mainWindow);
    showUnreadCount(running, () => mainWindow);
    trays.push(showTray(running, showMainWindow));
    return running;
  } catch (error) {
    dialog.showErrorBox('Flurfunk', `Flurfunk could not start its local data service.\n\n${String(error)}`);
    app.exit(1);
    throw error;
  }
}

async function closeCore(): Promise<void> {
  if (core === null) return;
  const closing = core.then((running) => running.close());
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, CORE_CLOSE_TIMEOUT_MS).unref());
  await Promise.race([closing, timeout]).catch((error: unknown) => {
    console.error('Flurfunk: the core did not close cleanly', error);
  });
}

function main(): void {
  if (!applyUserDataDir()) {
    app.exit(2);
    return;
  }
  if (!app.requestSingleInstanceLock()) {
    // Another Flurfunk runs with this user-data directory; it gets focused via 'second-instance'.
    app.quit();
    return;
  }
  app.enableSandbox();
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  registerAppScheme();

  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  app.on('second-instance', showMainWindow);
  app.on('activate', () => {
    if (app.isReady()) showMainWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let coreClosed = false;
  app.on('will-quit', (event) => {
    if (coreClosed) return;
    event.preventDefault();
    coreClosed = true;
    void closeCore().finally(() => app.quit());
  });

  void app.whenReady().then(() => {
    guardSession(session.defaultSession);
    serveRenderer(paths.rendererDir, () => core);
    core = startCore();
    handleInvokes(core);
    showMainWindow();
  });
}

main();
