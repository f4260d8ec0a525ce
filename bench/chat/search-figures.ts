/**
 * `chat.search.<n>messages`: full-text search over a cache holding a million chat messages
 * (`BENCH_CHAT_MESSAGES`), through the core's own ChatStore (what the contract's `searchMessages`
 * calls): the top 50 with snippets, p95 over every query of several rounds, once on the SQLCipher
 * cache and, as the baseline, once on an unencrypted SQLite database with the same schema filled
 * the same way: the ratio is what encryption costs a search. `chat.cacheWrite.<n>messages` is
 * the time to write them (sync's upserts, the search index's triggers included), same baseline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SyncChange } from '@flurfunk/protocol';
import { ChatStore } from '../../electron/core/chat/chat-store.js';
import { type Opener, encryptedCache, plainCache } from '../cache-databases.js';
import { report, sizeFromEnv } from '../harness.js';
import { nowMs, percentile } from '../sync/stats.js';
import { type BenchChat, generateBenchChat } from './chat-data.js';
import { note } from './note.js';

/** What people look for: words, prefixes, umlauts, two words, rare and very common words. */
const searches = [
  'lieferung',
  'müller',
  'muller',
  'besprech',
  'schutzbrille unterweisung',
  'presse wartung',
  'weiß',
  'zeppelinstraße',
  'die',
  'termin qualität',
];
const rounds = 5;
const batch = 10_000;
const readerId = '0190a4b2-7c1e-7000-8000-00000000abcd';

function fill(store: ChatStore, db: ReturnType<Opener>, chat: BenchChat): number {
  const started = nowMs();
  let seq = 0;
  const apply = db.transaction((changes: SyncChange[]) => {
    for (const change of changes) store.apply(change);
  });
  apply(
    chat.conversations.map((data) => ({
      seq: String(++seq),
      id: data.id,
      scope: data.audience,
      type: 'conversation.upsert' as const,
      data,
    })),
  );
  for (let i = 0; i < chat.messages.length; i += batch) {
    apply(
      chat.messages.slice(i, i + batch).map((data) => ({
        seq: String(++seq),
        id: data.id,
        scope: `chat:${data.conversationId}` as const,
        type: 'message.upsert' as const,
        data,
      })),
    );
  }
  return nowMs() - started;
}

function measure(
  open: Opener,
  chat: BenchChat,
  dir: string,
  name: string,
): { write: number; search: number } {
  const db = open(path.join(dir, `${name}.db`));
  try {
    const store = new ChatStore(db, readerId);
    const write = fill(store, db, chat);
    note(`${name}: ${chat.messages.length} messages written in ${(write / 1000).toFixed(1)} s`);
    const samples: number[] = [];
    for (let round = 0; round <= rounds; round++) {
      for (const query of searches) {
        const started = nowMs();
        const hits = store.searchMessages({ query, limit: 50 });
        const elapsed = nowMs() - started;
        if (hits.length === 0) throw new Error(`"${query}" found nothing: the benchmark data is wrong`);
        // Round 0 warms the page cache and the statements; it is not counted.
        if (round > 0) samples.push(elapsed);
      }
    }
    return { write, search: percentile(samples, 95) };
  } finally {
    db.close();
  }
}

export function runChatSearchBenchmark(): void {
  const count = sizeFromEnv('BENCH_CHAT_MESSAGES', 1_000_000, 100);
  const chat = generateBenchChat({ count, conversationCount: 300, now: Date.now() });
  const dir = mkdtempSync(path.join(tmpdir(), 'flurfunk-bench-chat-'));
  try {
    const encrypted = measure(encryptedCache, chat, dir, 'encrypted');
    const plain = measure(plainCache, chat, dir, 'plain');
    report(`chat.search.p95.${count}messages`, 'ms', encrypted.search, plain.search);
    report(`chat.cacheWrite.${count}messages`, 'ms', encrypted.write, plain.write);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
