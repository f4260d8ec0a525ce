/**
 * `npm run bench [cache|sync|feed|chat|directory …]`: runs the named benchmark suites (all without names) and prints
 * one JSON line per figure (`{name, value, unit, baseline, ratio}`; see harness.ts). Add new
 * suites to `suites`.
 */
import { runCacheBenchmarks } from './cache.bench.js';
import { runChatBenchmarks } from './chat.bench.js';
import { runDirectoryBenchmarks } from './directory.bench.js';
import { runFeedBenchmarks } from './feed.bench.js';
import { runSyncBenchmarks } from './sync.bench.js';

const suites: Record<string, () => void | Promise<void>> = {
  cache: runCacheBenchmarks,
  sync: runSyncBenchmarks,
  feed: runFeedBenchmarks,
  chat: runChatBenchmarks,
  directory: runDirectoryBenchmarks,
};

const picked = process.argv.slice(2);
for (const name of picked) {
  if (!(name in suites))
    throw new Error(`no benchmark suite "${name}" (there are: ${Object.keys(suites).join(', ')})`);
}
for (const [name, suite] of Object.entries(suites)) {
  if (picked.length === 0 || picked.includes(name)) await suite();
}
