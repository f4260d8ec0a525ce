/**
 * The newsfeed's benchmarks (bench/feed/) on a feed of 10,000 posts (`BENCH_FEED_POSTS`):
 * `feed.cache.*`, the feed's reads on the encrypted cache against an unencrypted copy, and
 * `feed.paint.*`, opening the feed in Chromium through the browser host until the first post is
 * painted, against a user with a handful of posts. `BENCH_FEED=cache` (or `paint`) runs one group.
 */
import { runFeedCacheBenchmarks } from './feed/cache-figures.js';
import { runFeedPaintBenchmark } from './feed/paint-figures.js';
import { type BenchGroups, runPickedGroups } from './harness.js';

const groups: BenchGroups = [
  ['cache', runFeedCacheBenchmarks],
  ['paint', runFeedPaintBenchmark],
];

export function runFeedBenchmarks(): Promise<void> {
  return runPickedGroups('BENCH_FEED', groups);
}
