/**
 * The unread chat count outside the window: the dock badge on macOS, the launcher badge on Linux
 * desktops that support one, and an overlay dot on the Windows taskbar button (Windows has no
 * numeric badge; the count goes into the overlay's accessible description). The window title
 * carries the count too: the renderer sets it.
 */
import { app, nativeImage, type BrowserWindow, type NativeImage } from 'electron';
import type { Core } from '@flurfunk/core';
import { unreadCountText, type EventPayload } from '@flurfunk/protocol';
import { appLocale } from './notifications.js';

const dotSize = 16;
let dot: NativeImage | null = null;

/** A red dot with a white rim, drawn as a BGRA bitmap so no image file has to ship. */
function unreadDot(): NativeImage {
  if (dot !== null) return dot;
  const pixels = Buffer.alloc(dotSize * dotSize * 4);
  const centre = (dotSize - 1) / 2;
  for (let y = 0; y < dotSize; y++) {
    for (let x = 0; x < dotSize; x++) {
      const distance = Math.hypot(x - centre, y - centre);
      if (distance > dotSize / 2) continue;
      const rim = distance > dotSize / 2 - 2;
      pixels.set(rim ? [255, 255, 255, 255] : [0x2b, 0x2b, 0xd0, 255], (y * dotSize + x) * 4);
    }
  }
  dot = nativeImage.createFromBitmap(pixels, { width: dotSize, height: dotSize });
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
