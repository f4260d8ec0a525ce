/** Thrown by `ConcurrencyLimit.run` when all slots are busy and the waiting line is full. */
export class ConcurrencyLimitFullError extends Error {
  constructor() {
    super('all slots are busy and the waiting line is full');
    this.name = 'ConcurrencyLimitFullError';
  }
}

/**
 * Runs at most `slots` tasks at a time; up to `maxWaiting` others wait in arrival order, and any
 * beyond that are refused at once, so a burst cannot pile up unbounded work and memory.
 */
export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly slots: number,
    private readonly maxWaiting: number,
  ) {
    if (!Number.isInteger(slots) || slots < 1)
      throw new Error(`slots must be a positive integer, got ${slots}`);
    if (!Number.isInteger(maxWaiting) || maxWaiting < 0)
      throw new Error(`maxWaiting must be a non-negative integer, got ${maxWaiting}`);
  }

  /** Rejects with `ConcurrencyLimitFullError` (without running `task`) when the line is full. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) {
      if (this.waiting.length >= this.maxWaiting) throw new ConcurrencyLimitFullError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running += 1;
    try {
      return await task();
    } finally {
      // A finished task hands its slot straight to the next waiter, so `running` stays counted.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
