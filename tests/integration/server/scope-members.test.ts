/**
 * `membersOf` (who receives what is in a scope) is the inverse of `scopesOf` (which scopes a
 * person has): on the demo company, for every scope anybody holds and for every person, the two
 * agree, so a channel's audience counts and reminders reach exactly the people who read it.
 */
import { type ScopeKey, scopeKey } from '@flurfunk/protocol';
import { pino } from 'pino';
import { v7 } from 'uuid';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../../server/src/db/database.js';
import { migrate } from '../../../server/src/db/migrate.js';
import { migrations } from '../../../server/src/db/migrations/index.js';
import { openDatabase } from '../../../server/src/db/open.js';
import { seedDemoCompany } from '../../../server/src/demo/seed.js';
import { countMembers, membersOf, scopesOf } from '../../../server/src/sync/scopes.js';
import { describeEachStorage } from '../support/server-backends.js';

describeEachStorage('scope members', (backend) => {
  const log = pino({ level: 'silent' });
  let db: Database;
  /** Every person's scopes, as `scopesOf` gives them. */
  let scopesByPerson: Map<string, ScopeKey[]>;

  beforeAll(async () => {
    db = await openDatabase(await backend.newStorage(), log);
    await migrate(db, migrations, log);
    await seedDemoCompany(db, 300, log);
    const people = await db.query<{ id: string }>('SELECT id FROM persons ORDER BY id');
    scopesByPerson = new Map();
    for (const { id } of people) scopesByPerson.set(id, await scopesOf(db, id));
  });

  afterAll(() => db?.close());

  it('selects exactly the people whose scopes include the scope, for every scope anybody holds', async () => {
    const held = new Set([...scopesByPerson.values()].flat());
    // Every kind of scope is among them, so every branch of the query is compared.
    const kinds = new Set([...held].map((scope) => scope.split(':')[0]));
    expect(kinds).toEqual(new Set(['company', 'user', 'orgUnit', 'orgUnitTree', 'location', 'role', 'chat']));
    for (const scope of held) {
      const expected = [...scopesByPerson].filter(([, scopes]) => scopes.includes(scope)).map(([id]) => id);
      expect((await membersOf(db, scope)).sort(), scope).toEqual(expected.sort());
    }
    const counts = await countMembers(db, [...held]);
    for (const scope of held) {
      expect(counts.get(scope), scope).toBe(
        [...scopesByPerson.values()].filter((scopes) => scopes.includes(scope)).length,
      );
    }
  });

  it('selects nobody for a scope nobody holds', async () => {
    // A chat channel lists its admins as members, yet its `chat:` scope is nobody's.
    const [channel] = await db.query<{ id: string }>(
      `SELECT c.id FROM conversations c
        WHERE c.kind = 'channel' AND EXISTS (SELECT 1 FROM conversation_members m WHERE m.conversation_id = c.id)`,
    );
    expect(channel).toBeDefined();
    const nobody: ScopeKey[] = [
      scopeKey('chat', channel?.id ?? ''),
      scopeKey('user', v7()),
      scopeKey('orgUnit', v7()),
      scopeKey('orgUnitTree', v7()),
      scopeKey('location', v7()),
      scopeKey('chat', v7()),
    ];
    for (const scope of nobody) expect(await membersOf(db, scope), scope).toEqual([]);
  });
});
