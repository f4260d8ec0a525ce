import { z } from 'zod';
import { Id, Location, OrgUnit, Person } from './directory.js';

/** A cursor is the decimal sequence number of the last change the client has applied ("0" = nothing). */
export const Cursor = z.string().regex(/^(0|[1-9][0-9]{0,17})$/, 'cursor must be a decimal sequence number');

export const SyncQuery = z
  .object({
    after: Cursor.default('0'),
    limit: z.coerce.number().int().min(1).max(1000).default(500),
  })
  .strict();
export type SyncQuery = z.infer<typeof SyncQuery>;

export const SyncEntity = z.enum(['person', 'orgUnit', 'location']);
export type SyncEntity = z.infer<typeof SyncEntity>;

const base = { seq: Cursor, id: Id };

export const SyncChange = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('person.upsert'), data: Person }).strict(),
  z.object({ ...base, type: z.literal('orgUnit.upsert'), data: OrgUnit }).strict(),
  z.object({ ...base, type: z.literal('location.upsert'), data: Location }).strict(),
  z.object({ ...base, type: z.literal('person.delete') }).strict(),
  z.object({ ...base, type: z.literal('orgUnit.delete') }).strict(),
  z.object({ ...base, type: z.literal('location.delete') }).strict(),
]);
export type SyncChange = z.infer<typeof SyncChange>;

/** `GET /api/v1/sync?after=&limit=`: changes visible to the caller, ascending by seq. */
export const SyncPage = z
  .object({
    /**
     * Names this server's change log. When it differs from the one the client stored, the client's
     * data and cursor belong to another log (the server was reset or restored): it clears them and
     * syncs again from "0" instead of applying the page.
     */
    epoch: z.string().min(1).max(100),
    changes: z.array(SyncChange),
    /** Cursor to send as `after` next time; equals the last change's seq, or the request's `after` when empty. */
    cursor: Cursor,
    hasMore: z.boolean(),
  })
  .strict();
export type SyncPage = z.infer<typeof SyncPage>;
