import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Id } from '@flurfunk/protocol';
import type { Queryable } from '../../db/database.js';
import { formatProblems } from '../../import/import-problems.js';
import { type OfflineDatabaseOptions, withOfflineDatabase } from '../../import/offline-database.js';
import { WeekRefused } from '../save-week.js';
import { importWeek } from './import-week.js';
import { parseDate } from './read-week-csv.js';

export interface CanteenImportOptions extends OfflineDatabaseOptions {
  file: string;
  /** The canteen's id or name. */
  canteen: string;
  /** Any day of the week the file must plan; absent: the week of the file's dates. */
  week?: string;
  dryRun: boolean;
}

/**
 * `flurfunk-server import-canteen-week FILE --canteen NAME`: replaces a canteen's week with the
 * file's plan, or lists every problem of the file (exit code 1) and writes nothing.
 */
export async function runImportCanteenWeek(options: CanteenImportOptions): Promise<number> {
  const fileName = basename(options.file);
  const weekDay = options.week === undefined ? null : parseDate(options.week);
  if (options.week !== undefined && weekDay === null) {
    console.error(`--week: "${options.week}" is not a date (write 2026-11-30 or 30.11.2026)`);
    return 1;
  }
  const file = await readFile(options.file);
  return withOfflineDatabase(options, async (db) => {
    try {
      const outcome = await db.transaction(async (tx) => {
        const canteenId = await canteenNamed(tx, options.canteen);
        return importWeek(tx, {
          canteenId,
          weekStart: weekDay,
          file,
          editorId: null,
          checkManager: false,
          dryRun: options.dryRun,
        });
      });
      if ('problems' in outcome) {
        console.error(formatProblems(fileName, outcome.problems));
        return 1;
      }
      const what = `${outcome.days} day(s) with ${outcome.dishes} dish(es) for the week of ${outcome.weekStart}`;
      if (outcome.saved === null)
        console.log(`${fileName}: the file is fine: ${what} (dry run, nothing written)`);
      else if (outcome.saved.seq === null)
        console.log(`${fileName}: the week is planned so already; nothing changed`);
      else console.log(`${fileName}: imported ${what} (revision ${outcome.saved.revision})`);
      return 0;
    } catch (error) {
      if (!(error instanceof WeekRefused)) throw error;
      console.error(`${fileName}: ${error.message}; nothing was imported`);
      return 1;
    }
  });
}

async function canteenNamed(tx: Queryable, idOrName: string): Promise<string> {
  const rows = await tx.query<{ id: string; name: string }>(
    Id.safeParse(idOrName).success
      ? 'SELECT id, name FROM canteens WHERE id = $1'
      : 'SELECT id, name FROM canteens WHERE lower(name) = lower($1)',
    [idOrName],
  );
  if (rows.length === 1) return rows[0]!.id;
  const all = await tx.query<{ name: string }>('SELECT name FROM canteens ORDER BY name');
  throw new WeekRefused(
    'not_found',
    `There is no canteen "${idOrName}" (there are: ${all.map((c) => c.name).join(', ') || 'none'})`,
  );
}
