import { type CsvError, type Info, parse } from 'csv-parse/sync';
import { csvHeaderNames, fieldOfHeader, type ImportField, importFields, requiredField } from './fields.js';
import {
  type ImportProblem,
  type ParsedFile,
  sortProblems,
  type SourceRow,
  UnreadableFileError,
} from './source.js';

const candidateDelimiters = [';', ',', '\t'] as const;

/**
 * Reads a people CSV: one header line, then one person per row. The delimiter is whichever of
 * `;` (German Excel), `,` and tab the header uses most. Rows that are blank (Excel writes `;;;`
 * for them) are skipped.
 */
export function parseCsv(text: string): ParsedFile {
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

  const columns = readHeader(header.cells, header.line, problems);
  const headerOf = new Map(columns.flatMap((c) => (c.field ? [[c.field, c.header] as const] : [])));
  const rows: SourceRow[] = [];
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
    const values: SourceRow['values'] = {};
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
      at: (field) => {
        const name = field && headerOf.get(field);
        return name ? `line ${line}, column "${name}"` : `line ${line}`;
      },
      values,
    });
  }
  return { rows, orgUnits: [], problems: sortProblems(problems) };
}

interface Column {
  header: string;
  field?: ImportField;
  unnamed?: boolean;
}

function readHeader(cells: readonly string[], line: number, problems: ImportProblem[]): Column[] {
  const seen = new Map<ImportField, string>();
  const columns = cells.map((cell): Column => {
    const header = cell.trim();
    if (header === '') return { header, unnamed: true };
    const field = fieldOfHeader(header);
    if (!field) {
      problems.push({
        order: line,
        at: `line ${line}, column "${header}"`,
        message: `unknown column (known columns: ${importFields.map((f) => csvHeaderNames[f][0]).join(', ')})`,
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
  if (!seen.has(requiredField)) {
    const [name, ...aliases] = csvHeaderNames[requiredField];
    problems.push({
      order: line,
      at: `line ${line}`,
      message: `the required column "${name}" is missing (also accepted: ${aliases.join(', ')})`,
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
