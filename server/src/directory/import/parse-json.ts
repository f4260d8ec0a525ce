import { type ImportField, importFields } from './fields.js';
import {
  type ImportProblem,
  type ParsedFile,
  type SourceOrgUnit,
  type SourceRow,
  UnreadableFileError,
} from './source.js';

const topLevelKeys = ['people', 'orgUnits'];
const personKeys = new Set<string>(importFields);

/**
 * Reads the JSON variant: `{ "people": [ { field: string | null, … } ], "orgUnits"?: [ { "path" } ] }`
 * with the same fields as the CSV columns in camelCase. Messages name the JSON path, e.g.
 * `people[12].hiredOn`. A key that is left out leaves the field alone; `null` empties it.
 */
export function parseJson(text: string): ParsedFile {
  const document = parseDocument(text.replace(/^\uFEFF/, ''));
  const problems: ImportProblem[] = [];
  for (const key of Object.keys(document)) {
    if (!topLevelKeys.includes(key)) {
      problems.push({ order: -1, at: key, message: `unknown field (expected "people" and "orgUnits")` });
    }
  }
  const people = listAt(document, 'people', problems, true);
  const rows = people.flatMap((entry, index) => readPerson(entry, index, problems));
  const orgUnits = listAt(document, 'orgUnits', problems, false).flatMap((entry, index) =>
    readOrgUnit(entry, index, people.length + index, problems),
  );
  return { rows, orgUnits, problems };
}

function parseDocument(text: string): Record<string, unknown> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new UnreadableFileError(`not valid JSON: ${withLineAndColumn(error, text)}`);
  }
  if (!isObject(document)) {
    throw new UnreadableFileError('the JSON file must hold an object: { "people": [ … ] }');
  }
  return document;
}

function listAt(
  document: Record<string, unknown>,
  key: string,
  problems: ImportProblem[],
  required: boolean,
): unknown[] {
  const list = document[key];
  if (list === undefined && !required) return [];
  if (Array.isArray(list)) return list;
  problems.push({ order: -1, at: key, message: list === undefined ? 'is missing' : 'must be a list' });
  return [];
}

function readPerson(entry: unknown, index: number, problems: ImportProblem[]): SourceRow[] {
  const path = `people[${index}]`;
  if (!isObject(entry)) {
    problems.push({ order: index, at: path, message: 'must be an object' });
    return [];
  }
  const values: SourceRow['values'] = {};
  for (const [key, value] of Object.entries(entry)) {
    if (!personKeys.has(key)) {
      problems.push({
        order: index,
        at: `${path}.${key}`,
        message: `unknown field (known fields: ${importFields.join(', ')})`,
      });
    } else if (value === null || typeof value === 'string') {
      values[key as ImportField] = (value ?? '').trim();
    } else {
      problems.push({ order: index, at: `${path}.${key}`, message: 'must be a string or null' });
    }
  }
  if (!('username' in entry)) problems.push({ order: index, at: `${path}.username`, message: 'is missing' });
  return [{ order: index, at: (field) => (field ? `${path}.${field}` : path), values }];
}

function readOrgUnit(
  entry: unknown,
  index: number,
  order: number,
  problems: ImportProblem[],
): SourceOrgUnit[] {
  const at = `orgUnits[${index}]`;
  if (!isObject(entry) || typeof entry.path !== 'string' || Object.keys(entry).length !== 1) {
    problems.push({ order, at, message: 'must be an object with one field, "path" (a string)' });
    return [];
  }
  return [{ order, at: `${at}.path`, path: entry.path.trim() }];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON.parse names an offset into the text; a person looks for a line and column. */
function withLineAndColumn(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/ in JSON at position (\d+).*$/s, (_, offset: string) => {
    const before = text.slice(0, Number(offset));
    const line = before.split('\n').length;
    const column = Number(offset) - before.lastIndexOf('\n');
    return ` at line ${line}, column ${column}`;
  });
}
