import { Id } from '@flurfunk/protocol';
import { z } from 'zod';
import type { Queryable } from '../db/database.js';

/**
 * PostgreSQL channel telling the other server instances on one database that devices were signed
 * out: an instance listening on it closes those devices' live sockets at once, rather than at its
 * next heartbeat's check of the connected devices.
 */
export const signedOutDevicesChannel = 'flurfunk_signed_out_devices';

/** NOTIFY payloads must stay below 8000 bytes: about 40 bytes per id. */
const maxDevicesPerNotice = 150;

const Payload = z.object({ deviceIds: z.array(Id).min(1).max(maxDevicesPerNotice) }).strict();

/** Sends the notices (one per batch of ids); a no-op for none. */
export async function notifySignedOutDevices(db: Queryable, deviceIds: readonly string[]): Promise<void> {
  for (let start = 0; start < deviceIds.length; start += maxDevicesPerNotice) {
    const batch = deviceIds.slice(start, start + maxDevicesPerNotice);
    await db.query('SELECT pg_notify($1, $2)', [
      signedOutDevicesChannel,
      JSON.stringify({ deviceIds: batch }),
    ]);
  }
}

/** The device ids of a notice; null for a payload this server does not understand. */
export function decodeSignedOutDevices(payload: string): string[] | null {
  try {
    const parsed = Payload.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data.deviceIds : null;
  } catch {
    return null;
  }
}
