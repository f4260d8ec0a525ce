import { basename } from 'node:path';
import { withOfflineDatabase } from '../../import/offline-database.js';
import { importDirectory, readImportFile } from './import-directory.js';
import { formatProblems } from '../../import/import-problems.js';
import { formatSummary } from './report.js';
import { type ParsedFile, UnreadableFileError } from './source.js';

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
  return withOfflineDatabase(options, async (db, log) => {
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
  });
}
