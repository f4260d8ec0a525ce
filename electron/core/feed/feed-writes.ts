import { FeedChannelSettings, Post, PostState, feedMutationArgs, isPollClosed } from '@flurfunk/protocol';
import type {
  Attendance,
  MutationArgs,
  MutationType,
  PostDraft,
  Reaction,
  SessionUser,
} from '@flurfunk/protocol';
import { v7 as uuidv7 } from 'uuid';
import type { CacheDatabase } from '../cache/database.js';
import { localTimestamp } from '../cache/timestamps.js';
import { CoreError } from '../errors.js';
import type { OutboxEntry, OutboxStore } from '../outbox/outbox-store.js';
import type { KnownFiles } from '../files/known-files.js';
import type { ChangeSet } from '../sync/change-set.js';
import type { SyncIndex } from '../sync/sync-index.js';
import type { FeedPermissions } from './feed-permissions.js';
import { type FeedStore, toPost } from './feed-store.js';

/**
 * Writes to one post go out in order (publish before edit before delete, and before the comments
 * on it); seen marks have their own queue.
 */
export const postQueue = (postId: string) => `post:${postId}`;
const seenQueue = 'feed:seen';

/**
 * The user's newsfeed writes: each changes the cache at once (the optimistic row) and queues its
 * mutation in the outbox, in one transaction, like the chat's (see ChatWrites).
 */
export class FeedWrites {
  constructor(
    private readonly db: CacheDatabase,
    private readonly feed: FeedStore,
    private readonly permissions: FeedPermissions,
    private readonly outbox: OutboxStore,
    private readonly index: SyncIndex,
    private readonly user: SessionUser,
    private readonly files: KnownFiles,
  ) {}

  publishPost(draft: PostDraft, changes: ChangeSet): string {
    const channel = this.feed.getChannel(draft.channelId);
    if (!channel) throw new CoreError('not_found', 'this channel is not in the cache');
    if (!this.permissions.mayPostIn(channel))
      throw new CoreError('forbidden', 'you may not post in this channel');
    const id = uuidv7();
    const now = localTimestamp();
    const scheduled = draft.publishAt !== null && Date.parse(draft.publishAt) > Date.now();
    const post: Post = {
      id,
      channelId: channel.id,
      authorId: this.user.id,
      title: draft.title,
      body: draft.body,
      requiresConfirmation: draft.requiresConfirmation,
      pinned: draft.pinned,
      commentsEnabled: draft.commentsEnabled,
      event: draft.event,
      poll: draft.poll,
      attachments: [],
      published: !scheduled,
      publishAt: scheduled && draft.publishAt !== null ? draft.publishAt : now,
      createdAt: now,
      editedAt: null,
    };
    this.write(
      changes,
      id,
      () => {
        // The user's own uploads: their details are known here, the server checks they are theirs.
        const attachments = this.files.takeUploads(draft.attachments);
        if (attachments.some((meta) => meta === null))
          throw new CoreError('not_found', 'an attachment is not among your uploads on this device');
        this.feed.putPost({ ...post, attachments: attachments.filter((meta) => meta !== null) });
      },
      'feed.publishPost',
      { postId: id, ...draft },
    );
    return id;
  }

  editPost(
    { postId, title, body }: { postId: string; title: string; body: string },
    changes: ChangeSet,
  ): void {
    const before = this.managedPost(postId);
    this.write(
      changes,
      postId,
      () => this.feed.putPost({ ...before, title, body, editedAt: localTimestamp() }),
      'feed.editPost',
      { postId, title, body },
      before,
    );
  }

  deletePost({ postId }: { postId: string }, changes: ChangeSet): void {
    const before = this.managedPost(postId);
    this.write(
      changes,
      postId,
      () => this.feed.deleteLocalPost(postId),
      'feed.deletePost',
      { postId },
      before,
    );
  }

  pinPost({ postId, pinned }: { postId: string; pinned: boolean }, changes: ChangeSet): void {
    const before = this.managedPost(postId);
    if (before.pinned === pinned) return;
    this.write(
      changes,
      postId,
      () => this.feed.putPost({ ...before, pinned }),
      'feed.pinPost',
      { postId, pinned },
      before,
    );
  }

