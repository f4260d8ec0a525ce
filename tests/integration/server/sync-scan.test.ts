/**
 * A sync page costs what it returns, however long the change log: each of the caller's scopes is
 * read as an index range that stops after the page. Checked on the query plan PostgreSQL (and
 * PGlite) choose with statistics of a long log, so a change to the query or the indexes that
 * brings back a scan of the whole log fails here, not only in the benchmark.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../../server/src/db/database.js';
import { migrate } from '../../../server/src/db/migrate.js';
import { migrations } from '../../../server/src/db/migrations/index.js';
import { openDatabase } from '../../../server/src/db/open.js';
import { changesInScopes } from '../../../server/src/sync/sync-store.js';
import { describeEachStorage } from '../support/server-backends.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

const scopeOf = (kind: string, n: number) => `${kind}:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const busyChats = [1, 2, 3, 4].map((n) => scopeOf('chat', n));
const quietScopes = Array.from({ length: 12 }, (_, n) => scopeOf('orgUnitTree', 100 + n));
/** Chats the reader is not in. */
const otherChats = Array.from({ length: 97 }, (_, n) => scopeOf('chat', 900 + n));

describeEachStorage('the sync scan', (backend) => {
  let db: Database;

  beforeAll(async () => {
    const log = pino({ level: 'silent' });
    db = await openDatabase(await backend.newStorage(), log);
    await migrate(db, migrations, log);
    // 40,000 messages in four busy chats, a few early changes in each quiet scope, and 20,000
    // changes in scopes the reader does not have.
    await db.query(
      `INSERT INTO change_log (entity_type, entity_id, op, scope)
       SELECT 'orgUnit', gen_random_uuid(), 'upsert', s FROM unnest($1::text[]) AS s, generate_series(1, 3)`,
      [quietScopes],
    );
    await db.query(
      `INSERT INTO change_log (entity_type, entity_id, op, scope)
       SELECT 'message', gen_random_uuid(), 'upsert',
              CASE WHEN i % 3 = 0 THEN ($2::text[])[1 + i % 97] ELSE ($1::text[])[1 + i % 4] END
         FROM generate_series(1, 60000) AS i`,
      [busyChats, otherChats],
    );
    await db.exec('ANALYZE change_log');
  });

  afterAll(() => db?.close());

  it('reads each scope from its index and stops after the page, however long the log', async () => {
    const [{ seq } = { seq: '0' }] = await db.query<{ seq: string }>(
      'SELECT seq::text AS seq FROM change_log ORDER BY seq OFFSET 45000 LIMIT 1',
    );
    const [row] = await db.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${changesInScopes}`,
      [[...quietScopes, ...busyChats], seq, '9223372036854775807', true, 1001],
    );
    const nodes = nodesOf(row!['QUERY PLAN'][0]!.Plan);
    const onLog = nodes.filter((node) => node['Relation Name'] === 'change_log');
    expect(onLog.length).toBeGreaterThan(0);
    for (const node of onLog) {
      expect(node['Node Type']).toMatch(/^Index (Only )?Scan$/);
      expect(node['Index Name']).toBe('change_log_scope_seq');
    }
    // At most a page per busy scope, nothing from the quiet ones: not the 15,000 changes left.
    const read = onLog.reduce(
      (sum, node) => sum + (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1),
      0,
    );
    expect(read).toBeLessThanOrEqual(busyChats.length * 1001);
  });
});
