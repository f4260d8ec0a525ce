import { changeEntity } from '@flurfunk/protocol';
import type { ScopeKey, SyncPage } from '@flurfunk/protocol';
import type { CacheDatabase } from '../cache/database.js';
import { CoreError, SyncLogReplacedError } from '../errors.js';
import { ChangeSet } from './change-set.js';
import type { SyncIndex } from './sync-index.js';
import {
  deleteBackfill,
  endResync,
  isResyncing,
  readCursor,
  readEpoch,
  readGeneration,
  readKnownScopes,
  writeBackfill,
  writeKnownScopes,
  writeLastSyncedAt,
  writePosition,
} from './sync-state.js';
import type { SyncTargets } from './sync-target.js';

export interface SyncStores {
  targets: SyncTargets;
  index: SyncIndex;
  /**
   * Runs at the end of a page's transaction, with the main cursor: drops outbox entries whose
   * effect the cache now holds, and re-applies the user's unconfirmed changes the page overwrote.
   */
  afterPage(cursor: string, changes: ChangeSet): void;
}

/** What a page was asked for: the main log after `after`, or one scope's backfill. */
export type PageRequest =
  { kind: 'main'; after: string } | { kind: 'backfill'; scope: ScopeKey; after: string; until: string };

/**
 * Applies one page and where it leaves the cache in a single transaction: either all of it is
 * stored, or nothing is. Before writing anything, a page is checked: it must be of the log the
 * cache holds (else `SyncLogReplacedError`), continue from the request in ascending order, and
 * keep each change in a scope the page lists (and, for a backfill, in the one scope asked for).
 *
 * The page's scope list is the server's word on what the user may see: data of a scope that is
 * no longer listed is purged; a scope that is new gets a backfill of what came before this page.
 */
export function applySyncPage(
  db: CacheDatabase,
  stores: SyncStores,
  page: SyncPage,
  request: PageRequest,
  syncedAt: string | null,
): ChangeSet {
  const changes = new ChangeSet();
  db.transaction(() => {
    const epoch = readEpoch(db);
    if (epoch !== null && epoch !== page.epoch) throw new SyncLogReplacedError('its epoch changed');
    checkPage(page, request);
    updateScopes(db, stores, page.scopes, changes);
    const generation = readGeneration(db);
    for (const change of page.changes) {
      const entity = changeEntity(change);
      stores.targets[entity].apply(change);
      if (change.type.endsWith('.upsert')) stores.index.record(entity, change.id, change.scope, generation);
      else stores.index.forget(entity, change.id);
      changes.add(entity, change.id);
    }
    if (request.kind === 'backfill') {
      if (page.hasMore) writeBackfill(db, { scope: request.scope, after: page.cursor, until: request.until });
      else deleteBackfill(db, request.scope);
    } else {
      writePosition(db, page.epoch, page.cursor);
      if (!page.hasMore && isResyncing(db)) {
        // The snapshot is complete: whatever it did not deliver again is gone on the server.
        for (const { entity, id } of stores.index.takeOlderThan(generation)) {
          stores.targets[entity].remove(entity, id);
          changes.add(entity, id);
        }
        endResync(db);
      }
      if (syncedAt !== null) writeLastSyncedAt(db, syncedAt);
    }
    stores.afterPage(readCursor(db), changes);
  }).immediate();
  return changes;
}

function updateScopes(
  db: CacheDatabase,
  stores: SyncStores,
  scopes: readonly ScopeKey[],
  changes: ChangeSet,
): void {
  const known = readKnownScopes(db);
  const current = new Set(scopes);
  for (const scope of known) {
    if (current.has(scope)) continue;
    for (const { entity, id } of stores.index.takeScope(scope)) {
      stores.targets[entity].remove(entity, id);
      changes.add(entity, id);
    }
    deleteBackfill(db, scope);
  }
  // A page from "0" covers every scope from the start; a later one only what came after it.
  const cursor = readCursor(db);
  if (cursor !== '0') {
    for (const scope of current) {
      if (!known.has(scope)) writeBackfill(db, { scope, after: '0', until: cursor });
    }
  }
  writeKnownScopes(db, scopes);
}

function checkPage(page: SyncPage, request: PageRequest): void {
  const scopes = new Set(page.scopes);
  let previous = BigInt(request.after);
  for (const change of page.changes) {
    const seq = BigInt(change.seq);
    if (seq <= previous) throw malformed(`change ${change.seq} does not follow ${previous}`);
    if (!scopes.has(change.scope))
      throw malformed(`change ${change.seq} is in a scope the page does not list`);
    if (request.kind === 'backfill') {
      if (change.scope !== request.scope)
        throw malformed(`change ${change.seq} is outside the backfilled scope`);
      if (seq > BigInt(request.until)) throw malformed(`change ${change.seq} is past the backfill's end`);
    }
    previous = seq;
  }
  if (BigInt(page.cursor) < previous) throw malformed(`cursor ${page.cursor} is behind change ${previous}`);
  // Otherwise the next request would ask for the same page again, forever.
  if (page.hasMore && BigInt(page.cursor) <= BigInt(request.after))
    throw malformed('more pages announced, cursor not advanced');
}

function malformed(detail: string): CoreError {
  return new CoreError('server_error', `the server sent an inconsistent sync page: ${detail}`);
}
