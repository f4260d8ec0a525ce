/**
 * The newsfeed's benchmarks (bench/feed/) on a feed of 10,000 posts (`BENCH_FEED_POSTS`):
 * `feed.cache.*`, the feed's reads on the encrypted cache against an unencrypted copy, and
 * `feed.paint.*`, opening the feed in Chromium through the browser host until the first post is
 * painted, against a user with a handful of posts. `BENCH_FEED=cache` (or `paint`) runs one group.
 */
import { runFeedCacheBenchmarks } from './feed/cache-figures.js';
import { runFeedPaintBenchmark } from './feed/paint-figures.js';

const groups: ReadonlyArray<[string, () => void | Promise<void>]> = [
  ['cache', runFeedCacheBenchmarks],
  ['paint', runFeedPaintBenchmark],
];

export async function runFeedBenchmarks(): Promise<void> {
  const picked = (process.env.BENCH_FEED ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of picked) {
    if (!groups.some(([group]) => group === name))
      throw new Error(`BENCH_FEED names ${groups.map(([group]) => group).join(' and ')}, got "${name}"`);
  }
  for (const [name, run] of groups) if (picked.length === 0 || picked.includes(name)) await run();
}