  /** Opens or closes the post for new comments. */
  allowComments({ postId, enabled }: { postId: string; enabled: boolean }, changes: ChangeSet): void {
    const before = this.managedPost(postId);
    if (before.commentsEnabled === enabled) return;
    this.write(
      changes,
      postId,
      () => this.feed.putPost({ ...before, commentsEnabled: enabled }),
      'feed.allowComments',
      { postId, enabled },
      before,
    );
  }

  confirmPost({ postId }: { postId: string }, changes: ChangeSet): void {
    this.changeOwnState(changes, 'feed.confirmPost', { postId }, (post, before) => {
      if (!post.requiresConfirmation)
        throw new CoreError('invalid_args', 'this post asks for no confirmation');
      if (before.confirmedAt !== null) return null;
      const now = localTimestamp();
      return { ...before, seenAt: before.seenAt ?? now, confirmedAt: now };
    });
  }

  /** Gives, changes or (null) takes back the user's reaction. */
  react({ postId, reaction }: { postId: string; reaction: Reaction | null }, changes: ChangeSet): void {
    this.changeOwnState(changes, 'feed.react', { postId, reaction }, (_post, before) =>
      before.reaction === reaction ? null : { ...before, reaction },
    );
  }

  /** Answers the event a post announces, or (null) takes the answer back. */
  answerEvent(
    { postId, attendance }: { postId: string; attendance: Attendance | null },
    changes: ChangeSet,
  ): void {
    this.changeOwnState(changes, 'feed.answerEvent', { postId, attendance }, (post, before) => {
      if (post.event === null) throw new CoreError('invalid_args', 'this post announces no event');
      return before.attendance === attendance ? null : { ...before, attendance };
    });
  }

  /** Votes in a post's poll, replacing the user's earlier vote; no options takes it back. */
  vote({ postId, options }: { postId: string; options: readonly number[] }, changes: ChangeSet): void {
    this.changeOwnState(changes, 'feed.vote', { postId, options: [...options] }, (post, before) => {
      const { poll } = post;
      if (poll === null) throw new CoreError('invalid_args', 'this post asks no poll');
      if (options.some((option) => option >= poll.options.length))
        throw new CoreError('invalid_args', 'this poll has no such option');
      if (!poll.multiple && options.length > 1)
        throw new CoreError('invalid_args', 'this poll takes one option');
      if (isPollClosed(poll)) throw new CoreError('forbidden', 'this poll is closed');
      const votes = [...new Set(options)].sort((a, b) => a - b);
      return before.votes.join() === votes.join() ? null : { ...before, votes };
    });
  }

  /** Closes a post's poll now. */
  closePoll({ postId }: { postId: string }, changes: ChangeSet): void {
    const before = this.managedPost(postId);
    if (before.poll === null) throw new CoreError('invalid_args', 'this post asks no poll');
    if (isPollClosed(before.poll)) return;
    const poll = { ...before.poll, closesAt: localTimestamp() };
    this.write(
      changes,
      postId,
      () => this.feed.putPost({ ...before, poll }),
      'feed.closePoll',
      { postId },
      before,
    );
  }

  /**
   * Changes the user's own state of a published post and queues the write; `change` returns the
   * new state, or null when the write would change nothing.
   */
  private changeOwnState<T extends 'feed.confirmPost' | 'feed.react' | 'feed.answerEvent' | 'feed.vote'>(
    changes: ChangeSet,
    type: T,
    args: MutationArgs<T>,
    change: (post: Post, before: PostState) => PostState | null,
  ): void {
    const post = this.feed.getPost(args.postId);
    if (!post || !post.published) throw new CoreError('not_found', 'this post is not in the cache');
    const before = this.feed.getState(args.postId);
    const after = change(toPost(post), before);
    if (after === null) return;
    this.write(changes, args.postId, () => this.feed.putState(after), type, args, before);
    changes.add('postState', args.postId);
  }

