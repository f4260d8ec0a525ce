/**
 * Fills a server's database directly with SQL before the server starts: much faster than the API
 * for benchmark-sized data, and the rows (entities plus their change-log rows) are the ones the
 * server's own writes would leave.
 */
import { pino } from 'pino';
import type { Database } from '../../server/src/db/database.js';
import { migrate } from '../../server/src/db/migrate.js';
import { migrations } from '../../server/src/db/migrations/index.js';
import { openDatabase } from '../../server/src/db/open.js';
import { seedDemoCompany } from '../../server/src/demo/seed.js';
import type { ServerStorage } from './server-storage.js';

const silent = pino({ level: 'silent' });

/** Opens the server's database (migrated), runs `work`, and closes it again. */
export async function withServerDatabase<T>(
  storage: ServerStorage,
  work: (db: Database) => Promise<T>,
): Promise<T> {
  const db = await openDatabase(storage.location, silent);
  try {
    await migrate(db, migrations, silent);
    const result = await work(db);
    // Planner statistics and visibility as a running server's autovacuum keeps them.
    await db.exec('VACUUM ANALYZE');
    return result;
  } finally {
    await db.close();
  }
}

/** The demo company with `people` employees (demo accounts included, password `flurfunk-demo`). */
export function seedCompany(db: Database, people: number): Promise<void> {
  return seedDemoCompany(db, people, silent);
}

export async function personIdOf(db: Database, username: string): Promise<string> {
  const [row] = await db.query<{ id: string }>('SELECT id FROM persons WHERE username = $1', [username]);
  if (!row) throw new Error(`the seeded company has no ${username}`);
  return row.id;
}

/** The first `count` people by user name, a stable choice across runs. */
export async function somePeople(
  db: Database,
  count: number,
): Promise<Array<{ id: string; roles: string[] }>> {
  const rows = await db.query<{ id: string; roles: string[] }>(
    `SELECT p.id, a.roles FROM persons p JOIN accounts a ON a.person_id = p.id ORDER BY p.username LIMIT $1`,
    [count],
  );
  if (rows.length < count) throw new Error(`the seeded company has only ${rows.length} people, not ${count}`);
  return rows;
}

/**
 * Group conversations of `memberIds` (the first one is their admin), each with its change-log
 * row in the group's scope. Returns the ids in creation order.
 */
export async function createGroups(
  db: Database,
  options: { count: number; memberIds: readonly string[]; title: string },
): Promise<string[]> {
  const [adminId, ...others] = options.memberIds;
  if (adminId === undefined) throw new Error('a group needs at least one member');
  return db.transaction(async (tx) => {
    const created = await tx.query<{ id: string }>(
      `INSERT INTO conversations (id, kind, title, audience, created_by)
       SELECT id, 'group', $2 || ' ' || n, 'chat:' || id, $3
         FROM (SELECT n, gen_random_uuid() AS id FROM generate_series(1, $1) AS n) g
        ORDER BY n
       RETURNING id`,
      [options.count, options.title, adminId],
    );
    const ids = created.map((row) => row.id);
    await tx.query(
      `INSERT INTO conversation_members (conversation_id, person_id, role)
       SELECT c, $2::uuid, 'admin' FROM unnest($1::uuid[]) AS c
       UNION ALL
       SELECT c, p, 'member' FROM unnest($1::uuid[]) AS c CROSS JOIN unnest($3::uuid[]) AS p`,
      [ids, adminId, others],
    );
    await tx.query(
      `INSERT INTO change_log (entity_type, entity_id, op, scope)
       SELECT 'conversation', c, 'upsert', 'chat:' || c FROM unnest($1::uuid[]) WITH ORDINALITY AS x(c, n)
        ORDER BY n`,
      [ids],
    );
    return ids;
  });
}

/**
 * `total` messages spread round-robin over the conversations and authors, one second apart and
 * ending now, with bodies of 20 to 140 characters; their change-log rows follow in creation order.
 */
export async function insertMessages(
  db: Database,
  options: { conversationIds: readonly string[]; authorIds: readonly string[]; total: number },
): Promise<void> {
  const batch = 50_000;
  for (let from = 1; from <= options.total; from += batch) {
    const to = Math.min(options.total, from + batch - 1);
    // One statement per batch: the change-log rows take the messages' order from the CTE. Ids
    // are UUIDv7 of the sending time, as clients make them (PostgreSQL 15 has no uuidv7()).
    await db.query(
      `WITH sent AS (
         SELECT i, now() - make_interval(secs => $5 - i) AS at, md5(random()::text) AS r
           FROM generate_series($3::int, $4::int) AS i),
       inserted AS (
         INSERT INTO messages (id, conversation_id, author_id, body, created_at)
         SELECT (lpad(to_hex(floor(extract(epoch FROM at) * 1000)::bigint), 12, '0')
                   || '7' || substr(r, 1, 3) || '8' || substr(r, 4, 15))::uuid,
                ($1::uuid[])[1 + i % cardinality($1::uuid[])],
                ($2::uuid[])[1 + i % cardinality($2::uuid[])],
                'Nachricht ' || i || ': ' || left(repeat('Kurze Abstimmung zur Schicht und zum Material. ', 4),
                                                   20 + (i * 37) % 120),
                at
           FROM sent
         RETURNING id, conversation_id, created_at)
       INSERT INTO change_log (entity_type, entity_id, op, scope)
       SELECT 'message', id, 'upsert', 'chat:' || conversation_id FROM inserted ORDER BY created_at, id`,
      [options.conversationIds, options.authorIds, from, to, options.total],
    );
  }
}

/** A signed-in device per person, as a login would leave it (without its refresh token). */
export async function insertDevices(
  db: Database,
  personIds: readonly string[],
): Promise<Map<string, string>> {
  const rows = await db.query<{ id: string; person_id: string }>(
    `INSERT INTO devices (id, person_id, name)
     SELECT gen_random_uuid(), p, 'Benchmark' FROM unnest($1::uuid[]) AS p
     RETURNING id, person_id`,
    [personIds],
  );
  return new Map(rows.map((row) => [row.person_id, row.id]));
}
