import type { FastifyBaseLogger } from 'fastify';
import type { LoginThrottle } from './login-throttle.js';
import type { Sessions } from './sessions.js';

const intervalMs = 60 * 60 * 1000;

/** Deletes expired refresh tokens and aged-out failed sign-ins now and then every hour. */
export function scheduleAuthCleanup(
  sessions: Sessions,
  throttle: LoginThrottle,
  log: FastifyBaseLogger,
): () => void {
  const run = () => {
    Promise.all([sessions.deleteExpired(), throttle.deleteExpired()]).catch((err: unknown) =>
      log.warn({ err }, 'auth cleanup failed; retrying in an hour'),
    );
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
