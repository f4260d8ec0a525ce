import type { DataChanged } from '@flurfunk/protocol';

type ChangedEntity = DataChanged['changes'][number]['entity'];

/** Beyond this many ids of one entity, listeners are told "many" and re-read all of it. */
const maxIdsPerEntity = 500;

/** Collects what changed during a unit of work, for one `dataChanged` event. */
export class ChangeSet {
  private readonly byEntity = new Map<ChangedEntity, Set<string> | 'all'>();

  add(entity: ChangedEntity, id: string): void {
    const ids = this.byEntity.get(entity) ?? new Set<string>();
    if (ids === 'all') return;
    ids.add(id);
    this.byEntity.set(entity, ids.size > maxIdsPerEntity ? 'all' : ids);
  }

  addAll(entity: ChangedEntity): void {
    this.byEntity.set(entity, 'all');
  }

  /** The ids of one entity that changed, or 'all' when there were too many to list. */
  idsOf(entity: ChangedEntity): string[] | 'all' {
    const ids = this.byEntity.get(entity);
    return ids === undefined ? [] : ids === 'all' ? 'all' : [...ids];
  }

  get isEmpty(): boolean {
    return this.byEntity.size === 0;
  }

  toEvent(): DataChanged {
    return {
      changes: [...this.byEntity].map(([entity, ids]) => ({ entity, ids: ids === 'all' ? null : [...ids] })),
    };
  }
}
