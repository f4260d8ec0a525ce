import { type ScopeKey, companyScope, parseScopeKey, scopeKey } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';

/**
 * Every scope a person has right now: the one place that decides who sees what. Sync pages, live
 * notices and REST routes all ask here. A person who no longer exists has none.
 *
 * A unit's tree scope (`orgUnitTree:<unit>`) is held by the members of that unit and of every
 * unit below it, so a person holds the tree scopes of their unit and all its ancestors.
 */
export async function scopesOf(db: Queryable, personId: string): Promise<ScopeKey[]> {
  return (await scopesOfMany(db, [personId])).get(personId) ?? [];
}

/** `scopesOf` for many people in one query: person id → scopes (no entry for someone unknown). */
export async function scopesOfMany(
  db: Queryable,
  personIds: readonly string[],
): Promise<Map<string, ScopeKey[]>> {
  if (personIds.length === 0) return new Map();
  const rows = await db.query<{ person_id: string; scope: string }>(
    `WITH RECURSIVE me AS (
       SELECT p.id, p.org_unit_id, p.location_id, coalesce(a.roles, '{}') AS roles
         FROM persons p LEFT JOIN accounts a ON a.person_id = p.id
        WHERE p.id = ANY($1::uuid[])),
     up(person_id, id, parent_id) AS (
       SELECT me.id, o.id, o.parent_id FROM org_units o JOIN me ON o.id = me.org_unit_id
       UNION
       SELECT up.person_id, o.id, o.parent_id FROM org_units o JOIN up ON o.id = up.parent_id)
     SELECT id AS person_id, $2 AS scope FROM me
     UNION ALL SELECT id, 'user:' || id FROM me
     UNION ALL SELECT id, 'orgUnit:' || org_unit_id FROM me WHERE org_unit_id IS NOT NULL
     UNION ALL SELECT person_id, 'orgUnitTree:' || id FROM up
     UNION ALL SELECT id, 'location:' || location_id FROM me WHERE location_id IS NOT NULL
     UNION ALL SELECT id, 'role:' || unnest(roles) FROM me
     UNION ALL SELECT m.person_id, 'chat:' || m.conversation_id
                 FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id
                WHERE m.person_id = ANY($1::uuid[]) AND c.kind <> 'channel'`,
    [[...new Set(personIds)], companyScope],
  );
  const scopes = new Map<string, ScopeKey[]>();
  for (const row of rows) {
    const list = scopes.get(row.person_id);
    if (list) list.push(row.scope as ScopeKey);
    else scopes.set(row.person_id, [row.scope as ScopeKey]);
  }
  return scopes;
}

/**
 * The inverse of `scopesOf`: a query selecting the ids (column `id`) of everyone who holds
 * `scope`, its parameter (if any) numbered `$<param>`. Whatever `scopesOf` grants, this must select,
 * and nothing else: a test compares the two on the demo company.
 */
export function scopeMembersQuery(scope: ScopeKey, param = 1): { sql: string; params: unknown[] } {
  const { kind, id } = parseScopeKey(scope);
  const $ = `$${param}`;
  switch (kind) {
    case 'company':
      return { sql: 'SELECT p.id FROM persons p', params: [] };
    case 'user':
      return { sql: `SELECT p.id FROM persons p WHERE p.id = ${$}::uuid`, params: [id] };
    case 'location':
      return { sql: `SELECT p.id FROM persons p WHERE p.location_id = ${$}::uuid`, params: [id] };
    case 'orgUnit':
      return { sql: `SELECT p.id FROM persons p WHERE p.org_unit_id = ${$}::uuid`, params: [id] };
    case 'orgUnitTree':
      return {
        sql: `SELECT p.id FROM persons p WHERE p.org_unit_id IN (
                WITH RECURSIVE down(id) AS (
                  SELECT o.id FROM org_units o WHERE o.id = ${$}::uuid
                  UNION
                  SELECT o.id FROM org_units o JOIN down d ON o.parent_id = d.id)
                SELECT id FROM down)`,
        params: [id],
      };
    case 'role':
      return {
        sql: `SELECT a.person_id AS id FROM accounts a WHERE a.roles @> ARRAY[${$}::text]`,
        params: [id],
      };
    case 'chat':
      return {
        sql: `SELECT m.person_id AS id FROM conversation_members m
                JOIN conversations c ON c.id = m.conversation_id AND c.kind <> 'channel'
               WHERE m.conversation_id = ${$}::uuid`,
        params: [id],
      };
  }
}

/** Everyone who holds `scope`: who receives what is in it. */
export async function membersOf(db: Queryable, scope: ScopeKey): Promise<string[]> {
  const { sql, params } = scopeMembersQuery(scope);
  const rows = await db.query<{ id: string }>(sql, params);
  return rows.map((row) => row.id);
}

/** How many people hold each of `scopes`, in one statement. */
export async function countMembers(
  db: Queryable,
  scopes: readonly ScopeKey[],
): Promise<Map<ScopeKey, number>> {
  const unique = [...new Set(scopes)];
  if (unique.length === 0) return new Map();
  let nextParam = 1;
  const parts = unique.map((scope, index) => {
    const { sql, params } = scopeMembersQuery(scope, nextParam);
    nextParam += params.length;
    return { sql: `SELECT ${index}::int AS i, count(*)::int AS count FROM (${sql}) m`, params };
  });
  const rows = await db.query<{ i: number; count: number }>(
    parts.map((part) => part.sql).join(' UNION ALL '),
    parts.flatMap((part) => part.params),
  );
  return new Map(rows.map((row) => [unique[row.i] as ScopeKey, row.count]));
}

export const userScope = (personId: string): ScopeKey => scopeKey('user', personId);
export const chatScope = (conversationId: string): ScopeKey => scopeKey('chat', conversationId);
