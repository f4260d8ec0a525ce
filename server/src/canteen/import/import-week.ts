import type { Queryable } from '../../db/database.js';
import { decodeUtf8 } from '../../import/decode-utf8.js';
import { type ImportProblem, UnreadableFileError } from '../../import/import-problems.js';
import { findCanteen, lockWeek, managesCanteen } from '../canteen-rows.js';
import { type SavedWeek, WeekRefused, saveWeek } from '../save-week.js';
import { readWeekCsv } from './read-week-csv.js';

/** `saved` is null for a dry run. */
export type WeekImport =
  | { saved: SavedWeek | null; weekStart: string; days: number; dishes: number }
  | { problems: ImportProblem[] };

/**
 * Imports a week's CSV (FORMAT.md) into a canteen's plan, replacing the week as a whole; with any
 * problem nothing is written. `weekStart` null takes the week from the file's dates.
 */
export async function importWeek(
  tx: Queryable,
  options: {
    canteenId: string;
    weekStart: string | null;
    file: Uint8Array;
    editorId: string | null;
    checkManager: boolean;
    dryRun?: boolean;
  },
): Promise<WeekImport> {
  // Locked first, as saveWeek does: week saves of one canteen take turns.
  await tx.query('SELECT 1 FROM canteens WHERE id = $1 FOR UPDATE', [options.canteenId]);
  const canteen = await findCanteen(tx, options.canteenId);
  if (!canteen) throw new WeekRefused('not_found', 'There is no such canteen');
  if (
    options.checkManager &&
    (options.editorId === null || !(await managesCanteen(tx, options.editorId, canteen.id)))
  ) {
    throw new WeekRefused('forbidden', `Only the managers of ${canteen.name} may edit its plans`);
  }
  let text: string;
  try {
    text = decodeUtf8(options.file);
  } catch (error) {
    if (error instanceof UnreadableFileError) return { problems: [{ order: 0, message: error.message }] };
    throw error;
  }
  const read = readWeekCsv(text, canteen, options.weekStart);
  if ('problems' in read) return read;
  const summary = { weekStart: read.week.weekStart, days: read.week.days.length, dishes: read.dishes };
  if (options.dryRun) return { saved: null, ...summary };
  // An import replaces the week whatever was saved before: it starts from the current revision.
  const stored = await lockWeek(tx, canteen.id, read.week.weekStart);
  // A photo set in the app stays with its dish: the file cannot name photos.
  const photos = new Map(
    (stored?.days ?? []).flatMap((day) => day.dishes.map((dish) => [dish.id, dish.photoFileId] as const)),
  );
  const days = read.week.days.map((day) => ({
    ...day,
    dishes: day.dishes.map((dish) => ({ ...dish, photoFileId: photos.get(dish.id) ?? null })),
  }));
  const saved = await saveWeek(
    tx,
    options.editorId,
    { ...read.week, days, baseRevision: stored?.revision ?? 0 },
    { checkManager: options.checkManager },
  );
  return { saved, ...summary };
}
