import type { CanteenDayInput, CanteenWeek, FileMeta, SyncEntity } from '@flurfunk/protocol';
import { isoTimestamp } from '../db/sql.js';
import { fileJson } from '../files/file-rows.js';
import { type SyncSource, sourceById } from '../sync/sync-source.js';
import { canteenJson } from './canteen-rows.js';

interface WeekRow {
  id: string;
  canteen_id: string;
  week_start: string;
  revision: number;
  days: CanteenDayInput[];
  updated_at: string;
}

/** Canteens and their weekly plans, the whole company's; a dish's photo travels as its FileMeta. */
export const canteenSyncSources: Readonly<
  Record<Extract<SyncEntity, 'canteen' | 'canteenWeek'>, SyncSource>
> = {
  canteen: sourceById(`SELECT c.id, ${canteenJson} AS data FROM canteens c WHERE c.id = ANY($1::uuid[])`),
  canteenWeek: async (db, refs) => {
    const rows = await db.query<WeekRow>(
      `SELECT w.id, w.canteen_id, w.week_start::text AS week_start, w.revision, w.days,
                ${isoTimestamp('w.updated_at')} AS updated_at
           FROM canteen_weeks w WHERE w.id = ANY($1::uuid[])`,
      [refs.map((ref) => ref.id)],
    );
    const photoIds = rows.flatMap((row) =>
      row.days.flatMap((day) => day.dishes.flatMap((dish) => dish.photoFileId ?? [])),
    );
    const photos = new Map(
      (
        await db.query<{ id: string; meta: FileMeta }>(
          `SELECT f.id, ${fileJson} AS meta FROM files f WHERE f.id = ANY($1::uuid[])`,
          [photoIds],
        )
      ).map((photo) => [photo.id, photo.meta]),
    );
    return new Map(
      rows.map((row): [string, CanteenWeek] => [
        row.id,
        {
          id: row.id,
          canteenId: row.canteen_id,
          weekStart: row.week_start,
          revision: row.revision,
          updatedAt: row.updated_at,
          days: row.days.map((day) => ({
            ...day,
            dishes: day.dishes.map(({ photoFileId, ...dish }) => ({
              ...dish,
              photo: photoFileId === null ? null : (photos.get(photoFileId) ?? null),
            })),
          })),
        },
      ]),
    );
  },
};
