import { randomUUID } from 'node:crypto';
import {
  type CanteenWeekInput,
  type CanteenWeekProblem,
  canteenWeekProblems,
  companyScope,
} from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';
import { lockUnusedOwnImage } from '../files/file-rows.js';
import { recordChanges } from '../sync/change-log.js';
import { findCanteen, lockWeek, managesCanteen } from './canteen-rows.js';

/** Why a week was not saved; callers answer it as a mutation rejection or an HTTP error. */
export class WeekRefused extends Error {
  constructor(
    readonly reason: 'not_found' | 'forbidden' | 'conflict' | 'invalid',
    message: string,
    readonly problems: readonly CanteenWeekProblem[] = [],
  ) {
    super(message);
    this.name = 'WeekRefused';
  }
}

export interface SavedWeek {
  /** Null when the week was saved like this already (nothing changed, nothing synced). */
  seq: string | null;
  weekId: string;
  revision: number;
}

/**
 * Saves a canteen's week as a whole, the one way every plan is written (the editor's mutation,
 * the HTTP API, the import). `editorId` is the person saving; `checkManager: false` only for the
 * server's own command line, run by whoever operates the server.
 */
export async function saveWeek(
  tx: Queryable,
  editorId: string | null,
  week: CanteenWeekInput,
  options: { checkManager: boolean } = { checkManager: true },
): Promise<SavedWeek> {
  // Week saves of one canteen take turns: a new week has no row to lock yet.
  const [exists] = await tx.query('SELECT 1 FROM canteens WHERE id = $1 FOR UPDATE', [week.canteenId]);
  const canteen = exists ? await findCanteen(tx, week.canteenId) : null;
  if (!canteen) throw new WeekRefused('not_found', 'There is no such canteen');
  if (options.checkManager && (editorId === null || !(await managesCanteen(tx, editorId, canteen.id)))) {
    throw new WeekRefused('forbidden', `Only the managers of ${canteen.name} may edit its plans`);
  }
  const problems = canteenWeekProblems(canteen, week);
  if (problems.length > 0) {
    throw new WeekRefused('invalid', problems.map((problem) => problem.message).join('; '), problems);
  }
  const stored = await lockWeek(tx, canteen.id, week.weekStart);
  if ((stored?.revision ?? 0) !== week.baseRevision) {
    throw new WeekRefused(
      'conflict',
      'Someone else saved this week in the meantime: load it again and redo your changes',
    );
  }
  const photoIds = [
    ...new Set(week.days.flatMap((day) => day.dishes.flatMap((dish) => dish.photoFileId ?? []))),
  ];
  for (const fileId of photoIds) {
    if (
      !(await isCanteenPhoto(tx, canteen.id, fileId)) &&
      !(await lockUnusedOwnImage(tx, fileId, editorId ?? ''))
    ) {
      throw new WeekRefused(
        'invalid',
        "A dish's photo is an image you uploaded that is not used elsewhere, or one of this canteen's dish photos",
      );
    }
  }
  const days = JSON.stringify([...week.days].sort((a, b) => a.date.localeCompare(b.date)));
  if (stored) {
    const [same] = await tx.query<{ same: boolean }>(
      'SELECT days = $2::jsonb AS same FROM canteen_weeks WHERE id = $1',
      [stored.id, days],
    );
    if (same?.same) return { seq: null, weekId: stored.id, revision: stored.revision };
  }
  const weekId = stored?.id ?? randomUUID();
  const revision = (stored?.revision ?? 0) + 1;
  await tx.query(
    `INSERT INTO canteen_weeks (id, canteen_id, week_start, revision, days, updated_by)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6)
     ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, days = excluded.days,
       updated_by = excluded.updated_by, updated_at = now()`,
    [weekId, canteen.id, week.weekStart, revision, days, editorId],
  );
  await tx.query('DELETE FROM canteen_dish_photos WHERE week_id = $1', [weekId]);
  await tx.query(
    'INSERT INTO canteen_dish_photos (week_id, file_id) SELECT $1, file_id FROM unnest($2::uuid[]) AS file_id',
    [weekId, photoIds],
  );
  const seq = await recordChanges(tx, [
    { entityType: 'canteenWeek', entityId: weekId, op: 'upsert', scope: companyScope },
  ]);
  return { seq, weekId, revision };
}

/** A photo one of the canteen's dishes shows already: copying last week's dishes keeps it. */
async function isCanteenPhoto(tx: Queryable, canteenId: string, fileId: string): Promise<boolean> {
  const rows = await tx.query(
    `SELECT 1 FROM canteen_dish_photos p JOIN canteen_weeks w ON w.id = p.week_id
      WHERE p.file_id = $1 AND w.canteen_id = $2 LIMIT 1`,
    [fileId, canteenId],
  );
  return rows.length > 0;
}
