/**
 * The tray icon: the company's primary colour, its name for the app and the unread count as the
 * tooltip, and a menu to open the window or quit.
 */
import { app, Menu, nativeImage, Tray } from 'electron';
import type { Core } from '@flurfunk/core';
import {
  type Branding,
  Branding as BrandingSchema,
  type EventPayload,
  trayMenuText,
  trayTooltip,
} from '@flurfunk/protocol';
import { discIcon } from './bitmap-icons.js';
import { appLocale, onDeviceSettingsChanged } from './device-settings.js';

function brandIcon(color: string) {
  const { pixels, size } = discIcon(32, color, 0);
  return nativeImage.createFromBitmap(pixels, { width: size, height: size, scaleFactor: 2 });
}

export function showTray(core: Core, showWindow: () => void): Tray {
  let appName = 'Flurfunk';
  let unread = 0;
  const tray = new Tray(brandIcon('#0a5bb0'));
  const retitle = () => tray.setToolTip(trayTooltip(appName, unread, appLocale()));
  const rebrand = (branding: Branding) => {
    appName = branding.appName;
    tray.setImage(brandIcon(branding.primaryColor));
    retitle();
  };
  const relabel = () => {
    const words = trayMenuText(appLocale());
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: words.open, click: showWindow },
        { type: 'separator' },
        { label: words.quit, click: () => app.quit() },
      ]),
    );
    retitle();
  };
  tray.on('click', showWindow);
  relabel();
  onDeviceSettingsChanged(relabel);
  void core.invoke('getBranding', {}).then((result) => {
    const branding = result.ok ? BrandingSchema.safeParse(result.value) : null;
    if (branding?.success) rebrand(branding.data);
  });
  core.onEvent((name, payload) => {
    if (name === 'brandingChanged') rebrand(payload as EventPayload<'brandingChanged'>);
    if (name === 'unreadCountChanged') {
      unread = (payload as EventPayload<'unreadCountChanged'>).messages;
      retitle();
    }
  });
  return tray;
}
