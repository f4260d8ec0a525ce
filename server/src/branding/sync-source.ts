import { type SyncEntity, brandingEntityId } from '@flurfunk/protocol';
import type { SyncSource } from '../sync/sync-source.js';
import { readBranding } from './branding-rows.js';

/** The branding, one entity for the whole company. */
export const brandingSyncSources: Readonly<Record<Extract<SyncEntity, 'branding'>, SyncSource>> = {
  branding: async (db, refs) =>
    refs.some((ref) => ref.id === brandingEntityId)
      ? new Map([[brandingEntityId, await readBranding(db)]])
      : new Map(),
};
