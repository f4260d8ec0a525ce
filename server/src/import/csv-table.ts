import { type CsvError, type Info, parse } from 'csv-parse/sync';
import { type ImportProblem, UnreadableFileError, sortProblems } from './import-problems.js';

/** `First Name`, `first_name`, `first-name` and `firstName` all name the same column. */
export function foldHeader(header: string): string {
  return header
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}

/** One row of a table file, as written (trimmed), before anything is checked. */
export interface TableRow<F extends string> {
  /** The row's place in the file; messages are sorted by it. */
  order: number;
  /** Where the row, or one of its fields, is: `line 14, column "hired_on"`. */
  at(field?: F): string;
  /** A field the file does not have (no such column) is absent. */
  values: Partial<Record<F, string>>;
}

/** The columns a kind of file has: which field a header names, and which must be there. */
export interface TableColumns<F extends string> {
  fieldOf(header: string): F | undefined;
  /** Listed when a header names no field. */
  known: readonly string[];
  /** Each with its accepted header names, the first the usual one. */
  required: readonly { field: F; names: readonly string[] }[];
}

const candidateDelimiters = [';', ',', '\t'] as const;

/**
 * Reads a CSV table: one header line, then one record per row. The delimiter is whichever of
 * `;` (German Excel), `,` and tab the header uses most. Rows that are blank (Excel writes `;;;`
 * for them) are skipped.
 */
export function readCsvTable<F extends string>(
  text: string,
  tableColumns: TableColumns<F>,
): { rows: TableRow<F>[]; problems: ImportProblem[] } {
  // csv-parse counts a CRLF inside a quoted field as two lines; with LF alone its line numbers hold.
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const delimiter = detectDelimiter(normalized.split('\n').find((line) => line.trim() !== '') ?? '');
  const problems: ImportProblem[] = [];
  const skipped: CsvError[] = [];
  // The sync typings do not know that `info` turns each record into `{ record, info }`.
  const parsed = parse(normalized, {
    delimiter,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      if (error) skipped.push(error);
      return undefined;
    },
  }) as unknown as { record: string[]; info: Info }[];
  // `info.lines` is the record's last line; messages name its first.
  const records = parsed.map(({ record, info }) => ({
    cells: record,
    line: info.lines - lineBreaksIn(record),
  }));
  const endLines = records.map(({ cells, line }) => line + lineBreaksIn(cells));
  for (const error of skipped) problems.push(syntaxProblem(error, endLines));

  const nonBlank = records.filter(({ cells }) => cells.some((cell) => cell.trim() !== ''));
  const [header, ...body] = nonBlank;
  if (!header) throw new UnreadableFileError('the file is empty: it needs a header line naming the columns');

  const columns = readHeader(header.cells, header.line, tableColumns, problems);
  const headerOf = new Map(columns.flatMap((c) => (c.field ? [[c.field, c.header] as const] : [])));
  const rows: TableRow<F>[] = [];
  const unnamedReported = new Set<number>();
  for (const { cells, line } of body) {
    if (cells.length !== header.cells.length && !onlyBlankBeyond(cells, header.cells.length)) {
      problems.push({
        order: line,
        at: `line ${line}`,
        message: `has ${cells.length} fields, but the header has ${header.cells.length} (delimiter "${printable(delimiter)}"; a value that contains it must be in double quotes)`,
      });
      continue;
    }
    const values: TableRow<F>['values'] = {};
    cells.forEach((cell, index) => {
      const column = columns[index];
      if (column?.field) values[column.field] = cell.trim();
      else if (column?.unnamed && cell.trim() !== '' && !unnamedReported.has(index)) {
        unnamedReported.add(index);
        problems.push({
          order: line,
          at: `line ${line}`,
          message: `column ${index + 1} has a value but no name in the header`,
        });
      }
    });
    rows.push({
      order: line,
      at: (field?: F) => {
        const name = field && headerOf.get(field);
        return name ? `line ${line}, column "${name}"` : `line ${line}`;
      },
      values,
    });
  }
  return { rows, problems: sortProblems(problems) };
}

interface Column<F extends string> {
  header: string;
  field?: F;
  unnamed?: boolean;
}

function readHeader<F extends string>(
  cells: readonly string[],
  line: number,
  tableColumns: TableColumns<F>,
  problems: ImportProblem[],
): Column<F>[] {
  const seen = new Map<F, string>();
  const columns = cells.map((cell): Column<F> => {
    const header = cell.trim();
    if (header === '') return { header, unnamed: true };
    const field = tableColumns.fieldOf(header);
    if (!field) {
      problems.push({
        order: line,
        at: `line ${line}, column "${header}"`,
        message: `unknown column (known columns: ${tableColumns.known.join(', ')})`,
      });
      return { header };
    }
    const earlier = seen.get(field);
    if (earlier !== undefined) {
      problems.push({
        order: line,
        at: `line ${line}, column "${header}"`,
        message: `names the same field as column "${earlier}"`,
      });
      return { header };
    }
    seen.set(field, header);
    return { header, field };
  });
  for (const { field, names } of tableColumns.required) {
    if (seen.has(field)) continue;
    const [name, ...aliases] = names;
    problems.push({
      order: line,
      at: `line ${line}`,
      message:
        aliases.length > 0
          ? `the required column "${name}" is missing (also accepted: ${aliases.join(', ')})`
          : `the required column "${name}" is missing`,
    });
  }
  return columns;
}

/** The candidate the header line holds most often outside quotes; a single-column file gets `,`. */
function detectDelimiter(headerLine: string): string {
  const unquoted = headerLine.replace(/"[^"]*"/g, '');
  let best: string = ',';
  let bestCount = 0;
  for (const candidate of candidateDelimiters) {
    const count = unquoted.split(candidate).length - 1;
    if (count > bestCount) [best, bestCount] = [candidate, count];
  }
  return best;
}

function lineBreaksIn(cells: readonly string[]): number {
  return cells.reduce((sum, cell) => sum + (cell.match(/\n/g)?.length ?? 0), 0);
}

function onlyBlankBeyond(cells: readonly string[], length: number): boolean {
  return cells.length > length && cells.slice(length).every((cell) => cell.trim() === '');
}

function syntaxProblem(error: CsvError, endLines: readonly number[]): ImportProblem {
  const errorLine = Number(error.lines);
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    // csv-parse names the last line; the quote opened on the line after the last whole record.
    const line = endLines.reduce((last, end) => (end < errorLine ? Math.max(last, end) : last), 0) + 1;
    return {
      order: line,
      at: `line ${line}`,
      message: 'a double quote opens a value here that is never closed',
    };
  }
  return { order: errorLine, at: `line ${errorLine}`, message: error.message };
}

function printable(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : delimiter;
}
