/**
 * The sync engine's benchmarks (bench/sync/): initial sync, catch-up, message latency and live
 * fan-out, each against a real server process on loopback with data seeded straight into its
 * database, on PostgreSQL and on PGlite (bench/sync/server-storage.ts). Sizes come from the
 * environment (bench/sync/bench-env.ts); `BENCH_SYNC=initial,…` picks suites, `BENCH_DB=…` storages. Each suite cleans up its servers, clients and temp dirs, also when it fails.
 */
import { type SyncSuiteName, syncSuiteSelected } from './sync/bench-env.js';
import { runCatchUpBenchmark } from './sync/catch-up.bench.js';
import { runFanoutBenchmark } from './sync/fanout.bench.js';
import { runInitialSyncBenchmark } from './sync/initial-sync.bench.js';
import { runMessageLatencyBenchmark } from './sync/message-latency.bench.js';
import { type StorageName, benchStorages } from './sync/server-storage.js';

const suites: ReadonlyArray<[SyncSuiteName, (storage: StorageName) => Promise<void>]> = [
  ['initial', runInitialSyncBenchmark],
  ['catchUp', runCatchUpBenchmark],
  ['messageLatency', runMessageLatencyBenchmark],
  ['fanout', runFanoutBenchmark],
];

export async function runSyncBenchmarks(): Promise<void> {
  for (const storage of benchStorages()) {
    for (const [name, run] of suites) if (syncSuiteSelected(name)) await run(storage);
  }
}
