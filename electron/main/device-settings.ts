/**
 * The device's language and colour scheme as the person chose them in the app (kept by the core):
 * notifications and the tray speak that language, and the window's own frame follows the scheme.
 */
import { app, nativeTheme } from 'electron';
import type { Core } from '@flurfunk/core';
import { DeviceSettings, defaultDeviceSettings, type NotificationLocale } from '@flurfunk/protocol';

let current: DeviceSettings = defaultDeviceSettings;
const listeners = new Set<() => void>();

/** The language the main process speaks: the chosen one, else the system's. */
export function appLocale(): NotificationLocale {
  if (current.language !== 'system') return current.language;
  return app.getLocale().toLowerCase().startsWith('de') ? 'de' : 'en';
}

/** Calls `listener` whenever the language or scheme changes. */
export function onDeviceSettingsChanged(listener: () => void): void {
  listeners.add(listener);
}

function adopt(settings: DeviceSettings): void {
  current = settings;
  nativeTheme.themeSource = settings.theme;
  for (const listener of listeners) listener();
}

export function followDeviceSettings(core: Core): void {
  core.onEvent((name, payload) => {
    if (name !== 'deviceSettingsChanged') return;
    const parsed = DeviceSettings.safeParse(payload);
    if (parsed.success) adopt(parsed.data);
  });
  void core.invoke('getDeviceSettings', {}).then((result) => {
    const parsed = result.ok ? DeviceSettings.safeParse(result.value) : null;
    if (parsed?.success) adopt(parsed.data);
  });
}
