import type { SyncStatus } from '@flurfunk/protocol';

/**
 * The server dates an item when it is written but logs it when its transaction commits, so items
 * can arrive a little out of their time order: an item this much older than the newest one seen
 * still counts as new, unless it was already considered.
 */
const arrivalSlackMs = 60_000;
/** Ids of recently considered items kept, so none is news twice. */
const rememberedIds = 2000;

/** Something that can be news: its id, and when it appeared (server time, ISO). */
export interface Arrival {
  id: string;
  at: string;
}

/**
 * Tells which arriving items (messages, posts) are news worth a desktop notification. Nothing is
 * before this session's first complete pull, so the backlog of a first sync or of a weekend
 * offline never floods the screen; after it, an item is news when it is newer than those already
 * seen (give or take the arrival slack) and was not considered before.
 */
export class NewArrivals {
  /** Server time of the newest item already considered; null until the cache holds one. */
  private seenUpTo: string | null;
  private readonly considered = new Set<string>();
  private caughtUp = false;

  constructor(
    /** The newest item the device already holds, and the ids of those just before it. */
    held: { newest: string | null; since: (slackStart: string, limit: number) => Iterable<string> },
    /** When the last complete pull before this session ended: a pull ending later is this session's. */
    private readonly syncedBefore: string | null,
  ) {
    this.seenUpTo = held.newest;
    // What the device already holds was considered before: a change to it is no news.
    if (held.newest !== null) {
      for (const id of held.since(slackBefore(held.newest), rememberedIds)) this.considered.add(id);
    }
  }

  syncStatusChanged(status: SyncStatus): void {
    if (status.state === 'idle' && status.lastSyncedAt !== null && status.lastSyncedAt !== this.syncedBefore)
      this.caughtUp = true;
  }

  /** Whether an item with this id was considered already (a later change to it is no news). */
  wasConsidered(id: string): boolean {
    return this.considered.has(id);
  }

  /** Considers the arrivals (none considered before): returns those that are news. */
  consider<T extends Arrival>(arrivals: readonly T[]): T[] {
    const since = this.seenUpTo;
    for (const arrival of arrivals) {
      this.remember(arrival.id);
      if (this.seenUpTo === null || arrival.at > this.seenUpTo) this.seenUpTo = arrival.at;
    }
    if (!this.caughtUp || since === null) return [];
    const threshold = slackBefore(since);
    return arrivals.filter((arrival) => arrival.at > threshold);
  }

  private remember(id: string): void {
    this.considered.add(id);
    if (this.considered.size > rememberedIds) {
      const oldest = this.considered.values().next().value;
      if (oldest !== undefined) this.considered.delete(oldest);
    }
  }
}

function slackBefore(time: string): string {
  return new Date(Date.parse(time) - arrivalSlackMs).toISOString();
}
