import { z } from 'zod';

export const Id = z.uuid();

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

export const Person = z
  .object({
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
  })
  .strict();
export type Person = z.infer<typeof Person>;

/**
 * The key the directory is ordered by, on the server and in the client cache alike: last name,
 * then first name (display name for accounts without a person's name), case- and accent-folded
 * with German "ß" as "ss". Compared byte-wise (`COLLATE "C"`), so every database orders the same.
 */
export function directorySortKey(person: Pick<Person, 'lastName' | 'firstName' | 'displayName'>): string {
  const primary = person.lastName.trim() === '' ? person.displayName : person.lastName;
  return `${foldForSorting(primary)}\u0001${foldForSorting(person.firstName)}`;
}

function foldForSorting(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replaceAll('ß', 'ss')
    .replace(/\s+/g, ' ')
    .trim();
}

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
