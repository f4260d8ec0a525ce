/**
 * The chat's benchmarks (bench/chat/): `chat.search.*`, full-text search over a million cached
 * messages on the encrypted cache against an unencrypted copy, and `chat.paint.*`, opening a
 * conversation of 100,000 messages in Chromium. The send→receive latency through the server is
 * the sync suite's `sync.messageLatency.*`. `BENCH_CHAT=search` (or `paint`) runs one group.
 */
import { runChatPaintBenchmark } from './chat/paint-figures.js';
import { runChatSearchBenchmark } from './chat/search-figures.js';
import { type BenchGroups, runPickedGroups } from './harness.js';

const groups: BenchGroups = [
  ['search', runChatSearchBenchmark],
  ['paint', runChatPaintBenchmark],
];

export function runChatBenchmarks(): Promise<void> {
  return runPickedGroups('BENCH_CHAT', groups);
}
