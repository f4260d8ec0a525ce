/**
 * The unread chat count outside the window: the dock badge on macOS, the launcher badge on Linux
 * desktops that support one, and an overlay dot on the Windows taskbar button (Windows has no
 * numeric badge; the count goes into the overlay's accessible description). The window title
 * carries the count too: the renderer sets it.
 */
import { app, nativeImage, type BrowserWindow, type NativeImage } from 'electron';
import type { Core } from '@flurfunk/core';
import { unreadCountText, type EventPayload } from '@flurfunk/protocol';
import { discIcon } from './bitmap-icons.js';
import { appLocale } from './device-settings.js';

let dot: NativeImage | null = null;

/** A red dot with a white rim. */
function unreadDot(): NativeImage {
  if (dot !== null) return dot;
  const { pixels, size } = discIcon(16, '#d02b2b', 2);
  dot = nativeImage.createFromBitmap(pixels, { width: size, height: size });
  return dot;
}

export function showUnreadCount(core: Core, window: () => BrowserWindow | null): () => void {
  return core.onEvent((name, payload) => {
    if (name !== 'unreadCountChanged') return;
    const { messages } = payload as EventPayload<'unreadCountChanged'>;
    app.setBadgeCount(messages);
    const target = window();
    if (process.platform === 'win32' && target !== null && !target.isDestroyed()) {
      target.setOverlayIcon(
        messages > 0 ? unreadDot() : null,
        messages > 0 ? unreadCountText(messages, appLocale()) : '',
      );
    }
  });
}
