import { PollVoters, PostConfirmations, PostRevisions, PostableChannels } from '@flurfunk/protocol';
import type {
  CommentView,
  FeedChannel,
  FeedChannelView,
  FeedPosition,
  PostSearchHit,
  PostView,
} from '@flurfunk/protocol';
import { CoreError } from '../errors.js';
import type { ServerSession } from '../session/server-session.js';
import type { CommentStore } from './comment-store.js';
import type { FeedPermissions } from './feed-permissions.js';
import type { FeedStore, StoredPost } from './feed-store.js';

/** The feed as the renderer reads it: cached posts and channels with what the user may do with them. */
export class FeedReader {
  constructor(
    private readonly feed: FeedStore,
    private readonly comments: CommentStore,
    private readonly permissions: FeedPermissions,
    private readonly server: ServerSession,
    private readonly userId: string,
  ) {}

  /** The channels the user reads, and those they may post in without reading them (an editor's). */
  listChannels(): FeedChannelView[] {
    const mayPostIn = this.permissions.postingRule();
    const unread = this.feed.unreadByChannel(this.userId);
    const unfollowed = this.feed.unfollowedChannels();
    const read = this.feed.listChannels();
    const readIds = new Set(read.map((channel) => channel.id));
    return [...read, ...this.feed.listPostableChannels().filter((channel) => !readIds.has(channel.id))]
      .sort((a, b) => a.name.localeCompare(b.name, 'de') || a.id.localeCompare(b.id))
      .map((channel) => ({
        ...channel,
        following: channel.mandatory || !unfollowed.has(channel.id),
        unread: unread.get(channel.id) ?? 0,
        canPost: mayPostIn(channel),
      }));
  }

  /**
   * Asks the server where the user may post now and keeps the answer; offline, the last answer.
   * Roles and managed units change on the server, so this is read again at each start.
   */
  async refreshPostableChannels(): Promise<FeedChannel[]> {
    try {
      const { channels } = await this.server.get(
        '/api/v1/feed/channels/postable',
        PostableChannels,
        'postable channels',
      );
      this.feed.replacePostableChannels(channels);
      return channels;
    } catch (error) {
      if (error instanceof CoreError && error.code === 'unreachable') return this.feed.listPostableChannels();
      throw error;
    }
  }

  listPosts(args: { channelId?: string; after?: FeedPosition; limit: number }): PostView[] {
    return this.views(this.feed.listPosts(args));
  }

  getPost(id: string): PostView | null {
    const post = this.feed.getPost(id);
    return post ? (this.views([post])[0] ?? null) : null;
  }

  searchPosts(args: { query: string; channelId?: string; limit: number }): PostSearchHit[] {
    return this.feed.searchPosts(args);
  }

  /** A post's comments in thread order, with what the user may do with each. */
  listComments(postId: string): CommentView[] {
    const post = this.feed.getPost(postId);
    return this.comments.ofPost(postId).map((comment) => ({
      ...comment,
      canEdit: this.permissions.mayEditComment(comment),
      canDelete: this.permissions.mayDeleteComment(comment, post),
    }));
  }

  getComment(id: string): CommentView | null {
    const comment = this.comments.get(id);
    if (!comment) return null;
    return {
      ...comment,
      canEdit: this.permissions.mayEditComment(comment),
      canDelete: this.permissions.mayDeleteComment(comment, this.feed.getPost(comment.postId)),
    };
  }

  /** Who confirmed a post and who has not: names are the server's to give, so this needs a connection. */
  confirmationsOf(postId: string): Promise<PostConfirmations> {
    return this.server.get(
      `/api/v1/feed/posts/${encodeURIComponent(postId)}/confirmations`,
      PostConfirmations,
      'post confirmations',
    );
  }

  /** Who chose what in a poll that is not anonymous: names are the server's to give, so this needs a connection. */
  pollVotersOf(postId: string): Promise<PollVoters> {
    return this.server.get(
      `/api/v1/feed/posts/${encodeURIComponent(postId)}/votes`,
      PollVoters,
      'poll voters',
    );
  }

  /** What a post said before its edits: kept on the server only, so this needs a connection. */
  revisionsOf(postId: string): Promise<PostRevisions> {
    return this.server.get(
      `/api/v1/feed/posts/${encodeURIComponent(postId)}/revisions`,
      PostRevisions,
      'post revisions',
    );
  }

  private views(posts: readonly StoredPost[]): PostView[] {
    const mayManage = this.permissions.managingRule();
    return posts.map((post) => ({ ...post, canManage: mayManage(post) }));
  }
}
