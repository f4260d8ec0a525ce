import { AdvisoryLockClass } from '../db/advisory-locks.js';
import type { Database, Queryable } from '../db/database.js';

export const maxFailedLogins = 10;
export const failureWindowSeconds = 15 * 60;

export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Limits sign-in attempts per username in the database, so the limit holds across server
 * instances. Usernames are counted whether they exist or not: the answer never reveals which.
 *
 * An attempt counts from the moment it starts, not when its password turns out wrong: checking
 * and counting happen under a per-username lock before the (slow) password check, so parallel
 * guesses queue up behind the limit instead of all slipping past it. A successful sign-in clears
 * the count.
 */
export class LoginThrottle {
  constructor(private readonly db: Database) {}

  /** Counts an attempt for `username`, or refuses it (counting nothing) when the limit is reached. */
  begin(username: string): Promise<AttemptVerdict> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
        AdvisoryLockClass.loginAttempts,
        username,
      ]);
      // The attempt that has to age out of the window before fewer than the maximum remain.
      const [oldestBlocking] = await tx.query<{ wait: number }>(
        `SELECT ceil(extract(epoch FROM attempted_at + make_interval(secs => $2) - now()))::int AS wait
           FROM login_attempts
          WHERE username = $1 AND attempted_at > now() - make_interval(secs => $2)
          ORDER BY attempted_at DESC
          OFFSET $3 LIMIT 1`,
        [username, failureWindowSeconds, maxFailedLogins - 1],
      );
      if (oldestBlocking) return { allowed: false, retryAfterSeconds: Math.max(1, oldestBlocking.wait) };
      await tx.query('INSERT INTO login_attempts (username) VALUES ($1)', [username]);
      return { allowed: true };
    });
  }

  /** Forgets the username's attempts after it signed in successfully. */
  async succeeded(tx: Queryable, username: string): Promise<void> {
    await tx.query('DELETE FROM login_attempts WHERE username = $1', [username]);
  }

  async deleteExpired(): Promise<void> {
    await this.db.query(
      'DELETE FROM login_attempts WHERE attempted_at <= now() - make_interval(secs => $1)',
      [failureWindowSeconds],
    );
  }
}
