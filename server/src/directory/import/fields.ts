import { foldHeader } from '../../import/csv-table.js';

/**
 * What a row of an import file can say about a person, by the name the JSON variant uses. The
 * order is the order of the CSV columns in FORMAT.md and in messages.
 */
export const importFields = [
  'username',
  'firstName',
  'lastName',
  'displayName',
  'title',
  'department',
  'manages',
  'location',
  'manager',
  'email',
  'phone',
  'mobile',
  'privatePhone',
  'room',
  'hiredOn',
  'status',
] as const;
export type ImportField = (typeof importFields)[number];

/** The key every row is matched by; every other column may be left out. */
export const requiredField: ImportField = 'username';

/**
 * The CSV header names of each field: the English one first (it is the one messages suggest),
 * then the German ones HR systems and Excel users write. Compared after `foldHeader`.
 */
export const csvHeaderNames: Record<ImportField, readonly string[]> = {
  username: ['username', 'benutzername', 'anmeldename'],
  firstName: ['first_name', 'vorname'],
  lastName: ['last_name', 'nachname'],
  displayName: ['display_name', 'anzeigename'],
  title: ['title', 'stellenbezeichnung', 'funktion', 'position'],
  department: ['department', 'abteilung', 'organisationseinheit'],
  manages: ['manages', 'leitet'],
  location: ['location', 'standort'],
  manager: ['manager', 'vorgesetzter', 'vorgesetzte'],
  email: ['email', 'e-mail'],
  phone: ['phone', 'telefon'],
  mobile: ['mobile', 'mobil', 'mobiltelefon', 'handy'],
  privatePhone: ['private_phone', 'telefon_privat', 'privattelefon'],
  room: ['room', 'raum', 'büro'],
  hiredOn: ['hired_on', 'eintrittsdatum', 'eintritt'],
  status: ['status'],
};

const fieldByFoldedHeader = new Map<string, ImportField>(
  Object.entries(csvHeaderNames).flatMap(([field, names]) =>
    names.map((name) => [foldHeader(name), field as ImportField] as const),
  ),
);

export function fieldOfHeader(header: string): ImportField | undefined {
  return fieldByFoldedHeader.get(foldHeader(header));
}

/** The words the `status` column takes, folded to lower case. */
export const statusWords: Record<string, 'active' | 'inactive'> = {
  active: 'active',
  aktiv: 'active',
  inactive: 'inactive',
  inaktiv: 'inactive',
};

/** Separates the units of a department path: a slash with spaces around it, as `Einkauf/Logistik` is one name. */
export const unitPathSeparator = /\s+\/\s+/;
