import type { TableRow } from '../../import/csv-table.js';
import type { ImportProblem } from '../../import/import-problems.js';
import type { ImportField } from './fields.js';

export {
  type ImportProblem,
  UnreadableFileError,
  describeProblem,
  sortProblems,
} from '../../import/import-problems.js';

/**
 * One person's row of the import file, as written (trimmed), before anything is checked. `at`
 * names the row or one of its fields: `line 14, column "hired_on"` or `people[12].hiredOn`.
 */
export type SourceRow = TableRow<ImportField>;

/** An org unit the file names without anyone in it (the JSON variant's `orgUnits`). */
export interface SourceOrgUnit {
  order: number;
  at: string;
  path: string;
}

export interface ParsedFile {
  rows: SourceRow[];
  orgUnits: SourceOrgUnit[];
  /** What is wrong with the file's structure (header, fields, types); rows may still be read. */
  problems: ImportProblem[];
}
