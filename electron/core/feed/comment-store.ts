import { maxCommentsPerPost } from '@flurfunk/protocol';
import type { Delivery, PostComment, SyncChange, SyncEntity } from '@flurfunk/protocol';
import type { CacheDatabase } from '../cache/database.js';
import type { SyncIndex } from '../sync/sync-index.js';
import type { SyncTarget } from '../sync/sync-target.js';

interface CommentRow {
  id: string;
  post_id: string;
  parent_id: string | null;
  author_id: string;
  body: string;
  created_at: string;
  edited_at: string | null;
  state: 'pending' | 'sent' | 'failed' | null;
  outbox_id: string | null;
}

/** A comment with where the user's writes to it stand. */
export type StoredComment = PostComment & { delivery: Delivery; outboxId: string | null };

const commentColumns = /* sql */ `
  k.id, k.post_id, k.parent_id, k.author_id, k.body, k.created_at, k.edited_at,
  o.state, o.id AS outbox_id`;
// The newest outbox entry touching the comment decides its delivery state.
const commentJoins = /* sql */ `
  LEFT JOIN outbox o ON o.position = (SELECT max(position) FROM outbox WHERE entity_id = k.id)`;

/** The comments on posts: written by sync (as a reader's and as the post author's copy) and by the user. */
export class CommentStore implements SyncTarget {
  private readonly statements;

  constructor(
    db: CacheDatabase,
    private readonly index: SyncIndex,
  ) {
    this.statements = {
      upsert: db.prepare<[PostComment]>(/* sql */ `
        INSERT INTO post_comments (id, post_id, parent_id, author_id, body, created_at, edited_at)
        VALUES (@id, @postId, @parentId, @authorId, @body, @createdAt, @editedAt)
        ON CONFLICT (id) DO UPDATE SET post_id = excluded.post_id, parent_id = excluded.parent_id,
          author_id = excluded.author_id, body = excluded.body, created_at = excluded.created_at,
          edited_at = excluded.edited_at`),
      delete: db.prepare<[string]>('DELETE FROM post_comments WHERE id = ?'),
      get: db.prepare<[string], CommentRow>(
        `SELECT ${commentColumns} FROM post_comments k ${commentJoins} WHERE k.id = ?`,
      ),
      replies: db.prepare<[string], CommentRow>(
        `SELECT ${commentColumns} FROM post_comments k ${commentJoins} WHERE k.parent_id = ? ORDER BY k.created_at, k.id`,
      ),
      // Thread by thread in the order they were started, each comment followed by its replies.
      // A reply whose comment is not (yet) in the cache stands on its own.
      ofPost: db.prepare<[string, number], CommentRow>(/* sql */ `
        SELECT ${commentColumns} FROM post_comments k
        LEFT JOIN post_comments t ON t.id = k.parent_id
        ${commentJoins}
        WHERE k.post_id = ?
        ORDER BY coalesce(t.created_at, k.created_at), coalesce(t.id, k.id), k.parent_id IS NOT NULL,
          k.created_at, k.id
        LIMIT ?`),
    };
  }

  apply(change: SyncChange): void {
    switch (change.type) {
      case 'postComment.upsert':
      case 'authoredPostComment.upsert':
        this.put(change.data);
        return;
      case 'postComment.delete':
      case 'authoredPostComment.delete':
        this.remove(change.type === 'postComment.delete' ? 'postComment' : 'authoredPostComment', change.id);
        return;
      default:
        throw new Error(`the comment store got a change it does not hold: ${change.type}`);
    }
  }

  remove(entity: SyncEntity, id: string): void {
    // The comments on the user's own post come twice (as reader and as author): one stays while either remains.
    const other = entity === 'postComment' ? 'authoredPostComment' : 'postComment';
    if (!this.index.isSynced(other, id)) this.statements.delete.run(id);
  }

  put(comment: PostComment): void {
    this.statements.upsert.run(comment);
  }

  /** Removes a comment the user deleted, with its replies, before the server has the delete. */
  deleteLocal(id: string): void {
    for (const reply of this.statements.replies.all(id)) this.statements.delete.run(reply.id);
    this.statements.delete.run(id);
  }

  get(id: string): StoredComment | null {
    const row = this.statements.get.get(id);
    return row ? toStoredComment(row) : null;
  }

  repliesTo(id: string): StoredComment[] {
    return this.statements.replies.all(id).map(toStoredComment);
  }

  /** A post's comments, each followed by its replies, the first `maxCommentsPerPost` of them. */
  ofPost(postId: string): StoredComment[] {
    return this.statements.ofPost.all(postId, maxCommentsPerPost).map(toStoredComment);
  }
}

export function toComment(stored: StoredComment): PostComment {
  const { delivery: _delivery, outboxId: _outboxId, ...comment } = stored;
  return comment;
}

function toStoredComment(row: CommentRow): StoredComment {
  return {
    id: row.id,
    postId: row.post_id,
    parentId: row.parent_id,
    authorId: row.author_id,
    body: row.body,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    delivery: row.state ?? 'synced',
    outboxId: row.state === null ? null : row.outbox_id,
  };
}
