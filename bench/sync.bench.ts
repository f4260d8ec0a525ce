/**
 * The sync engine's benchmarks (bench/sync/): initial sync, catch-up, message latency and live
 * fan-out, each against a real server process on loopback with data seeded straight into its
 * database. Sizes come from the environment (bench/sync/bench-env.ts); `BENCH_SYNC=initial,…`
 * picks suites. Each suite cleans up its servers, clients and temp dirs, also when it fails.
 */
import { type SyncSuiteName, syncSuiteSelected } from './sync/bench-env.js';
import { runCatchUpBenchmark } from './sync/catch-up.bench.js';
import { runFanoutBenchmark } from './sync/fanout.bench.js';
import { runInitialSyncBenchmark } from './sync/initial-sync.bench.js';
import { runMessageLatencyBenchmark } from './sync/message-latency.bench.js';

const suites: ReadonlyArray<[SyncSuiteName, () => Promise<void>]> = [
  ['initial', runInitialSyncBenchmark],
  ['catchUp', runCatchUpBenchmark],
  ['messageLatency', runMessageLatencyBenchmark],
  ['fanout', runFanoutBenchmark],
];

export async function runSyncBenchmarks(): Promise<void> {
  for (const [name, run] of suites) if (syncSuiteSelected(name)) await run();
}
