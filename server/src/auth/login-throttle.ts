import type { Database, Queryable } from '../db/database.js';

export const maxFailedLogins = 10;
export const failureWindowSeconds = 15 * 60;

/**
 * Counts failed sign-ins per username in the database, so the limit holds across server
 * instances. Usernames are counted whether they exist or not: the answer never reveals which.
 */
export class LoginThrottle {
  constructor(private readonly db: Database) {}

  /** Seconds until another attempt is allowed, or null when the username is not blocked. */
  async retryAfterSeconds(username: string): Promise<number | null> {
    // The attempt that has to age out of the window before fewer than the maximum remain.
    const [row] = await this.db.query<{ wait: number }>(
      `SELECT ceil(extract(epoch FROM failed_at + make_interval(secs => $2) - now()))::int AS wait
         FROM login_failures
        WHERE username = $1 AND failed_at > now() - make_interval(secs => $2)
        ORDER BY failed_at DESC
        OFFSET $3 LIMIT 1`,
      [username, failureWindowSeconds, maxFailedLogins - 1],
    );
    return row ? Math.max(1, row.wait) : null;
  }

  async recordFailure(username: string): Promise<void> {
    await this.db.query('INSERT INTO login_failures (username) VALUES ($1)', [username]);
  }

  async clear(tx: Queryable, username: string): Promise<void> {
    await tx.query('DELETE FROM login_failures WHERE username = $1', [username]);
  }

  async deleteExpired(): Promise<void> {
    await this.db.query('DELETE FROM login_failures WHERE failed_at <= now() - make_interval(secs => $1)', [
      failureWindowSeconds,
    ]);
  }
}
