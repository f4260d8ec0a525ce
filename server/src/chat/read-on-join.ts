import type { ScopeKey } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';
import type { EntityChange } from '../sync/change-log.js';
import { scopesOfMany, userScope } from '../sync/scopes.js';

/**
 * Whoever joins a conversation starts with its history read: they can scroll through it, but a new
 * colleague does not face thousands of unread messages from before their time. Only people without
 * a read position get one; the returned changes tell their devices.
 */

const newestMessage = `(SELECT m.id FROM messages m WHERE m.conversation_id = c.id
                         ORDER BY m.created_at DESC, m.id DESC LIMIT 1)`;

function settingsChanges(rows: readonly { person_id: string; conversation_id: string }[]): EntityChange[] {
  return rows.map((row) => ({
    entityType: 'conversationSettings',
    entityId: row.conversation_id,
    op: 'upsert',
    scope: userScope(row.person_id),
  }));
}

/** New members of a group start at its newest message. */
export async function startMembersAtNewest(
  tx: Queryable,
  conversationId: string,
  personIds: readonly string[],
): Promise<EntityChange[]> {
  const rows = await tx.query<{ person_id: string; conversation_id: string }>(
    `INSERT INTO conversation_settings (person_id, conversation_id, last_read_message_id)
     SELECT p.id, c.id, ${newestMessage}
       FROM conversations c, unnest($2::uuid[]) AS p(id)
      WHERE c.id = $1 AND ${newestMessage} IS NOT NULL
     ON CONFLICT (person_id, conversation_id) DO NOTHING
     RETURNING person_id, conversation_id`,
    [conversationId, [...new Set(personIds)]],
  );
  return settingsChanges(rows);
}

/** People's scopes before a change to their unit, location or roles; see `followChannelMembership`. */
export async function scopesBefore(
  tx: Queryable,
  personIds: readonly string[],
): Promise<Map<string, readonly ScopeKey[]>> {
  const known = await scopesOfMany(tx, personIds);
  // Someone new has no scopes yet: everything they get is gained.
  return new Map([...new Set(personIds)].map((id) => [id, known.get(id) ?? []]));
}

/**
 * Channel membership follows the org chart and roles. After a change to people's unit, location
 * or roles, the channels each of them has newly joined start at their newest message, and their
 * settings for channels they left go: coming back later, they come back as a newcomer. People whose
 * scopes did not change are left alone. A few statements however many people changed.
 */
export async function followChannelMembership(
  tx: Queryable,
  before: ReadonlyMap<string, readonly ScopeKey[]>,
): Promise<EntityChange[]> {
  if (before.size === 0) return [];
  const after = await scopesOfMany(tx, [...before.keys()]);
  const gained: { person: string; scope: ScopeKey }[] = [];
  const lost: { person: string; scope: ScopeKey }[] = [];
  for (const [person, old] of before) {
    const scopes = after.get(person) ?? [];
    for (const scope of scopes) if (!old.includes(scope)) gained.push({ person, scope });
    for (const scope of old) if (!scopes.includes(scope)) lost.push({ person, scope });
  }
  if (lost.length > 0) {
    await tx.query(
      `DELETE FROM conversation_settings s
        USING conversations c, json_to_recordset($1::json) AS l(person uuid, scope text)
        WHERE s.person_id = l.person AND c.id = s.conversation_id AND c.kind = 'channel'
          AND c.audience = l.scope`,
      [JSON.stringify(lost)],
    );
  }
  if (gained.length === 0) return [];
  const rows = await tx.query<{ person_id: string; conversation_id: string }>(
    `INSERT INTO conversation_settings (person_id, conversation_id, last_read_message_id)
     SELECT g.person, c.id, ${newestMessage}
       FROM json_to_recordset($1::json) AS g(person uuid, scope text)
       JOIN conversations c ON c.kind = 'channel' AND c.audience = g.scope
      WHERE ${newestMessage} IS NOT NULL
     ON CONFLICT (person_id, conversation_id) DO NOTHING
     RETURNING person_id, conversation_id`,
    [JSON.stringify(gained)],
  );
  return settingsChanges(rows);
}
