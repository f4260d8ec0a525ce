import { FileMeta } from '@flurfunk/protocol';
import type { CacheDatabase } from '../cache/database.js';

/** An upload no post took within this long is forgotten (the server removes it after a day). */
const uploadLifetimeMs = 24 * 60 * 60 * 1000;

/**
 * The files the user may open on this device, by id: those the cached posts and messages name,
 * the pictures of cached conversations, the photos of active people and of the canteens' dishes,
 * and the user's own uploads that no post or message took yet. A file no longer named here is not served.
 */
export class KnownFiles {
  private readonly statements;

  constructor(db: CacheDatabase) {
    this.statements = {
      ofPost: db.prepare<[string], string>('SELECT meta FROM post_files WHERE file_id = ?').pluck(),
      ofMessage: db
        .prepare<[string], string>('SELECT meta FROM message_files WHERE file_id = ? LIMIT 1')
        .pluck(),
      ofConversation: db
        .prepare<[string], string>(
          `SELECT picture FROM conversations WHERE json_extract(picture, '$.id') = ? AND picture IS NOT NULL LIMIT 1`,
        )
        .pluck(),
      ofPerson: db
        .prepare<[string], string>(
          'SELECT photo FROM people WHERE photo_file_id = ? AND deactivated = 0 AND photo IS NOT NULL LIMIT 1',
        )
        .pluck(),
      // A canteen's weeks are few; their dishes are read in place.
      ofDish: db
        .prepare<[string], string>(
          `SELECT json_extract(dish.value, '$.photo') FROM canteen_weeks w,
             json_each(w.data, '$.days') AS day, json_each(day.value, '$.dishes') AS dish
           WHERE json_extract(dish.value, '$.photo.id') = ? LIMIT 1`,
        )
        .pluck(),
      upload: db
        .prepare<[string, string], string>('SELECT meta FROM uploads WHERE id = ? AND created_at > ?')
        .pluck(),
      recordUpload: db.prepare<[string, string, string]>(
        'INSERT OR REPLACE INTO uploads (id, meta, created_at) VALUES (?, ?, ?)',
      ),
      forgetUpload: db.prepare<[string]>('DELETE FROM uploads WHERE id = ?'),
      forgetOldUploads: db.prepare<[string]>('DELETE FROM uploads WHERE created_at <= ?'),
    };
  }

  meta(id: string): FileMeta | null {
    return parsed(
      this.statements.ofPost.get(id) ??
        this.statements.ofMessage.get(id) ??
        this.statements.ofConversation.get(id) ??
        this.statements.ofPerson.get(id) ??
        this.statements.ofDish.get(id) ??
        this.statements.upload.get(id, this.oldestUpload()),
    );
  }

  recordUpload(meta: FileMeta): void {
    this.statements.forgetOldUploads.run(this.oldestUpload());
    this.statements.recordUpload.run(meta.id, JSON.stringify(meta), new Date().toISOString());
  }

  /** The user's uploads a post or message of theirs now names; null for one that is not among them. */
  takeUploads(ids: readonly string[]): (FileMeta | null)[] {
    return ids.map((id) => {
      const meta = parsed(this.statements.upload.get(id, this.oldestUpload()));
      this.statements.forgetUpload.run(id);
      return meta;
    });
  }

  private oldestUpload(): string {
    return new Date(Date.now() - uploadLifetimeMs).toISOString();
  }
}

function parsed(stored: string | undefined): FileMeta | null {
  if (stored === undefined) return null;
  const meta = FileMeta.safeParse(JSON.parse(stored));
  return meta.success ? meta.data : null;
}
