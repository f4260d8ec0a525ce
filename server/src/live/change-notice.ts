import { Cursor, ScopeKey } from '@flurfunk/protocol';
import { z } from 'zod';
import type { Database, Queryable } from '../db/database.js';

/**
 * "Changes up to seq `upTo` were committed in these scopes." `'any'` stands for scopes that are
 * unknown (after missed notifications) or too many to list: every live client is told.
 */
export interface ChangeNotice {
  upTo: string;
  scopes: readonly ScopeKey[] | 'any';
}

/** PostgreSQL channel carrying notices between server instances on one database. */
export const changeChannel = 'flurfunk_changes';

/** NOTIFY payloads must stay below 8000 bytes; a notice with more scopes is sent as `'any'`. */
const maxPayloadBytes = 7000;

const Payload = z
  .object({
    upTo: Cursor,
    scopes: z.union([z.literal('any'), z.array(ScopeKey)]),
  })
  .strict();

/** The scopes as a notice carries them: the list, or `'any'` when it would make the payload too large. */
export function noticeScopes(scopes: ChangeNotice['scopes']): ChangeNotice['scopes'] {
  return scopes === 'any' || Buffer.byteLength(JSON.stringify(scopes)) > maxPayloadBytes ? 'any' : scopes;
}

export function encodeNotice(notice: ChangeNotice): string {
  return JSON.stringify({ upTo: notice.upTo, scopes: noticeScopes(notice.scopes) });
}

/** Null for a payload this server does not understand (e.g. from a newer instance). */
export function decodeNotice(payload: string): ChangeNotice | null {
  try {
    const parsed = Payload.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const pending = new WeakMap<Queryable, ChangeNotice[]>();

/**
 * Remembers a notice to publish once the transaction `tx` commits; a no-op for a transaction of a
 * database not wrapped by `publishingCommits` (e.g. seeding before the server starts).
 */
export function publishAfterCommit(tx: Queryable, notice: ChangeNotice): void {
  pending.get(tx)?.push(notice);
}

/** `db`, whose transactions hand the notices recorded in them to `publish` after they commit. */
export function publishingCommits(db: Database, publish: (notice: ChangeNotice) => void): Database {
  return {
    query: (sql, params) => db.query(sql, params),
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
    snapshot: (work) => db.snapshot(work),
    async transaction(work) {
      const notices: ChangeNotice[] = [];
      const result = await db.transaction((tx) => {
        notices.length = 0;
        pending.set(tx, notices);
        return work(tx);
      });
      for (const notice of notices) publish(notice);
      return result;
    },
  };
}
