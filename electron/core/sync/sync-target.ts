import type { SyncChange, SyncEntity } from '@flurfunk/protocol';

/**
 * A feature's store as sync writes to it. Both calls run inside the page's transaction.
 */
export interface SyncTarget {
  /** Stores one change (upsert or tombstone) of the feature's entities. */
  apply(change: SyncChange): void;
  /** Removes one entity the user may no longer see, or that a full resync did not deliver again. */
  remove(entity: SyncEntity, id: string): void;
}

/** The store for every entity type the change log carries. */
export type SyncTargets = Readonly<Record<SyncEntity, SyncTarget>>;
