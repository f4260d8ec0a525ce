export interface BackoffOptions {
  /** The longest wait after the first failure. */
  initialMs: number;
  /** No wait is longer than this, however many failures came before. */
  maxMs: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 1_000, maxMs: 60_000 };

/** 2^30 × any sensible initial wait is far beyond any maximum; stops the power from overflowing. */
const maxDoublings = 30;

/** The wait after `earlierFailures` failures in a row were followed by one more (see `Backoff`). */
export function jitteredDelayMs(
  { initialMs, maxMs }: BackoffOptions,
  earlierFailures: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(earlierFailures, maxDoublings));
  return Math.floor(random() * ceiling);
}

/**
 * Exponential backoff with full jitter: after the n-th failure in a row the wait is
 * `random() × min(maxMs, initialMs × 2^(n-1))`. The jitter spreads out the clients that lost the
 * server at the same moment (a restart), so they do not all come back in the same instant.
 */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly options: BackoffOptions = defaultBackoff,
    private readonly random: () => number = Math.random,
  ) {
    const { initialMs, maxMs } = options;
    if (!(initialMs > 0) || !(maxMs >= initialMs)) {
      throw new Error(`the backoff needs 0 < initialMs <= maxMs, got ${initialMs} and ${maxMs}`);
    }
  }

  /** Counts one more failure and returns how long to wait before the next attempt. */
  nextDelayMs(): number {
    return jitteredDelayMs(this.options, this.failures++, this.random);
  }

  /** A success: the next failure waits as briefly as the first. */
  reset(): void {
    this.failures = 0;
  }
}
