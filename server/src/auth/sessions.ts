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
/**
 * Tokens one refresh token may be exchanged for in all: the first answer and its retries (a client
 * retries a lost answer twice per attempt, and may make another attempt within the grace window).
 */
export const maxRetrySiblings = 10;

export type RefreshOutcome =
  | { status: 'rotated'; personId: string; deviceId: string; refreshToken: string }
  | { status: 'reused' }
  /** The device was signed out (by the user elsewhere, an admin, or a detected reuse). */
  | { status: 'revoked' }
  | { status: 'invalid' };

/**
 * Devices and their refresh-token families. Each device holds one chain of single-use refresh
 * tokens; presenting a token that was already used means it was copied, so the whole device is
 * revoked and both the thief and the owner have to sign in again.
 *
 * The one exception is a retry (see `refreshRetryGraceSeconds`): a token presented again soon
 * after its use, while none of the tokens issued for it has been used, gets another one. The
 * client may hold either (its first answer was lost, or the network sent its request twice and
 * it got the first answer): whichever is used first wins and spends its siblings, and a spent
 * sibling that turns up later counts as copied.
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
      if (row?.revoked) return { status: 'revoked' };
      if (!row || row.expired) return { status: 'invalid' };
      if (row.used) {
        if (!(
          row.recently_used &&
          row.successor !== null &&
          (await this.mayIssueSibling(tx, presentedHash))
        )) {
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
        // Its siblings were never used: they can only turn up now as copies.
        await tx.query(
          `UPDATE refresh_tokens SET used_at = now()
            WHERE issued_for = (SELECT issued_for FROM refresh_tokens WHERE token_hash = $1)
              AND token_hash <> $1 AND used_at IS NULL`,
          [presentedHash],
        );
      }
      await tx.query('UPDATE devices SET last_used_at = now() WHERE id = $1', [row.device_id]);
      const refreshToken = await this.issue(tx, row.device_id, presentedHash);
      await tx.query('UPDATE refresh_tokens SET replaced_by = $2 WHERE token_hash = $1', [
        presentedHash,
        hashRefreshToken(refreshToken),
      ]);
      return { status: 'rotated', personId: row.person_id, deviceId: row.device_id, refreshToken };
    });
  }

  /**
   * A retry may get another token while none of the tokens issued for the presented one has been
   * used, and only a few times: a thief cannot mint tokens with a copy.
   */
  private async mayIssueSibling(tx: Queryable, presentedHash: string): Promise<boolean> {
    const [row] = await tx.query<{ issued: number; used: number }>(
      `SELECT count(*)::int AS issued, count(used_at)::int AS used
         FROM refresh_tokens WHERE issued_for = $1`,
      [presentedHash],
    );
    return row !== undefined && row.used === 0 && row.issued < maxRetrySiblings;
  }

  async revoke(deviceId: string): Promise<void> {
    await this.db.transaction((tx) => this.revokeDevice(tx, deviceId, 'logout'));
  }

  /** Of these devices, the ones that are signed out (revoked) or gone; one query for all. */
  async inactiveAmong(deviceIds: readonly string[]): Promise<Set<string>> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT x.id::text AS id FROM unnest($1::uuid[]) AS x(id)
        WHERE NOT EXISTS (SELECT 1 FROM devices d WHERE d.id = x.id AND d.revoked_at IS NULL)`,
      [deviceIds],
    );
    return new Set(rows.map((row) => row.id));
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

  private async issue(tx: Queryable, deviceId: string, issuedFor: string | null = null): Promise<string> {
    const token = newRefreshToken();
    await tx.query(
      `INSERT INTO refresh_tokens (token_hash, device_id, expires_at, issued_for)
       VALUES ($1, $2, now() + make_interval(secs => $3), $4)`,
      [hashRefreshToken(token), deviceId, refreshTokenTtlSeconds, issuedFor],
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
    // The device's refresh tokens stay until they expire: presented again, they let the server
    // say "this device was signed out" (`device_revoked`) rather than "unknown token", so the
    // client wipes its data instead of keeping it for a sign-in that will not come.
  }
}
