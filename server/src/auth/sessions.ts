import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Database, Queryable } from '../db/database.js';
import { hashRefreshToken, newRefreshToken } from './refresh-tokens.js';

/** A refresh token stays valid this long after it was issued (each refresh issues a new one). */
export const refreshTokenTtlSeconds = 30 * 24 * 60 * 60;

/**
 * A used refresh token presented again this soon after its rotation, while the token it was
 * exchanged for has never been used, is a client retrying a request whose answer got lost.
 * Clients retry promptly, so the window stays short: it is also a copied token's way in.
 */
export const refreshRetryGraceSeconds = 20;

export type RefreshOutcome =
  | { status: 'rotated'; personId: string; deviceId: string; refreshToken: string }
  | { status: 'reused' }
  | { status: 'invalid' };

/**
 * Devices and their refresh-token families. Each device holds one chain of single-use refresh
 * tokens; presenting a token that was already used means it was copied, so the whole device is
 * revoked and both the thief and the owner have to sign in again. The one exception is a retry
 * (see `refreshRetryGraceSeconds`): it gets a fresh token and the unclaimed successor is spent.
 */
export class Sessions {
  constructor(
    private readonly db: Database,
    private readonly log: FastifyBaseLogger,
  ) {}

  async open(
    tx: Queryable,
    personId: string,
    deviceName: string,
  ): Promise<{ deviceId: string; refreshToken: string }> {
    const deviceId = randomUUID();
    await tx.query('INSERT INTO devices (id, person_id, name) VALUES ($1, $2, $3)', [
      deviceId,
      personId,
      deviceName,
    ]);
    const refreshToken = await this.issue(tx, deviceId);
    return { deviceId, refreshToken };
  }

  refresh(presented: string): Promise<RefreshOutcome> {
    const presentedHash = hashRefreshToken(presented);
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<{
        device_id: string;
        person_id: string;
        used: boolean;
        recently_used: boolean;
        expired: boolean;
        revoked: boolean;
        successor: string | null;
      }>(
        `SELECT t.device_id, d.person_id, t.used_at IS NOT NULL AS used,
                t.used_at > now() - make_interval(secs => $2) AS recently_used,
                t.expires_at <= now() AS expired, d.revoked_at IS NOT NULL AS revoked,
                t.replaced_by AS successor
           FROM refresh_tokens t JOIN devices d ON d.id = t.device_id
          WHERE t.token_hash = $1
          FOR UPDATE OF t, d`,
        [presentedHash, refreshRetryGraceSeconds],
      );
      if (!row || row.revoked || row.expired) return { status: 'invalid' };
      if (row.used) {
        if (!(row.recently_used && (await this.claimUnusedSuccessor(tx, row.successor)))) {
          await this.revokeDevice(tx, row.device_id, 'tokenReused');
          return { status: 'reused' };
        }
        // Admins should see how often this happens: a retry and a quick thief look the same here.
        this.log.warn(
          { deviceId: row.device_id, personId: row.person_id },
          'refresh token presented again within the retry grace window; treated as a retry',
        );
      } else {
        await tx.query('UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1', [presentedHash]);
      }
      await tx.query('UPDATE devices SET last_used_at = now() WHERE id = $1', [row.device_id]);
      const refreshToken = await this.issue(tx, row.device_id);
      await tx.query('UPDATE refresh_tokens SET replaced_by = $2 WHERE token_hash = $1', [
        presentedHash,
        hashRefreshToken(refreshToken),
      ]);
      return { status: 'rotated', personId: row.person_id, deviceId: row.device_id, refreshToken };
    });
  }

  /**
   * A retry's successor has never been used: it is spent without being handed out again, so if
   * it does turn up later it counts as a copied token. False when there is no such successor.
   */
  private async claimUnusedSuccessor(tx: Queryable, successorHash: string | null): Promise<boolean> {
    if (successorHash === null) return false;
    const spent = await tx.query(
      'UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL RETURNING 1',
      [successorHash],
    );
    return spent.length > 0;
  }

  async revoke(deviceId: string): Promise<void> {
    await this.db.transaction((tx) => this.revokeDevice(tx, deviceId, 'logout'));
  }

  /** Checked on every authenticated request, so a revoked device's access tokens stop working at once. */
  async isActive(deviceId: string): Promise<boolean> {
    const [row] = await this.db.query<{ active: boolean }>(
      'SELECT revoked_at IS NULL AS active FROM devices WHERE id = $1',
      [deviceId],
    );
    return row?.active ?? false;
  }

  async deleteExpired(): Promise<void> {
    await this.db.query('DELETE FROM refresh_tokens WHERE expires_at <= now()');
  }

  private async issue(tx: Queryable, deviceId: string): Promise<string> {
    const token = newRefreshToken();
    await tx.query(
      `INSERT INTO refresh_tokens (token_hash, device_id, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3))`,
      [hashRefreshToken(token), deviceId, refreshTokenTtlSeconds],
    );
    return token;
  }

  private async revokeDevice(
    tx: Queryable,
    deviceId: string,
    reason: 'logout' | 'tokenReused',
  ): Promise<void> {
    await tx.query(
      'UPDATE devices SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL',
      [deviceId, reason],
    );
    await tx.query('DELETE FROM refresh_tokens WHERE device_id = $1 AND used_at IS NULL', [deviceId]);
  }
}
