/**
 * The people whose data export is being written by this server instance. An export reads all of
 * a person's data and streams every file they uploaded, so one at a time per person is plenty;
 * a client repeating the request while the first still runs gets refused.
 *
 * Kept in memory: with several instances behind a load balancer a person could run one export per
 * instance at once, which bounds the cost just as well without a lock that outlives a crash.
 */
export class ExportsInProgress {
  private readonly running = new Set<string>();

  /** `atOnce`: exports of different people this instance writes at the same time, at most. */
  constructor(private readonly atOnce = 2) {}

  /**
   * Claims the person's export slot; returns its release, or null while another export of theirs
   * runs, or while the instance writes as many as it takes at once (each holds a snapshot of a
   * person's rows in memory).
   */
  tryStart(personId: string): (() => void) | null {
    if (this.running.has(personId) || this.running.size >= this.atOnce) return null;
    this.running.add(personId);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running.delete(personId);
    };
  }
}
