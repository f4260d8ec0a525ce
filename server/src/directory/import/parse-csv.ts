import { readCsvTable } from '../../import/csv-table.js';
import { csvHeaderNames, fieldOfHeader, importFields, requiredField } from './fields.js';
import type { ParsedFile } from './source.js';

/** Reads a people CSV: one header line, then one person per row. */
export function parseCsv(text: string): ParsedFile {
  const { rows, problems } = readCsvTable(text, {
    fieldOf: fieldOfHeader,
    known: importFields.map((field) => csvHeaderNames[field][0]!),
    required: [{ field: requiredField, names: csvHeaderNames[requiredField] }],
  });
  return { rows, orgUnits: [], problems };
}
