import { directoryAuthChangeLog } from './0001-directory-auth-change-log.js';

export interface Migration {
  /** Strictly increasing, never reused; a released migration is never edited. */
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [directoryAuthChangeLog];
