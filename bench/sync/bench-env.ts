/**
 * Sizes of the sync benchmarks, from the environment so a quick run is possible
 * (e.g. `BENCH_PEOPLE=1000 BENCH_MESSAGES=5000 npm run bench`). Defaults are the targets.
 */
import { noteFor, sizeFromEnv } from '../harness.js';

export const syncBenchSizes = {
  /** Employees of the company whose directory is synced. */
  people: sizeFromEnv('BENCH_PEOPLE', 10_000),
  /** Messages in the user's scopes at the initial sync. */
  messages: sizeFromEnv('BENCH_MESSAGES', 200_000),
  /** Changes a closed client misses before it catches up. */
  catchUpChanges: sizeFromEnv('BENCH_CATCHUP_CHANGES', 5_000),
  /** Conversations those changes are spread over. */
  catchUpConversations: sizeFromEnv('BENCH_CATCHUP_CONVERSATIONS', 200),
  /** Messages sent one after another for the latency percentiles. */
  latencyMessages: sizeFromEnv('BENCH_LATENCY_MESSAGES', 1_000),
  /** Live sockets connected at once; half of them are members of the group that is written to. */
  fanoutClients: sizeFromEnv('BENCH_FANOUT_CLIENTS', 2_000),
};

export type SyncSuiteName = 'initial' | 'catchUp' | 'messageLatency' | 'fanout';

/** `BENCH_SYNC=initial,fanout` runs only those sync suites; unset runs all of them. */
export function syncSuiteSelected(name: SyncSuiteName): boolean {
  const raw = process.env.BENCH_SYNC;
  if (raw === undefined || raw.trim() === '') return true;
  return raw
    .split(',')
    .map((part) => part.trim())
    .includes(name);
}

/** Progress and context go to stderr: stdout carries only the JSON figures. */
export const note = noteFor('sync');
