import type { z } from 'zod';
import type { CacheDatabase } from './database.js';
import { logError } from '../log.js';

/** What the user was writing, by composer, kept in the encrypted cache so it survives a restart. */
export class Drafts {
  private readonly statements;

  constructor(db: CacheDatabase) {
    this.statements = {
      read: db.prepare<[string], string>('SELECT value FROM drafts WHERE key = ?').pluck(),
      write: db.prepare<[string, string]>(
        'INSERT INTO drafts (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      delete: db.prepare<[string]>('DELETE FROM drafts WHERE key = ?'),
    };
  }

  /** The stored draft, or null when there is none or it no longer fits the schema (an older Flurfunk wrote it). */
  read<S extends z.ZodType>(key: string, schema: S): z.output<S> | null {
    const stored = this.statements.read.get(key);
    if (stored === undefined) return null;
    try {
      const parsed = schema.safeParse(JSON.parse(stored));
      if (parsed.success) return parsed.data;
    } catch (error) {
      logError(`draft ${key}`, error);
    }
    return null;
  }

  /** Keeps a draft; null removes it. */
  write(key: string, value: unknown): void {
    if (value === null) this.statements.delete.run(key);
    else this.statements.write.run(key, JSON.stringify(value));
  }
}
