import { isDeepStrictEqual } from 'node:util';
import {
  type BrandAssetSlot,
  type Branding,
  type BrandingSettings,
  brandingEntityId,
  companyScope,
} from '@flurfunk/protocol';
import type { Database, Queryable } from '../db/database.js';
import { recordChanges } from '../sync/change-log.js';
import {
  type BrandingState,
  type NewBrandAsset,
  type StoredBranding,
  deleteUnusedBrandAssets,
  lockBranding,
  readBranding,
  storeBrandAsset,
  writeBranding,
} from './branding-rows.js';

/**
 * Every change of the branding in one transaction: the next revision, the assets nothing shows
 * any more deleted, one change for every client. The branding as it is already changes nothing.
 */
async function changeBranding(
  db: Database,
  change: (current: StoredBranding, tx: Queryable) => Promise<BrandingState>,
): Promise<Branding> {
  return db.transaction(async (tx) => {
    const current = await lockBranding(tx);
    const next = await change(current, tx);
    if (!isDeepStrictEqual(next, { settings: current.settings, slots: current.slots })) {
      await writeBranding(tx, next, current.revision + 1);
      await deleteUnusedBrandAssets(tx);
      await recordChanges(tx, [
        { entityType: 'branding', entityId: brandingEntityId, op: 'upsert', scope: companyScope },
      ]);
    }
    return readBranding(tx);
  });
}

export function saveBrandingSettings(db: Database, settings: BrandingSettings): Promise<Branding> {
  return changeBranding(db, async ({ slots }) => ({ settings, slots }));
}

export function putBrandAsset(db: Database, slot: BrandAssetSlot, asset: NewBrandAsset): Promise<Branding> {
  return changeBranding(db, async ({ settings, slots }, tx) => {
    await storeBrandAsset(tx, asset);
    return { settings, slots: { ...slots, [slot]: asset.id } };
  });
}

export function removeBrandAsset(db: Database, slot: BrandAssetSlot): Promise<Branding> {
  return changeBranding(db, async ({ settings, slots }) => {
    const { [slot]: _removed, ...rest } = slots;
    return { settings, slots: rest };
  });
}
