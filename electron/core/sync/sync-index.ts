import type { ScopeKey, SyncEntity } from '@flurfunk/protocol';
import type { CacheDatabase } from '../cache/database.js';

export interface IndexedEntity {
  entity: SyncEntity;
  id: string;
}

/** Which synced rows the cache holds, in which scope and from which sync generation. */
export class SyncIndex {
  private readonly statements;

  constructor(db: CacheDatabase) {
    this.statements = {
      record: db.prepare<[SyncEntity, string, ScopeKey, number]>(
        `INSERT INTO sync_index (entity, id, scope, generation) VALUES (?, ?, ?, ?)
         ON CONFLICT (entity, id) DO UPDATE SET scope = excluded.scope, generation = excluded.generation`,
      ),
      forget: db.prepare<[SyncEntity, string]>('DELETE FROM sync_index WHERE entity = ? AND id = ?'),
      inScope: db.prepare<[ScopeKey], IndexedEntity>('SELECT entity, id FROM sync_index WHERE scope = ?'),
      forgetScope: db.prepare<[ScopeKey]>('DELETE FROM sync_index WHERE scope = ?'),
      olderThan: db.prepare<[number], IndexedEntity>(
        'SELECT entity, id FROM sync_index WHERE generation < ?',
      ),
      forgetOlderThan: db.prepare<[number]>('DELETE FROM sync_index WHERE generation < ?'),
      isSynced: db
        .prepare<[SyncEntity, string], number>('SELECT 1 FROM sync_index WHERE entity = ? AND id = ?')
        .pluck(),
    };
  }

  record(entity: SyncEntity, id: string, scope: ScopeKey, generation: number): void {
    this.statements.record.run(entity, id, scope, generation);
  }

  forget(entity: SyncEntity, id: string): void {
    this.statements.forget.run(entity, id);
  }

  /** Lists and forgets the rows of a scope; the caller deletes them. */
  takeScope(scope: ScopeKey): IndexedEntity[] {
    const rows = this.statements.inScope.all(scope);
    this.statements.forgetScope.run(scope);
    return rows;
  }

  /** Lists and forgets the rows older than a generation; the caller deletes them. */
  takeOlderThan(generation: number): IndexedEntity[] {
    const rows = this.statements.olderThan.all(generation);
    this.statements.forgetOlderThan.run(generation);
    return rows;
  }

  isSynced(entity: SyncEntity, id: string): boolean {
    return this.statements.isSynced.get(entity, id) !== undefined;
  }
}
