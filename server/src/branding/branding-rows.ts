import {
  type BrandAsset,
  type BrandAssetSlot,
  BrandAssetSlot as BrandAssetSlots,
  type Branding,
  type BrandingSettings,
  defaultBranding,
  defaultBrandingSettings,
} from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';
import { isoTimestamp } from '../db/sql.js';
import type { BrandMediaType } from './brand-slots.js';
import { fontFaceOf } from './brand-slots.js';

/** The asset each filled slot shows, by id. */
export type BrandSlots = Partial<Record<BrandAssetSlot, string>>;

/** The branding as the admin sets it: what a change replaces. */
export interface BrandingState {
  settings: BrandingSettings;
  slots: BrandSlots;
}

export interface StoredBranding extends BrandingState {
  /** 0 while nobody has changed the built-in branding. */
  revision: number;
}

/** An asset ready to be kept: checked, and named by the SHA-256 of `bytes`. */
export interface NewBrandAsset {
  id: string;
  mediaType: BrandMediaType;
  bytes: Buffer;
}

interface BrandingRow {
  settings: BrandingSettings;
  slots: BrandSlots;
  revision: number;
  updated_at: string;
}

/** The branding every client shows: the built-in one until the admin changes something. */
export async function readBranding(db: Queryable): Promise<Branding> {
  const [row] = await db.query<BrandingRow>(
    `SELECT settings, slots, revision, ${isoTimestamp('updated_at')} AS updated_at FROM branding`,
  );
  if (!row) return defaultBranding;
  const assets = new Map(
    (
      await db.query<{ id: string; media_type: BrandMediaType; size: number }>(
        'SELECT id, media_type, size FROM brand_assets WHERE id = ANY($1::text[])',
        [Object.values(row.slots)],
      )
    ).map((asset): [string, BrandAsset] => [
      asset.id,
      { id: asset.id, mediaType: asset.media_type, size: asset.size },
    ]),
  );
  const assetIn = (slot: BrandAssetSlot) => assets.get(row.slots[slot] ?? '') ?? null;
  const { appName, primaryColor, accentColor, fontFamily, fontFallback } = row.settings;
  return {
    appName,
    primaryColor,
    accentColor,
    fontFamily,
    fontFallback,
    revision: row.revision,
    updatedAt: row.updated_at,
    logo: assetIn('logo'),
    loginBackground: assetIn('loginBackground'),
    fonts: BrandAssetSlots.options.flatMap((slot) => {
      const face = fontFaceOf(slot);
      const asset = assetIn(slot);
      return face && asset ? [{ ...face, asset }] : [];
    }),
  };
}

/** The branding as stored, for a change: the caller's transaction holds it until it ends. */
export async function lockBranding(tx: Queryable): Promise<StoredBranding> {
  // Changes take turns on the table, as there is no row to lock before the first one.
  await tx.query('LOCK TABLE branding IN SHARE ROW EXCLUSIVE MODE');
  const [row] = await tx.query<StoredBranding>('SELECT settings, slots, revision FROM branding');
  return row ?? { settings: defaultBrandingSettings, slots: {}, revision: 0 };
}

export async function writeBranding(tx: Queryable, state: BrandingState, revision: number): Promise<void> {
  await tx.query(
    `INSERT INTO branding (singleton, settings, slots, revision) VALUES (true, $1::jsonb, $2::jsonb, $3)
     ON CONFLICT (singleton) DO UPDATE SET settings = excluded.settings, slots = excluded.slots,
       revision = excluded.revision, updated_at = now()`,
    [JSON.stringify(state.settings), JSON.stringify(state.slots), revision],
  );
}

/** Keeps an asset's bytes; the same bytes again are the same asset. */
export async function storeBrandAsset(tx: Queryable, asset: NewBrandAsset): Promise<void> {
  await tx.query(
    `INSERT INTO brand_assets (id, media_type, bytes, size) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO NOTHING`,
    [asset.id, asset.mediaType, asset.bytes, asset.bytes.length],
  );
}

/** Drops the assets no slot shows any more: a replaced logo is gone for good. */
export async function deleteUnusedBrandAssets(tx: Queryable): Promise<void> {
  await tx.query(
    `DELETE FROM brand_assets a
      WHERE NOT EXISTS (SELECT 1 FROM branding b, jsonb_each_text(b.slots) s WHERE s.value = a.id)`,
  );
}

export async function readBrandAsset(
  db: Queryable,
  id: string,
): Promise<{ mediaType: BrandMediaType; bytes: Buffer } | null> {
  const [row] = await db.query<{ media_type: BrandMediaType; bytes: Uint8Array }>(
    'SELECT media_type, bytes FROM brand_assets WHERE id = $1',
    [id],
  );
  // pg hands bytea out as a Buffer, PGlite as a Uint8Array.
  return row ? { mediaType: row.media_type, bytes: Buffer.from(row.bytes) } : null;
}
