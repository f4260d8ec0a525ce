import { type ScopeKey, companyScope, scopeKey } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';

/**
 * Every scope a person has right now: the one place that decides who sees what. Sync pages, live
 * notices and REST routes all ask here. A person who no longer exists has none.
 *
 * A unit's tree scope (`orgUnitTree:<unit>`) is held by the members of that unit and of every
 * unit below it, so a person holds the tree scopes of their unit and all its ancestors.
 */
export async function scopesOf(db: Queryable, personId: string): Promise<ScopeKey[]> {
  const rows = await db.query<{ scope: string }>(
    `WITH RECURSIVE me AS (
       SELECT p.id, p.org_unit_id, p.location_id, coalesce(a.roles, '{}') AS roles
         FROM persons p LEFT JOIN accounts a ON a.person_id = p.id
        WHERE p.id = $1),
     up(id, parent_id) AS (
       SELECT o.id, o.parent_id FROM org_units o JOIN me ON o.id = me.org_unit_id
       UNION
       SELECT o.id, o.parent_id FROM org_units o JOIN up ON o.id = up.parent_id)
     SELECT $2 AS scope FROM me
     UNION ALL SELECT 'user:' || id FROM me
     UNION ALL SELECT 'orgUnit:' || org_unit_id FROM me WHERE org_unit_id IS NOT NULL
     UNION ALL SELECT 'orgUnitTree:' || id FROM up
     UNION ALL SELECT 'location:' || location_id FROM me WHERE location_id IS NOT NULL
     UNION ALL SELECT 'role:' || unnest(roles) FROM me
     UNION ALL SELECT 'chat:' || m.conversation_id
                 FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id
                WHERE m.person_id = $1 AND c.kind <> 'channel'`,
    [personId, companyScope],
  );
  return rows.map((row) => row.scope as ScopeKey);
}

export const userScope = (personId: string): ScopeKey => scopeKey('user', personId);
export const chatScope = (conversationId: string): ScopeKey => scopeKey('chat', conversationId);
