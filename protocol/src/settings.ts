import { z } from 'zod';

/**
 * What this device's person chose for the app itself: the language and the colour scheme. Kept
 * by the core for the profile (not per user): the login screen and the first paint use them, and
 * the Electron main process speaks the same language in notifications and the tray.
 */
export const LanguagePreference = z.enum(['system', 'de', 'en']);
export type LanguagePreference = z.infer<typeof LanguagePreference>;

export const ThemePreference = z.enum(['system', 'light', 'dark']);
export type ThemePreference = z.infer<typeof ThemePreference>;

export const DeviceSettings = z.object({ language: LanguagePreference, theme: ThemePreference }).strict();
export type DeviceSettings = z.infer<typeof DeviceSettings>;

export const defaultDeviceSettings: DeviceSettings = { language: 'system', theme: 'system' };

/** The user's cache on this device: how much it holds, and what is still waiting to be sent. */
export const CacheUsage = z
  .object({
    /** The encrypted database and kept files together. */
    bytes: z.number().int().nonnegative(),
    /** Writes not yet confirmed by the server: clearing the cache would lose them. */
    unsentChanges: z.number().int().nonnegative(),
  })
  .strict();
export type CacheUsage = z.infer<typeof CacheUsage>;
