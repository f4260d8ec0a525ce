/** One thing wrong with an import file. `at` is absent for the file as a whole. */
export interface ImportProblem {
  order: number;
  at?: string;
  message: string;
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

/** The report of a refused file: every problem, one per line. */
export function formatProblems(fileName: string, problems: readonly ImportProblem[]): string {
  const count = problems.length === 1 ? '1 error' : `${problems.length} errors`;
  return [
    `${fileName}: ${count}, nothing was imported:`,
    ...problems.map((p) => `  ${describeProblem(p)}`),
  ].join('\n');
}
