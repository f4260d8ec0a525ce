import type { PersonProfile } from '@flurfunk/protocol';

/** What "Copy contact" takes of a profile. A private number stays out: it is not for passing on. */
export type ContactPerson = Pick<
  PersonProfile,
  | 'displayName'
  | 'firstName'
  | 'lastName'
  | 'title'
  | 'orgUnitName'
  | 'locationName'
  | 'room'
  | 'phone'
  | 'mobile'
  | 'email'
>;

/** The words before each line of the plain-text contact, in the user's language. */
export interface ContactLabels {
  department: string;
  location: string;
  room: string;
  phone: string;
  mobile: string;
  email: string;
}

/**
 * A person's contact details as plain text for the clipboard: name and title, then one labelled
 * line per field that is filled in ("Phone: +49 711 …"). Empty fields leave no line.
 */
export function contactText(person: ContactPerson, labels: ContactLabels): string {
  const labelled: [string, string | null][] = [
    [labels.department, person.orgUnitName],
    [labels.location, person.locationName],
    [labels.room, person.room],
    [labels.phone, person.phone],
    [labels.mobile, person.mobile],
    [labels.email, person.email],
  ];
  return [
    oneLine(person.displayName),
    oneLine(person.title),
    ...labelled.map(([label, value]) => (oneLine(value) === '' ? '' : `${label}: ${oneLine(value)}`)),
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** Values are single lines; a stray line break would make the text look like two fields. */
function oneLine(value: string | null): string {
  return (value ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The same person as a vCard 3.0 (RFC 2426), for address books: CRLF line ends, text values
 * escaped, lines folded at 75 octets. `organization` is the department path, top unit first.
 */
export function contactVCard(person: ContactPerson, organization: readonly string[] = []): string {
  const lines = [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `N:${[person.lastName, person.firstName, '', '', ''].map(escapeText).join(';')}`,
    `FN:${escapeText(oneLine(person.displayName))}`,
  ];
  if (oneLine(person.title)) lines.push(`TITLE:${escapeText(oneLine(person.title))}`);
  const units = organization.map(oneLine).filter((unit) => unit !== '');
  if (units.length > 0) lines.push(`ORG:${units.map(escapeText).join(';')}`);
  if (oneLine(person.phone)) lines.push(`TEL;TYPE=WORK,VOICE:${escapeText(oneLine(person.phone))}`);
  if (oneLine(person.mobile)) lines.push(`TEL;TYPE=WORK,CELL:${escapeText(oneLine(person.mobile))}`);
  if (oneLine(person.email)) lines.push(`EMAIL;TYPE=INTERNET,WORK:${escapeText(oneLine(person.email))}`);
  const place = [person.room, person.locationName].map(oneLine).filter((part) => part !== '');
  if (place.length > 0) lines.push(`NOTE:${escapeText(place.join(', '))}`);
  lines.push('END:VCARD');
  return lines.map(fold).join('\r\n') + '\r\n';
}

function escapeText(value: string): string {
  return value.replace(/[\\;,]/g, (char) => `\\${char}`).replace(/\r?\n/g, '\\n');
}

const encoder = new TextEncoder();

/** Splits a line into pieces of at most 75 octets, continued by CRLF and a space (never inside a character). */
function fold(line: string): string {
  const pieces: string[] = [];
  let piece = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    const limit = pieces.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      pieces.push(piece);
      piece = '';
      octets = 0;
    }
    piece += char;
    octets += size;
  }
  pieces.push(piece);
  return pieces.join('\r\n ');
}
