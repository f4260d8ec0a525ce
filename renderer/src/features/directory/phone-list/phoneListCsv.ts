/**
 * The phone list as a CSV file for spreadsheets, in the user's language. Pure: the view translates
 * the headers and group names and saves the text.
 */
import type { PhoneBookEntry } from '@flurfunk/protocol';
import { localDate } from '@/ui/localDate.js';
import { sortableColumns } from './phoneListSort.js';

export const csvColumns = ['group', ...sortableColumns] as const;
export type CsvColumn = (typeof csvColumns)[number];

export type CsvDelimiter = ';' | ',';

/** A group of the list as the user sees it: its caption ("No location" for the people without one). */
export interface CsvGroup {
  readonly caption: string;
  readonly entries: readonly PhoneBookEntry[];
}

export interface PhoneListCsvOptions {
  delimiter: CsvDelimiter;
  /** The header row, translated. */
  headers: Readonly<Record<CsvColumn, string>>;
}

/** Makes Excel (and LibreOffice) read the file as UTF-8, so umlauts survive. */
const byteOrderMark = '\uFEFF';

/**
 * German Excel splits CSV on `;` (the comma is the decimal separator there); English Excel on `,`.
 */
export function csvDelimiterFor(locale: string): CsvDelimiter {
  return locale.toLowerCase().startsWith('de') ? ';' : ',';
}

const formulaStart = /^[=+\-@\t\r]/;
/** How people write phone numbers: "+49 711 1234-56", "(0711) 12 34 / 56". No letters, no formula. */
const phoneNumber = /^[\d +\-/()]+$/;

/**
 * Keeps a spreadsheet from running a field as a formula (CSV injection): a field starting with
 * `=`, `+`, `-`, `@`, tab or CR gets a leading `'`. Phone numbers keep their `+`: made of digits,
 * spaces and `+-/()` alone they cannot call anything.
 */
export function neutralizeFormula(value: string): string {
  if (!formulaStart.test(value)) return value;
  if (phoneNumber.test(value) && /\d/.test(value)) return value;
  return `'${value}`;
}

/** One field, safe and quoted where RFC 4180 needs it (delimiter, quote, line break). */
export function csvField(value: string, delimiter: CsvDelimiter): string {
  const safe = neutralizeFormula(value);
  return safe.includes(delimiter) || /["\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function entryFields(caption: string, entry: PhoneBookEntry): Record<CsvColumn, string> {
  return {
    group: caption,
    name: entry.displayName,
    title: entry.title,
    phone: entry.phone,
    mobile: entry.mobile,
    email: entry.email,
    room: entry.room,
    department: entry.orgUnitName ?? '',
    location: entry.locationName ?? '',
  };
}

/** The whole file: byte order mark, header row, one row per person, CRLF line ends. */
export function phoneListCsv(groups: readonly CsvGroup[], options: PhoneListCsvOptions): string {
  const row = (fields: Readonly<Record<CsvColumn, string>>) =>
    csvColumns.map((column) => csvField(fields[column], options.delimiter)).join(options.delimiter);
  const lines = [row(options.headers)];
  for (const group of groups) {
    for (const entry of group.entries) lines.push(row(entryFields(group.caption, entry)));
  }
  return `${byteOrderMark}${lines.join('\r\n')}\r\n`;
}

/** `Telefonliste-2026-03-05.csv`: the translated base name and the user's local date. */
export function phoneListFileName(baseName: string, date: Date, extension: 'csv' | 'pdf' = 'csv'): string {
  return `${baseName}-${localDate(date)}.${extension}`;
}
