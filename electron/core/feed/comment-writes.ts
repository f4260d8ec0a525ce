import { PostComment, feedMutationArgs } from '@flurfunk/protocol';
import type { MutationType, SessionUser } from '@flurfunk/protocol';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { CacheDatabase } from '../cache/database.js';
import { localTimestamp } from '../cache/timestamps.js';
import { CoreError } from '../errors.js';
import type { OutboxEntry, OutboxStore } from '../outbox/outbox-store.js';
import type { ChangeSet } from '../sync/change-set.js';
import type { SyncIndex } from '../sync/sync-index.js';
import { type CommentStore, type StoredComment, toComment } from './comment-store.js';
import type { FeedPermissions } from './feed-permissions.js';
import type { FeedStore } from './feed-store.js';
import { postQueue } from './feed-writes.js';

/** The mutations of comments: their outbox entries change a comment (`entityId`), not a post. */
export const commentMutations: ReadonlySet<MutationType> = new Set([
  'feed.addComment',
  'feed.editComment',
  'feed.deleteComment',
]);

/** What a delete takes away: the comment and its replies, to bring back if the user discards it. */
const DeletedComments = z.array(PostComment);

/**
 * The user's comments: each write changes the cache at once and queues its mutation in the
 * outbox, in one transaction (see FeedWrites). They go in their post's queue, so a comment on a
 * post written offline goes out after the post.
 */
export class CommentWrites {
  constructor(
    private readonly db: CacheDatabase,
    private readonly feed: FeedStore,
    private readonly comments: CommentStore,
    private readonly permissions: FeedPermissions,
    private readonly outbox: OutboxStore,
    private readonly index: SyncIndex,
    private readonly user: SessionUser,
  ) {}

  /** Comments on a post, or answers a comment; answering a reply answers the comment it is under. */
  addComment(
    { postId, parentId, body }: { postId: string; parentId: string | null; body: string },
    changes: ChangeSet,
  ): string {
    const post = this.feed.getPost(postId);
    if (!post || !post.published) throw new CoreError('not_found', 'this post is not in the cache');
    if (!post.commentsEnabled) throw new CoreError('forbidden', 'comments are turned off for this post');
    let threadId: string | null = null;
    if (parentId !== null) {
      const parent = this.comments.get(parentId);
      if (!parent || parent.postId !== postId)
        throw new CoreError('not_found', 'the comment to answer is not in the cache');
      threadId = parent.parentId ?? parent.id;
    }
    const id = uuidv7();
    const comment: PostComment = {
      id,
      postId,
      parentId: threadId,
      authorId: this.user.id,
      body,
      createdAt: localTimestamp(),
      editedAt: null,
    };
    this.write(changes, comment, () => this.comments.put(comment), 'feed.addComment', {
      commentId: id,
      postId,
      parentId: threadId,
      body,
    });
    return id;
  }

  editComment({ commentId, body }: { commentId: string; body: string }, changes: ChangeSet): void {
    const before = this.existing(commentId);
    if (!this.permissions.mayEditComment(before))
      throw new CoreError('forbidden', 'only its author can edit a comment');
    if (before.body === body) return;
    const comment = toComment(before);
    this.write(
      changes,
      comment,
      () => this.comments.put({ ...comment, body, editedAt: localTimestamp() }),
      'feed.editComment',
      { commentId, body },
      comment,
    );
  }

  /** Deletes a comment and its replies. */
  deleteComment({ commentId }: { commentId: string }, changes: ChangeSet): void {
    const before = this.existing(commentId);
    if (!this.permissions.mayDeleteComment(before, this.feed.getPost(before.postId)))
      throw new CoreError('forbidden', 'you may not delete this comment');
    const taken = [before, ...this.comments.repliesTo(commentId)].map(toComment);
    this.write(
      changes,
      toComment(before),
      () => this.comments.deleteLocal(commentId),
      'feed.deleteComment',
      { commentId },
      taken,
    );
    for (const reply of taken) changes.add('postComment', reply.id);
  }

  /** Takes back the optimistic change of a write the user discards. Call inside its transaction. */
  undo(entry: OutboxEntry, changes: ChangeSet): void {
    if (entry.entityId === null) return;
    if (entry.type === 'feed.addComment') {
      if (!this.isSynced(entry.entityId)) this.comments.deleteLocal(entry.entityId);
    } else if (entry.type === 'feed.editComment') {
      const before = PostComment.safeParse(entry.undo);
      if (before.success && this.isSynced(before.data.id)) this.comments.put(before.data);
    } else if (entry.type === 'feed.deleteComment') {
      const taken = DeletedComments.safeParse(entry.undo);
      // Only what still exists on the server (as far as sync knows) comes back.
      for (const comment of taken.success ? taken.data : []) {
        if (this.isSynced(comment.id)) this.comments.put(comment);
        changes.add('postComment', comment.id);
      }
    }
    changes.add('postComment', entry.entityId);
    const postId = this.comments.get(entry.entityId)?.postId;
    if (postId) changes.add('post', postId);
    else changes.addAll('post');
  }

  /**
   * Applies the user's unconfirmed edits and deletes again to comments a sync page has just
   * overwritten with the server's older version. Call inside the page's transaction.
   */
  reapply(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) {
      if (entry.type === 'feed.editComment') {
        const { commentId, body } = feedMutationArgs['feed.editComment'].parse(entry.args);
        const current = this.comments.get(commentId);
        if (current && current.body !== body) this.comments.put({ ...toComment(current), body });
      } else if (entry.type === 'feed.deleteComment') {
        this.comments.deleteLocal(feedMutationArgs['feed.deleteComment'].parse(entry.args).commentId);
      }
    }
  }

  private write(
    changes: ChangeSet,
    comment: PostComment,
    change: () => void,
    type: MutationType,
    args: unknown,
    undo?: unknown,
  ): void {
    const id = uuidv7();
    this.db
      .transaction(() => {
        change();
        this.outbox.add({
          id,
          queue: postQueue(comment.postId),
          type,
          args,
          entityId: comment.id,
          undo,
          createdAt: new Date().toISOString(),
        });
      })
      .immediate();
    changes.add('outboxEntry', id);
    changes.add('postComment', comment.id);
    changes.add('post', comment.postId);
  }

  private existing(id: string): StoredComment {
    const comment = this.comments.get(id);
    if (!comment) throw new CoreError('not_found', 'this comment is not in the cache');
    return comment;
  }

  /** The server has the comment, as far as sync knows: as a reader's copy or as the post author's. */
  private isSynced(id: string): boolean {
    return this.index.isSynced('postComment', id) || this.index.isSynced('authoredPostComment', id);
  }
}
