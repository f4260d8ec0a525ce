import { z } from 'zod';

/** Position after the last person of a directory page: their sort key and id. */
export interface DirectoryPosition {
  sortKey: string;
  id: string;
}

const Position = z.tuple([z.string().max(400), z.uuid()]);

export function encodeDirectoryCursor(position: DirectoryPosition): string {
  return Buffer.from(JSON.stringify([position.sortKey, position.id]), 'utf8').toString('base64url');
}

/** Null for anything that is not a cursor this server handed out. */
export function decodeDirectoryCursor(cursor: string): DirectoryPosition | null {
  try {
    const parsed = Position.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? { sortKey: parsed.data[0], id: parsed.data[1] } : null;
  } catch {
    return null;
  }
}
