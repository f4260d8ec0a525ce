export interface WakeDetectorOptions {
  /** Called after the machine slept (or the process was frozen) for `sleptMs`. */
  onWake(sleptMs: number): void;
  /** How often the clock is looked at; a gap of more than three of these counts as sleep. */
  intervalMs?: number;
  /** The wall clock. */
  now?: () => number;
}

export const defaultWakeCheckIntervalMs = 5_000;
/** A late tick of a busy event loop is not sleep; a gap of several ticks is. */
const ticksMissedForSleep = 3;

/**
 * Notices that the machine slept, without Electron's powerMonitor (the core runs in plain Node).
 * Node's timers run on a monotonic clock that stands still while the machine sleeps, so a timer
 * alone cannot tell; the wall clock keeps going. A tick that finds the wall clock far ahead of
 * when the previous tick ran means the machine was asleep in between.
 */
export class WakeDetector {
  private timer: NodeJS.Timeout | null = null;
  private lastTick = 0;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: WakeDetectorOptions) {
    this.intervalMs = options.intervalMs ?? defaultWakeCheckIntervalMs;
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (this.timer) return;
    this.lastTick = this.now();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    // Watching the clock never keeps a process alive.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    const now = this.now();
    const elapsed = now - this.lastTick;
    this.lastTick = now;
    // A clock set back (elapsed < 0) is no sleep: the next tick measures from the new time.
    if (elapsed > this.intervalMs * ticksMissedForSleep) this.options.onWake(elapsed);
  }
}
