import type { ImportField } from './fields.js';

/** One person's row of the import file, as written (trimmed), before anything is checked. */
export interface SourceRow {
  /** The row's place in the file; messages are sorted by it. */
  order: number;
  /** Where the row, or one of its fields, is: `line 14, column "hired_on"` or `people[12].hiredOn`. */
  at(field?: ImportField): string;
  /** A field the file does not have (no such column, no such key) is absent. */
  values: Partial<Record<ImportField, string>>;
}

/** An org unit the file names without anyone in it (the JSON variant's `orgUnits`). */
export interface SourceOrgUnit {
  order: number;
  at: string;
  path: string;
}

/** One thing wrong with the file. `at` is absent for the file as a whole. */
export interface ImportProblem {
  order: number;
  at?: string;
  message: string;
}

export interface ParsedFile {
  rows: SourceRow[];
  orgUnits: SourceOrgUnit[];
  /** What is wrong with the file's structure (header, fields, types); rows may still be read. */
  problems: ImportProblem[];
}

/** A file that cannot be read as rows at all: not UTF-8, broken JSON, no header. */
export class UnreadableFileError extends Error {
  override name = 'UnreadableFileError';
}

export function describeProblem(problem: ImportProblem): string {
  return problem.at === undefined ? problem.message : `${problem.at}: ${problem.message}`;
}

/** File order, then the order they were found in. */
export function sortProblems(problems: readonly ImportProblem[]): ImportProblem[] {
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => a.problem.order - b.problem.order || a.index - b.index)
    .map(({ problem }) => problem);
}
