import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pino } from 'pino';
import { migrate } from '../../db/migrate.js';
import { migrations } from '../../db/migrations/index.js';
import { type DatabaseLocation, openDatabase } from '../../db/open.js';
import { importDirectory, readImportFile } from './import-directory.js';
import { formatProblems, formatSummary } from './report.js';
import { type ParsedFile, UnreadableFileError } from './source.js';

function databaseLocation(options: ImportCommandOptions): DatabaseLocation {
  if (options.databaseUrl) return { databaseUrl: options.databaseUrl };
  if (options.dataDir) return { dataDir: options.dataDir };
  throw new Error('Set --data-dir DIR for the embedded database, or DATABASE_URL for PostgreSQL.');
}

/**
 * Opening a directory without a database would create an empty one: a mistyped path must not.
 * Two processes on one embedded database corrupt it: PGlite keeps `postmaster.pid` while it is
 * open (and after a crash, until it is opened and closed again).
 */
function refuseUnusableDataDir(dataDir: string): void {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    throw new Error(`There is no Flurfunk database in ${dataDir}.`);
  }
  if (existsSync(join(dataDir, 'postmaster.pid'))) {
    throw new Error(
      `The database in ${dataDir} is in use: stop the server first. (If no server runs, it did not shut down cleanly: start and stop it once.)`,
    );
  }
}

export interface ImportCommandOptions {
  file: string;
  dataDir?: string;
  databaseUrl?: string;
  logLevel: string;
  dryRun: boolean;
  deactivateMissing: boolean;
}

/**
 * `flurfunk-server import-directory FILE`: prints what changed (stdout) or every problem of the
 * file (stderr). Resolves to the exit code: 1 when the file was refused.
 */
export async function runImportDirectory(options: ImportCommandOptions): Promise<number> {
  const fileName = basename(options.file);
  let file: ParsedFile;
  try {
    file = await readImportFile(options.file);
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    console.error(`${fileName}: ${error.message}\nNothing was imported.`);
    return 1;
  }
  const location = databaseLocation(options);
  if ('dataDir' in location) refuseUnusableDataDir(location.dataDir);
  // The report goes to stdout; logs stay out of its way.
  const log = pino({ level: options.logLevel, name: 'flurfunk-server' }, pino.destination(2));
  const db = await openDatabase(location, log);
  try {
    await migrate(db, migrations, log);
    const outcome = await importDirectory(db, file, options);
    if ('problems' in outcome) {
      console.error(formatProblems(fileName, outcome.problems));
      return 1;
    }
    if (!options.dryRun) {
      const { unitsCreated, locationsCreated, deactivatedMissing, ...counts } = outcome.summary;
      log.info(
        {
          file: options.file,
          ...counts,
          unitsCreated: unitsCreated.length,
          locationsCreated: locationsCreated.length,
          deactivatedMissing: deactivatedMissing.length,
        },
        'imported the directory file',
      );
    }
    console.log(formatSummary(fileName, outcome.summary, options.dryRun));
    return 0;
  } finally {
    await db.close();
  }
}