  /** Follows or unfollows a channel; a mandatory one is always followed. */
  followChannel(
    { channelId, following }: { channelId: string; following: boolean },
    changes: ChangeSet,
  ): void {
    const channel = this.feed.getChannel(channelId);
    if (!channel) throw new CoreError('not_found', 'this channel is not in the cache');
    if (channel.mandatory && !following)
      throw new CoreError('invalid_args', 'a mandatory channel cannot be unfollowed');
    const before = !this.feed.unfollowedChannels().has(channelId);
    if (before === following) return;
    this.db
      .transaction(() => {
        this.feed.putChannelSettings({ id: channelId, following });
        this.queue(
          changes,
          `channel:${channelId}`,
          'feed.followChannel',
          { channelId, following },
          channelId,
          {
            id: channelId,
            following: before,
          },
        );
      })
      .immediate();
    changes.add('feedChannelSettings', channelId);
    changes.addAll('post');
  }

  /** Marks posts as seen; already seen ones and posts not in the cache are left out. */
  markSeen({ postIds }: { postIds: readonly string[] }, changes: ChangeSet): void {
    const unseen = postIds.filter(
      (id) => this.feed.getPost(id) !== null && this.feed.getState(id).seenAt === null,
    );
    if (unseen.length === 0) return;
    const now = localTimestamp();
    this.db
      .transaction(() => {
        for (const id of unseen) {
          this.feed.putState({ ...this.feed.getState(id), seenAt: now });
          changes.add('postState', id);
          changes.add('post', id);
        }
        this.queue(changes, seenQueue, 'feed.markSeen', { postIds: unseen }, null, undefined);
      })
      .immediate();
  }

  remindUnconfirmed({ postId }: { postId: string }, changes: ChangeSet): void {
    const post = this.managedPost(postId);
    if (!post.requiresConfirmation) throw new CoreError('invalid_args', 'this post asks for no confirmation');
    this.db
      .transaction(() =>
        this.queue(changes, postQueue(postId), 'feed.remindUnconfirmed', { postId }, postId, undefined),
      )
      .immediate();
  }

  /** Takes back the optimistic change of a write the user discards. Call inside its transaction. */
  undo(entry: OutboxEntry, changes: ChangeSet): void {
    if (entry.type === 'feed.markSeen') {
      // Seen stays seen: the user did see the posts, and nothing is lost by keeping the mark.
      return;
    }
    if (entry.type === 'feed.followChannel') {
      const before = FeedChannelSettings.safeParse(entry.undo);
      if (before.success) {
        this.feed.putChannelSettings(before.data);
        changes.add('feedChannelSettings', before.data.id);
      }
      changes.addAll('post');
      return;
    }
    if (entry.entityId === null) return;
    const postId = entry.entityId;
    if (entry.type === 'feed.publishPost') {
      if (!this.isSynced(postId)) {
        // Its files are the user's uploads again, to attach to the post they write instead.
        for (const file of this.feed.getPost(postId)?.attachments ?? []) this.files.recordUpload(file);
        this.feed.deleteLocalPost(postId);
      }
    } else if (
      entry.type === 'feed.confirmPost' ||
      entry.type === 'feed.react' ||
      entry.type === 'feed.answerEvent' ||
      entry.type === 'feed.vote'
    ) {
      const before = PostState.safeParse(entry.undo);
      if (before.success) this.feed.putState(before.data);
      changes.add('postState', postId);
    } else if (entry.type !== 'feed.remindUnconfirmed') {
      const before = Post.safeParse(entry.undo);
      // Only a post that still exists on the server (as far as sync knows) comes back.
      if (before.success && this.isSynced(postId)) this.feed.putPost(before.data);
    }
    changes.add('post', postId);
  }

