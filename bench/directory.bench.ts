/**
 * The directory's search as you type (`npm run bench -- directory`): for 10,000 and 100,000
 * people in the encrypted cache, every keystroke of typing names, departments and phone numbers
 * is one `listPeople` from the query to the checked page of results the renderer's store gets.
 * The p95 over all keystrokes (goal: at most 16 ms, one frame) is measured against a plain
 * `LIKE` scan of the same table in the same run, once on the in-memory word index and once on
 * FTS5 alone (what answers while the index is built). Building the index is measured against
 * syncing the directory into the cache. `BENCH_DIRECTORY_SIZES=10000` picks sizes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { contract } from '@flurfunk/protocol';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { CacheDatabase } from '../electron/core/cache/database.js';
import { DirectoryStore } from '../electron/core/directory/directory-store.js';
import { applySyncPage } from '../electron/core/sync/apply-page.js';
import { generateDemoCompany } from '../server/src/demo/generate.js';
import { syncStoresFor } from '../tests/unit/core/sync-test-stores.js';
import { encryptedCache } from './cache-databases.js';
import { directoryPage } from './cache.bench.js';
import { noteFor, report } from './harness.js';

const note = noteFor('directory');
/** Rows a keystroke asks for: the first screen of the virtualized list and then some. */
const pageSize = 100;
const typedPeople = 40;
/**
 * Keystrokes timed per size, spread evenly over all that were typed: the LIKE baseline scans every
 * row each time, which at 100,000 people takes a good part of a second.
 */
const maxKeystrokes = 300;

function sizes(): number[] {
  const raw = process.env.BENCH_DIRECTORY_SIZES;
  if (!raw) return [10_000, 100_000];
  return raw.split(',').map((size) => {
    const value = Number(size);
    if (!Number.isInteger(value) || value < 100) throw new Error(`bad BENCH_DIRECTORY_SIZES entry "${size}"`);
    return value;
  });
}

function fillCache(db: CacheDatabase, size: number): { queries: string[]; syncMs: number } {
  const company = generateDemoCompany(size);
  const page = directoryPage(company);
  const start = process.hrtime.bigint();
  applySyncPage(db, syncStoresFor(db).stores, page, { kind: 'main', after: '0' }, null);
  const syncMs = Number(process.hrtime.bigint() - start) / 1e6;

  // What people type: a colleague's last name, first and last name, the department and a word of
  // the title, and a phone number, each one keystroke at a time.
  const units = new Map(company.orgUnits.map((unit) => [unit.id, unit.name]));
  const step = Math.max(1, Math.floor(company.people.length / typedPeople));
  const typed: string[] = [];
  for (let i = 0; i < company.people.length && typed.length < typedPeople * 4; i += step) {
    const { person } = company.people[i]!;
    const department = units.get(person.orgUnitId ?? '') ?? '';
    typed.push(
      person.lastName,
      `${person.firstName} ${person.lastName}`,
      `${department.split(' ')[0]} ${person.title.split(' ')[0]}`,
      person.phone.replace('+49 ', '0').slice(0, 10),
    );
  }
  const queries = typed.flatMap((text) =>
    [...text].map((_, end) => text.slice(0, end + 1)).filter((q) => q.trim() !== ''),
  );
  return { queries, syncMs };
}

/** The baseline: every word as a case-insensitive substring of any searched column. */
function likeScan(db: CacheDatabase): (query: string) => unknown {
  const columns = ['p.display_name', 'p.title', 'o.name', 'l.name', 'p.phone', 'p.email'];
  const statements = new Map<number, { list: Statement<string[]>; count: Statement<string[]> }>();
  return (query) => {
    const words = query
      .toLowerCase()
      .split(/\s+/)
      .filter((word) => word !== '');
    let statement = statements.get(words.length);
    if (!statement) {
      const where =
        words.map(() => `(${columns.map((c) => `lower(${c}) LIKE ?`).join(' OR ')})`).join(' AND ') || '1';
      const from = `people p LEFT JOIN org_units o ON o.id = p.org_unit_id LEFT JOIN locations l ON l.id = p.location_id`;
      statement = {
        list: db.prepare(
          `SELECT p.*, o.name AS org_unit_name, l.name AS location_name FROM ${from} WHERE ${where} ORDER BY p.sort_key LIMIT ${pageSize}`,
        ),
        count: db.prepare(`SELECT count(*) FROM ${from} WHERE ${where}`),
      };
      statements.set(words.length, statement);
    }
    const params = words.flatMap((word) => columns.map(() => `%${word}%`));
    return [statement.list.all(...params), statement.count.get(...params)];
  };
}

function p95(fn: (query: string) => unknown, queries: readonly string[]): number {
  for (const query of queries.slice(0, 20)) fn(query);
  const samples = queries.map((query) => {
    const start = process.hrtime.bigint();
    fn(query);
    return Number(process.hrtime.bigint() - start) / 1e6;
  });
  samples.sort((a, b) => a - b);
  return samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.95))] ?? Number.NaN;
}

export function runDirectoryBenchmarks(): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'flurfunk-bench-directory-'));
  try {
    for (const size of sizes()) {
      note(`filling an encrypted cache with ${size} people`);
      const db = encryptedCache(path.join(dir, `directory-${size}.db`));
      const { queries, syncMs } = fillCache(db, size);
      const step = Math.max(1, queries.length / maxKeystrokes);
      const timed = Array.from(
        { length: Math.min(maxKeystrokes, queries.length) },
        (_, i) => queries[Math.floor(i * step)]!,
      );
      note(`${timed.length} of ${queries.length} keystrokes`);
      const { args, result } = contract.listPeople;
      const searchOn = (directory: DirectoryStore) => (query: string) =>
        result.parse(directory.listPeople(args.parse({ query, offset: 0, limit: pageSize })));
      const indexed = new DirectoryStore(db, { searchIndex: 'immediate' });
      const start = process.hrtime.bigint();
      indexed.listPeople({ query: 'a', offset: 0, limit: 1 });
      const buildMs = Number(process.hrtime.bigint() - start) / 1e6;
      report(`directory.searchIndex.build.${size}people`, 'ms', buildMs, syncMs);
      const like = p95(likeScan(db), timed);
      report(`directory.search.p95.${size}people`, 'ms', p95(searchOn(indexed), timed), like);
      const ftsOnly = new DirectoryStore(db, { searchIndex: 'off' });
      report(`directory.search.fts.p95.${size}people`, 'ms', p95(searchOn(ftsOnly), timed), like);
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
