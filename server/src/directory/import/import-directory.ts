import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { PgErrorCode, pgErrorCode, type Database, type Queryable } from '../../db/database.js';
import { applyImport } from './apply.js';
import { decodeUtf8 } from '../../import/decode-utf8.js';
import { loadDirectoryState } from './directory-state.js';
import { parseCsv } from './parse-csv.js';
import { parseJson } from './parse-json.js';
import { type ImportOptions, type ImportSummary, planImport } from './plan-import.js';
import { type ImportProblem, type ParsedFile, UnreadableFileError } from './source.js';

/** Far above 10 000 people (about 2 MB); a bigger file is not an HR export. */
const maxFileBytes = 64 * 1024 * 1024;

const csvExtensions = new Set(['.csv', '.txt', '.tsv']);

/** Reads an import file; its extension says whether it is CSV or JSON. */
export async function readImportFile(path: string): Promise<ParsedFile> {
  const extension = extname(path).toLowerCase();
  if (extension !== '.json' && !csvExtensions.has(extension)) {
    throw new UnreadableFileError(`cannot tell the format of "${path}": give a .csv or a .json file`);
  }
  const bytes = await readBytes(path);
  return parseImportText(extension === '.json' ? 'json' : 'csv', bytes);
}

async function readBytes(path: string): Promise<Buffer> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new UnreadableFileError(
      `cannot read the file: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (size > maxFileBytes) {
    throw new UnreadableFileError(`the file is larger than ${maxFileBytes / 1024 / 1024} MiB`);
  }
  return readFile(path);
}

export function parseImportText(format: 'csv' | 'json', bytes: Uint8Array): ParsedFile {
  const text = decodeUtf8(bytes);
  return format === 'json' ? parseJson(text) : parseCsv(text);
}

export type ImportOutcome = { problems: ImportProblem[] } | { summary: ImportSummary };

/**
 * Checks the file against the directory and, unless it is a dry run, applies it in one
 * transaction: a problem in the file, a database error or a crash leaves the directory as it was.
 */
export async function importDirectory(
  db: Database,
  file: ParsedFile,
  options: ImportOptions & { dryRun: boolean },
): Promise<ImportOutcome> {
  const attempt = async (tx: Queryable): Promise<ImportOutcome> => {
    const result = planImport(file, await loadDirectoryState(tx), options);
    if ('problems' in result) return result;
    if (!options.dryRun) await applyImport(tx, result.plan);
    return { summary: result.plan.summary };
  };
  try {
    return await (options.dryRun ? db.snapshot(attempt) : db.transaction(attempt));
  } catch (error) {
    const code = pgErrorCode(error);
    if (code === PgErrorCode.uniqueViolation || code === PgErrorCode.foreignKeyViolation) {
      throw new Error(
        `the directory changed while the file was imported (${error instanceof Error ? error.message : code}); nothing was imported, run the import again`,
        { cause: error },
      );
    }
    throw error;
  }
}