  /**
   * Applies the user's unconfirmed writes again to posts and states a sync page has just
   * overwritten with the server's older version. Call inside the page's transaction.
   */
  reapply(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) {
      switch (entry.type) {
        case 'feed.editPost': {
          const args = feedMutationArgs['feed.editPost'].parse(entry.args);
          const current = this.feed.getPost(args.postId);
          if (current) this.feed.putPost({ ...toPost(current), title: args.title, body: args.body });
          break;
        }
        case 'feed.deletePost':
          this.feed.deleteLocalPost(feedMutationArgs['feed.deletePost'].parse(entry.args).postId);
          break;
        case 'feed.pinPost': {
          const args = feedMutationArgs['feed.pinPost'].parse(entry.args);
          const current = this.feed.getPost(args.postId);
          if (current) this.feed.putPost({ ...toPost(current), pinned: args.pinned });
          break;
        }
        case 'feed.allowComments': {
          const args = feedMutationArgs['feed.allowComments'].parse(entry.args);
          const current = this.feed.getPost(args.postId);
          if (current) this.feed.putPost({ ...toPost(current), commentsEnabled: args.enabled });
          break;
        }
        case 'feed.confirmPost': {
          const { postId } = feedMutationArgs['feed.confirmPost'].parse(entry.args);
          const state = this.feed.getState(postId);
          if (state.confirmedAt === null) {
            const now = localTimestamp();
            this.feed.putState({ ...state, seenAt: state.seenAt ?? now, confirmedAt: now });
          }
          break;
        }
        case 'feed.react': {
          const { postId, reaction } = feedMutationArgs['feed.react'].parse(entry.args);
          this.feed.putState({ ...this.feed.getState(postId), reaction });
          break;
        }
        case 'feed.answerEvent': {
          const { postId, attendance } = feedMutationArgs['feed.answerEvent'].parse(entry.args);
          this.feed.putState({ ...this.feed.getState(postId), attendance });
          break;
        }
        case 'feed.vote': {
          const { postId, options } = feedMutationArgs['feed.vote'].parse(entry.args);
          this.feed.putState({ ...this.feed.getState(postId), votes: [...options].sort((a, b) => a - b) });
          break;
        }
        case 'feed.closePoll': {
          const { postId } = feedMutationArgs['feed.closePoll'].parse(entry.args);
          const current = this.feed.getPost(postId);
          if (current?.poll && !isPollClosed(current.poll))
            this.feed.putPost({ ...toPost(current), poll: { ...current.poll, closesAt: localTimestamp() } });
          break;
        }
        case 'feed.followChannel': {
          const { channelId, following } = feedMutationArgs['feed.followChannel'].parse(entry.args);
          this.feed.putChannelSettings({ id: channelId, following });
          break;
        }
        case 'feed.markSeen': {
          const now = localTimestamp();
          for (const postId of feedMutationArgs['feed.markSeen'].parse(entry.args).postIds) {
            const state = this.feed.getState(postId);
            if (state.seenAt === null) this.feed.putState({ ...state, seenAt: now });
          }
          break;
        }
        default:
          break;
      }
    }
  }

  private write(
    changes: ChangeSet,
    postId: string,
    change: () => void,
    type: MutationType,
    args: unknown,
    undo?: unknown,
  ): void {
    this.db
      .transaction(() => {
        change();
        this.queue(changes, postQueue(postId), type, args, postId, undo);
      })
      .immediate();
  }

  private queue(
    changes: ChangeSet,
    queue: string,
    type: MutationType,
    args: unknown,
    entityId: string | null,
    undo: unknown,
  ): void {
    const id = uuidv7();
    this.outbox.add({ id, queue, type, args, entityId, undo, createdAt: new Date().toISOString() });
    changes.add('outboxEntry', id);
    if (entityId !== null) changes.add('post', entityId);
  }

  /** The server has the post, as far as sync knows: as a reader's copy or as the author's own. */
  private isSynced(postId: string): boolean {
    return this.index.isSynced('post', postId) || this.index.isSynced('authoredPost', postId);
  }

  private managedPost(id: string): Post {
    const post = this.feed.getPost(id);
    if (!post) throw new CoreError('not_found', 'this post is not in the cache');
    if (!this.permissions.mayManage(post)) throw new CoreError('forbidden', 'you may not change this post');
    return toPost(post);
  }
}
