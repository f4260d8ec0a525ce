import { z } from 'zod';
import { FileMeta } from './files.js';
import { Id } from './ids.js';

export { Id };

export const LocationKind = z.enum(['headOffice', 'plant', 'fieldService', 'other']);

export const Location = z
  .object({
    id: Id,
    name: z.string().min(1).max(200),
    kind: LocationKind,
    address: z.string().max(500),
  })
  .strict();
export type Location = z.infer<typeof Location>;

export const OrgUnit = z
  .object({
    id: Id,
    name: z.string().min(1).max(200),
    parentId: Id.nullable(),
    managerId: Id.nullable(),
  })
  .strict();
export type OrgUnit = z.infer<typeof OrgUnit>;

/** A calendar day, `YYYY-MM-DD`. */
export const IsoDate = z.iso.date();

/** Day and month of a birthday, `MM-DD` (never the year); 02-29 is a day too. */
export const MonthDay = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, 'expected MM-DD')
  .refine(isDayOfTheYear, 'not a day of the year');

function isDayOfTheYear(monthDay: string): boolean {
  // 2000 is a leap year; a day past the month's end rolls over into the next month.
  const date = new Date(`2000-${monthDay}T00:00:00Z`);
  return date.getUTCDate() === Number(monthDay.slice(3));
}

/** The fields HR keeps for everyone: the same in the admin API, the import and sync. */
const masterFields = {
  id: Id,
  username: z.string().min(1).max(100),
  firstName: z.string().max(100),
  lastName: z.string().max(100),
  displayName: z.string().min(1).max(200),
  title: z.string().max(200),
  orgUnitId: Id.nullable(),
  locationId: Id.nullable(),
  managerId: Id.nullable(),
  email: z.string().max(320),
  phone: z.string().max(50),
  room: z.string().max(100),
};

/**
 * What HR maintains about a person (admin API and `import-directory`). `privatePhone` is shown
 * only to the person, their manager and HR; `hiredOn` only as a work anniversary the person
 * opted in to. `mobile`, `privatePhone` and `hiredOn` left out keep their current value (empty
 * for someone new): the directory listing an admin edits from does not carry the last two.
 */
export const PersonMasterData = z
  .object({
    ...masterFields,
    mobile: z.string().max(50).optional(),
    privatePhone: z.string().max(50).optional(),
    hiredOn: IsoDate.nullable().optional(),
  })
  .strict();
export type PersonMasterData = z.infer<typeof PersonMasterData>;

export const maxLanguages = 20;
export const maxSkills = 50;

const profileTag = (max: number) => z.string().trim().min(1).max(max);

export const OutOfOffice = z
  .object({
    message: z.string().trim().min(1).max(500),
    /** The last day away; null while it is open-ended. */
    until: IsoDate.nullable(),
  })
  .strict();
export type OutOfOffice = z.infer<typeof OutOfOffice>;

/** What a person fills in about themselves; everything else comes from HR. */
export const ProfileEdit = z
  .object({
    pronouns: z.string().trim().max(40),
    languages: z.array(profileTag(50)).max(maxLanguages),
    skills: z.array(profileTag(60)).max(maxSkills),
    outOfOffice: OutOfOffice.nullable(),
    /** An image the person uploaded; null removes the photo. */
    photoFileId: Id.nullable(),
  })
  .strict();
export type ProfileEdit = z.infer<typeof ProfileEdit>;

/** The person's consent to show their birthday (day and month) and work anniversary to everyone. */
export const CelebrationsConsent = z
  .object({ birthday: MonthDay.nullable(), showWorkAnniversary: z.boolean() })
  .strict();
export type CelebrationsConsent = z.infer<typeof CelebrationsConsent>;

/**
 * A person as everyone in the company receives them. Restricted fields (`privatePhone`) are not
 * here: they travel as `PrivateContact` to those allowed to see them. A deactivated person keeps
 * only their names, so past messages still say who wrote them.
 */
export const Person = z
  .object({
    ...masterFields,
    mobile: z.string().max(50),
    ...ProfileEdit.omit({ photoFileId: true }).shape,
    /** The photo's file, so every device may fetch and check it like an attachment. */
    photo: FileMeta.nullable(),
    /** Only with the person's consent. */
    birthday: MonthDay.nullable(),
    /** The first working day, only with the person's consent. */
    workAnniversary: IsoDate.nullable(),
    deactivated: z.boolean(),
  })
  .strict();
export type Person = z.infer<typeof Person>;

/** A person's restricted contact data, synced only to the person, their manager and HR. */
export const PrivateContact = z.object({ id: Id, privatePhone: z.string().max(50) }).strict();
export type PrivateContact = z.infer<typeof PrivateContact>;

export const directoryMutationArgs = {
  'directory.updateProfile': ProfileEdit,
  'directory.setCelebrations': CelebrationsConsent,
} as const;

/**
 * The key the directory is ordered by, on the server and in the client cache alike: last name,
 * then first name (display name for accounts without a person's name), case- and accent-folded
 * with German "ß" as "ss". Compared byte-wise (`COLLATE "C"`), so every database orders the same.
 */
export function directorySortKey(person: Pick<Person, 'lastName' | 'firstName' | 'displayName'>): string {
  const primary = person.lastName.trim() === '' ? person.displayName : person.lastName;
  return `${foldForSorting(primary)}\u0001${foldForSorting(person.firstName)}`;
}

/** A name folded for ordering (case, accents, `ß`), as `directorySortKey` does for people. */
export function foldForSorting(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replaceAll('ß', 'ss')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The one form in which directory search compares words, so that the ways Germans write a name
 * find each other: case and accents folded (`Müller` → `muller`), `ß` as `ss`, and umlauts spelled
 * out folded back (`Mueller` → `muller`). Applied alike to what is indexed and to what is typed;
 * folding `ae`/`oe`/`ue` anywhere (`Michael` → `michal`) costs nothing, as both sides fold the same.
 */
export function foldForSearch(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßøłđðþæœı]/g, (letter) => lettersWithoutMarks[letter] ?? letter)
    .replace(/([aou])e/g, '$1');
}

/** Letters Unicode does not decompose into a base letter and a mark. */
const lettersWithoutMarks: Readonly<Record<string, string>> = {
  ß: 'ss',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  æ: 'ae',
  œ: 'oe',
  ı: 'i',
};

/** `GET /api/v1/directory?cursor=&limit=`: people in `directorySortKey` order, then id. */
export const DirectoryQuery = z
  .object({
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type DirectoryQuery = z.infer<typeof DirectoryQuery>;

export const DirectoryPage = z
  .object({
    people: z.array(Person),
    nextCursor: z.string().nullable(),
  })
  .strict();
export type DirectoryPage = z.infer<typeof DirectoryPage>;
