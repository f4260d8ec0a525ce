import type { DeviceList } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';
import { isoTimestamp } from '../db/sql.js';

/**
 * Why a device was signed out through the account's device list: `logout` for the device asking
 * (as if it had signed out itself), `signedOutElsewhere` for any other.
 */
export type DeviceSignOutReason = 'logout' | 'signedOutElsewhere';

/**
 * The person's devices that are still signed in, most recently used first. A device whose refresh
 * tokens have all expired (or were cleaned up) can never refresh again, so it is left out; the
 * device asking is always shown, since its access token still works.
 */
export async function listDevices(
  db: Queryable,
  personId: string,
  currentDeviceId: string,
): Promise<DeviceList> {
  const devices = await db.query<DeviceList['devices'][number]>(
    `SELECT d.id, d.name, ${isoTimestamp('d.created_at')} AS "signedInAt",
            ${isoTimestamp('d.last_used_at')} AS "lastUsedAt", d.id = $2 AS current
       FROM devices d
      WHERE d.person_id = $1 AND d.revoked_at IS NULL
        AND (d.id = $2 OR EXISTS (
              SELECT 1 FROM refresh_tokens t WHERE t.device_id = d.id AND t.expires_at > now()))
      ORDER BY d.last_used_at DESC, d.created_at DESC, d.id`,
    [personId, currentDeviceId],
  );
  return { devices };
}

/** Signs one of the person's devices out; false when it is not theirs or was signed out already. */
export async function signOutDevice(
  tx: Queryable,
  personId: string,
  deviceId: string,
  reason: DeviceSignOutReason,
): Promise<boolean> {
  const revoked = await tx.query(
    `UPDATE devices SET revoked_at = now(), revoked_reason = $3
      WHERE id = $1 AND person_id = $2 AND revoked_at IS NULL
     RETURNING id`,
    [deviceId, personId, reason],
  );
  return revoked.length > 0;
}

/** Signs out every device of the person but `keptDeviceId`; returns the ones it signed out. */
export async function signOutOtherDevices(
  tx: Queryable,
  personId: string,
  keptDeviceId: string,
): Promise<string[]> {
  const revoked = await tx.query<{ id: string }>(
    `UPDATE devices SET revoked_at = now(), revoked_reason = 'signedOutElsewhere'
      WHERE person_id = $1 AND id <> $2 AND revoked_at IS NULL
     RETURNING id`,
    [personId, keptDeviceId],
  );
  return revoked.map((row) => row.id);
}
