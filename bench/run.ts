/**
 * `npm run bench`: runs every benchmark and prints one JSON line per figure
 * (`{name, value, unit, baseline, ratio}`; see harness.ts). Add new suites to `suites`.
 */
import { runCacheBenchmarks } from './cache.bench.js';
import { runSyncBenchmarks } from './sync.bench.js';

const suites: Array<() => void | Promise<void>> = [runCacheBenchmarks, runSyncBenchmarks];

for (const suite of suites) await suite();
