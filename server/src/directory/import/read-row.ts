import { Location, OrgUnit } from '@flurfunk/protocol';
import { z } from 'zod';
import { type ImportField, statusWords, unitPathSeparator } from './fields.js';
import type { ImportProblem, SourceRow } from './source.js';

/**
 * One person's row with its values checked and converted. A field left out of the file is
 * `undefined` (the person keeps what they have); an empty one is `''` or `null` (cleared).
 */
export interface PersonEntry {
  row: SourceRow;
  /** Lower case: the key people are matched by. */
  username: string;
  firstName?: string;
  lastName?: string;
  displayName?: string;
  title?: string;
  email?: string;
  phone?: string;
  mobile?: string;
  privatePhone?: string;
  room?: string;
  /** The names of the units from the top down. */
  department?: string[] | null;
  manages?: string[] | null;
  location?: string | null;
  /** The manager's username. */
  manager?: string | null;
  /** `YYYY-MM-DD`. */
  hiredOn?: string | null;
  active: boolean;
}

const textFields = [
  'firstName',
  'lastName',
  'displayName',
  'title',
  'phone',
  'mobile',
  'privatePhone',
  'room',
] as const;
const Email = z.email();

/**
 * Checks what can be checked of a row on its own; what it is wrong about goes to `problems`, and
 * the field is then treated as left out. A row without a usable username yields nothing.
 */
export function readRow(row: SourceRow, problems: ImportProblem[]): PersonEntry | undefined {
  const { values } = row;
  const problem = (field: ImportField, message: string) =>
    problems.push({ order: row.order, at: row.at(field), message });

  const username = values.username?.toLowerCase();
  // Without the username column or key, the file's structure check has said so already.
  let usable = username !== undefined;
  if (username === '') {
    usable = false;
    problem('username', 'is empty: every row needs a username');
  } else if (username !== undefined && /[\s\p{Cc}]/u.test(username)) {
    usable = false;
    problem('username', `"${username}" contains a space or control character`);
  }

  const entry: PersonEntry = { row, username: username ?? '', active: true };
  for (const field of textFields) entry[field] = values[field];

  if (values.email !== undefined) {
    if (values.email === '' || Email.safeParse(values.email).success) entry.email = values.email;
    else problem('email', `"${values.email}" is not an e-mail address`);
  }
  for (const field of ['department', 'manages'] as const) {
    const value = values[field];
    if (value === undefined) continue;
    const path = readUnitPath(value);
    if (path !== null && 'problem' in path) problem(field, path.problem);
    else entry[field] = path;
  }
  if (values.location !== undefined) {
    const name = values.location;
    const valid = name === '' || Location.shape.name.safeParse(name).success;
    if (valid) entry.location = name === '' ? null : name;
    else problem('location', `is too long (at most ${Location.shape.name.maxLength} characters)`);
  }
  if (values.manager !== undefined) {
    entry.manager = values.manager === '' ? null : values.manager.toLowerCase();
  }
  if (values.hiredOn !== undefined) {
    const date = values.hiredOn === '' ? null : readDate(values.hiredOn);
    if (date === undefined) {
      problem('hiredOn', `"${values.hiredOn}" is not a date (write YYYY-MM-DD or DD.MM.YYYY)`);
    } else entry.hiredOn = date;
  }
  if (values.status !== undefined && values.status !== '') {
    const status = statusWords[values.status.toLowerCase()];
    if (status) entry.active = status === 'active';
    else problem('status', `"${values.status}" is not a status (write active or inactive; aktiv or inaktiv)`);
  }
  return usable ? entry : undefined;
}

/** The unit names of a path, top first, or what is wrong with it. An empty cell is no unit. */
export function readUnitPath(text: string): string[] | null | { problem: string } {
  if (text === '') return null;
  const names = text.split(unitPathSeparator).map((name) => name.trim());
  if (names.some((name) => name === '' || name.startsWith('/') || name.endsWith('/'))) {
    return {
      problem: `"${text}" has an empty unit name (separate units with " / ", e.g. "Produktion / Werkstatt")`,
    };
  }
  const tooLong = names.find((name) => !OrgUnit.shape.name.safeParse(name).success);
  if (tooLong !== undefined) {
    return {
      problem: `the unit name "${tooLong.slice(0, 40)}…" is too long (at most ${OrgUnit.shape.name.maxLength} characters)`,
    };
  }
  return names;
}

/** `YYYY-MM-DD`, or German `DD.MM.YYYY` (also `D.M.YYYY`); undefined when it is no real day. */
export function readDate(text: string): string | undefined {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  const [year, month, day] = iso
    ? [iso[1], iso[2], iso[3]].map(Number)
    : german
      ? [german[3], german[2], german[1]].map(Number)
      : [];
  if (year === undefined || month === undefined || day === undefined) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
