import type { FeedChannel, Post, PostComment, SessionUser } from '@flurfunk/protocol';
import type { FeedStore } from './feed-store.js';

/**
 * What the user may do in the feed, as far as the cache knows. The server decides
 * (server/src/feed/permissions.ts); the cache keeps its last list of the channels the user may
 * post in, so the UI offers only what the server would accept, offline too. Who may post in a
 * channel may also edit, delete and pin its posts and delete comments on them, and so may each
 * post's author.
 */
export class FeedPermissions {
  constructor(
    private readonly feed: FeedStore,
    private readonly user: SessionUser,
  ) {}

  /** Checks several channels against one read of the postable list. */
  postingRule(): (channel: Pick<FeedChannel, 'id'>) => boolean {
    const postable = new Set(this.feed.listPostableChannels().map((channel) => channel.id));
    return ({ id }) => postable.has(id);
  }

  mayPostIn(channel: Pick<FeedChannel, 'id'>): boolean {
    return this.postingRule()(channel);
  }

  /** Checks several posts against one read of the postable list. */
  managingRule(): (post: Pick<Post, 'authorId' | 'channelId'>) => boolean {
    const mayPostIn = this.postingRule();
    return (post) => post.authorId === this.user.id || mayPostIn({ id: post.channelId });
  }

  mayManage(post: Pick<Post, 'authorId' | 'channelId'>): boolean {
    return this.managingRule()(post);
  }

  /** Its author deletes a comment, and whoever may manage its post (the post's author among them). */
  mayDeleteComment(
    comment: Pick<PostComment, 'authorId'>,
    post: Pick<Post, 'authorId' | 'channelId'> | null,
  ): boolean {
    return comment.authorId === this.user.id || (post !== null && this.mayManage(post));
  }

  /** Only its author edits a comment. */
  mayEditComment(comment: Pick<PostComment, 'authorId'>): boolean {
    return comment.authorId === this.user.id;
  }
}
