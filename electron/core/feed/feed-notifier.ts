import {
  type DataChanged,
  type FeedNotification,
  type PostView,
  type SyncStatus,
  markdownAsText,
  shouldNotifyOfPost,
} from '@flurfunk/protocol';
import { NewArrivals } from '../notifications/new-arrivals.js';
import type { NotifierOptions } from '../notifications/notification-settings.js';
import type { FeedReader } from './feed-reader.js';
import type { FeedStore } from './feed-store.js';

/** Characters of a post a notification previews. */
const previewLength = 140;

export interface FeedNotifierOptions extends NotifierOptions {
  feed: FeedReader;
  store: FeedStore;
}

/**
 * Tells the host which new posts deserve a desktop notification: important ones (asking to be
 * confirmed as read) that are news as `NewArrivals` tells it. A scheduled post is news when it
 * appears, not when it was written.
 */
export class FeedNotifier {
  private readonly arrivals: NewArrivals;

  constructor(private readonly options: FeedNotifierOptions) {
    const { store, userId } = options;
    this.arrivals = new NewArrivals(
      {
        newest: store.newestPostOfOthers(userId),
        since: (slackStart, limit) => store.postsOfOthersSince(slackStart, userId, limit),
      },
      options.lastSyncedAt,
    );
  }

  syncStatusChanged(status: SyncStatus): void {
    this.arrivals.syncStatusChanged(status);
  }

  dataChanged(event: DataChanged): void {
    const posts = event.changes.find((change) => change.entity === 'post');
    // A change naming "all posts" is a resync or a purge, never a post just published.
    if (!posts || posts.ids === null) return;
    const { feed, userId } = this.options;
    const candidates = posts.ids
      .filter((id) => !this.arrivals.wasConsidered(id))
      .map((id) => feed.getPost(id))
      // Not yet published (scheduled) is not yet news: it is considered once it appears.
      .filter((post): post is PostView => post !== null && post.published && post.authorId !== userId);
    const news = this.arrivals.consider(
      candidates.map((post) => ({ id: post.id, at: post.publishAt, post })),
    );
    if (news.length === 0) return;
    const settings = this.options.settings.get();
    const now = (this.options.now ?? (() => new Date()))();
    const channels = new Map(feed.listChannels().map((channel) => [channel.id, channel]));
    for (const { post } of news) {
      const channel = channels.get(post.channelId);
      const seen = {
        ownPost: post.authorId === userId,
        important: post.requiresConfirmation,
        following: channel?.following ?? false,
        confirmed: post.confirmedAt !== null,
      };
      if (!channel || !shouldNotifyOfPost(seen, settings, now)) continue;
      const notification: FeedNotification = {
        postId: post.id,
        channelName: channel.name,
        authorName: this.options.directory.getPerson(post.authorId)?.displayName ?? '…',
        title: post.title,
        preview: settings.showPreview ? preview(post.body) : null,
      };
      this.options.emit('feedNotification', notification);
    }
  }
}

/** The words without Markdown, on one line and shortened. */
function preview(body: string): string {
  const text = markdownAsText(body).replace(/\s+/g, ' ').trim();
  return text.length > previewLength ? `${text.slice(0, previewLength - 1)}…` : text;
}
