import { z } from 'zod';
import { Timestamp } from './chat.js';
import { Id } from './ids.js';

/**
 * The signed-in person's own account: the devices signed in with it, and the export of
 * everything the server holds about them (GDPR Art. 15 and 20).
 */

/** A device signed in to the account (one sign-in of one app), as its owner sees it. */
export const DeviceView = z
  .object({
    id: Id,
    /** What the app called the device at sign-in (its computer name). */
    name: z.string(),
    signedInAt: Timestamp,
    lastUsedAt: Timestamp,
    /** The device asking. */
    current: z.boolean(),
  })
  .strict();
export type DeviceView = z.infer<typeof DeviceView>;

/** `GET /api/v1/me/devices`: the account's signed-in devices, most recently used first. */
export const DeviceList = z.object({ devices: z.array(DeviceView) }).strict();
export type DeviceList = z.infer<typeof DeviceList>;

/** `GET /api/v1/me/export`: a ZIP with `data.json`, the person's uploaded files and a README. */
export const dataExportMediaType = 'application/zip';
