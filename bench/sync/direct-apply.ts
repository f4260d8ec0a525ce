/**
 * The reference path of the sync benchmarks: the same rows stored in the same encrypted cache by
 * the core's own stores, but without the protocol in between (no HTTP, no JSON on the wire, no
 * zod, no paging: one read, one transaction).
 */
import { randomBytes } from 'node:crypto';
import type { ScopeKey, SyncChange, SyncEntity } from '@flurfunk/protocol';
import { type CacheDatabase, openCacheDatabase } from '../../electron/core/cache/database.js';
import { type PageRequest, applySyncPage } from '../../electron/core/sync/apply-page.js';
import { conversationJson, messageJson } from '../../server/src/chat/conversation-rows.js';
import type { Queryable } from '../../server/src/db/database.js';
import { personJson } from '../../server/src/directory/rows.js';
import { scopesOf } from '../../server/src/sync/scopes.js';
import { syncStoresFor } from '../../tests/unit/core/sync-test-stores.js';

/** Each entity's payload as the server's sync sources build it, and its table (`l` is the log row). */
const payloads: ReadonlyArray<{ entity: SyncEntity; json: string; join: string }> = [
  {
    entity: 'location',
    json: `json_build_object('id', x.id, 'name', x.name, 'kind', x.kind, 'address', x.address)`,
    join: 'JOIN locations x ON x.id = l.entity_id',
  },
  {
    entity: 'orgUnit',
    json: `json_build_object('id', x.id, 'name', x.name, 'parentId', x.parent_id, 'managerId', x.manager_id)`,
    join: 'JOIN org_units x ON x.id = l.entity_id',
  },
  { entity: 'person', json: personJson('p'), join: 'JOIN persons p ON p.id = l.entity_id' },
  { entity: 'conversation', json: conversationJson, join: 'JOIN conversations c ON c.id = l.entity_id' },
  { entity: 'message', json: messageJson, join: 'JOIN messages m ON m.id = l.entity_id' },
];

export interface VisibleState {
  scopes: ScopeKey[];
  /** Ascending by seq, as a sync from "0" delivers them. */
  changes: SyncChange[];
}

/**
 * What a first sync delivers to `personId`: the current state of every entity in their scopes,
 * read straight from the server's tables. Fails if the log holds rows of an entity type this
 * reader does not know, so the baseline never silently covers less than the sync.
 */
export async function readVisibleState(db: Queryable, personId: string): Promise<VisibleState> {
  const scopes = await scopesOf(db, personId);
  const changes: SyncChange[] = [];
  for (const { entity, json, join } of payloads) {
    const rows = await db.query<{ seq: string; id: string; scope: ScopeKey; data: unknown }>(
      `SELECT l.seq::text AS seq, l.entity_id AS id, l.scope, ${json} AS data FROM change_log l ${join}
        WHERE l.entity_type = $1 AND l.op = 'upsert' AND l.scope = ANY($2::text[])`,
      [entity, scopes],
    );
    for (const row of rows) changes.push({ ...row, type: `${entity}.upsert` } as SyncChange);
  }
  const [logged] = await db.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM change_log WHERE op = 'upsert' AND scope = ANY($1::text[])`,
    [scopes],
  );
  if (logged?.count !== changes.length) {
    throw new Error(`read ${changes.length} entities, but the log has ${logged?.count} in the user's scopes`);
  }
  changes.sort((a, b) => Number(a.seq) - Number(b.seq));
  return { scopes, changes };
}

/** A new, empty encrypted cache at `file` with a random key, as a first sign-in creates it. */
export function openFreshCache(file: string): CacheDatabase {
  return openCacheDatabase(file, randomBytes(32).toString('hex'));
}

/** Stores `changes` through the core's stores in one transaction, as one page would be. */
export function applyInOneTransaction(
  db: CacheDatabase,
  page: { epoch: string; scopes: readonly ScopeKey[]; changes: SyncChange[] },
  request: PageRequest,
): void {
  const last = page.changes.at(-1)?.seq ?? request.after;
  applySyncPage(
    db,
    syncStoresFor(db).stores,
    { epoch: page.epoch, scopes: [...page.scopes], changes: page.changes, cursor: last, hasMore: false },
    request,
    new Date().toISOString(),
  );
}
