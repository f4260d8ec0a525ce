import { z } from 'zod';
import { ClientId, Delivery, Timestamp } from './chat.js';
import { Id } from './directory.js';
import { FileMeta, maxAttachments } from './files.js';
import { ScopeKey } from './scope.js';

export const maxPostTitleLength = 200;
/** Markdown source; long enough for a works agreement, short enough to render in one frame. */
export const maxPostBodyLength = 20_000;
export const maxSeenPerMutation = 200;
/** A comment is a few paragraphs at most: longer answers belong in a post or a chat. */
export const maxCommentLength = 4000;
/** The most comments the client lists for one post: the first threads of a very busy one. */
export const maxCommentsPerPost = 2000;

/** The reactions a reader can give a post: a small, friendly set, one per person and post. */
export const Reaction = z.enum(['like', 'love', 'celebrate', 'insightful', 'sad']);
export type Reaction = z.infer<typeof Reaction>;

/**
 * A newsfeed channel. Its `audience` scope (the company, a location, an org unit with or without
 * its sub-units, a role) decides who has it and its posts: the server sends a channel only to
 * the people in its audience. A `mandatory` channel cannot be unfollowed.
 */
export const FeedChannel = z
  .object({
    id: Id,
    name: z.string().min(1).max(200),
    description: z.string().max(1000),
    audience: ScopeKey,
    mandatory: z.boolean(),
    createdAt: Timestamp,
  })
  .strict();
export type FeedChannel = z.infer<typeof FeedChannel>;

/** An appointment a post announces: readers answer whether they come and can add it to their calendar. */
export const PostEvent = z
  .object({
    startsAt: Timestamp,
    /** Null: open end (a calendar entry then lasts an hour). */
    endsAt: Timestamp.nullable(),
    place: z.string().trim().max(300),
  })
  .strict()
  .refine((event) => event.endsAt === null || Date.parse(event.endsAt) > Date.parse(event.startsAt), {
    message: 'an event ends after it starts',
    path: ['endsAt'],
  });
export type PostEvent = z.infer<typeof PostEvent>;

/** A reader's answer to an event. */
export const Attendance = z.enum(['yes', 'maybe', 'no']);
export type Attendance = z.infer<typeof Attendance>;

export const maxPollOptions = 10;

/**
 * A poll a post asks. Votes name options by their index, so the options never change once the
 * post is published. An anonymous poll shows everyone the counts only; otherwise those who manage
 * the post also see who chose what (`PollVoters`).
 */
export const PostPoll = z
  .object({
    question: z.string().trim().min(1).max(300),
    options: z
      .array(z.string().trim().min(1).max(200))
      .min(2)
      .max(maxPollOptions)
      .refine((options) => new Set(options.map((o) => o.toLocaleLowerCase('de'))).size === options.length, {
        message: 'each option of a poll is different',
      }),
    /** Readers may choose several options. */
    multiple: z.boolean(),
    anonymous: z.boolean(),
    /** After this, votes are refused and the results are final; null: open until the post goes. */
    closesAt: Timestamp.nullable(),
  })
  .strict();
export type PostPoll = z.infer<typeof PostPoll>;

/** A poll past its closing time takes no more votes, and its results are final. */
export function isPollClosed(poll: Pick<PostPoll, 'closesAt'>, now = Date.now()): boolean {
  return poll.closesAt !== null && Date.parse(poll.closesAt) <= now;
}

/** The options a reader chose, by index: one for a single-choice poll, none to take the vote back. */
export const PollChoice = z
  .array(
    z
      .number()
      .int()
      .min(0)
      .max(maxPollOptions - 1),
  )
  .max(maxPollOptions)
  .refine((choice) => new Set(choice).size === choice.length, { message: 'an option is chosen once' });

export const PostTitle = z.string().trim().min(1).max(maxPostTitleLength);
export const PostBody = z.string().trim().min(1).max(maxPostBodyLength);

/**
 * A post. A published post goes to its channel's audience as a `post`. Its author also gets it
 * as an `authoredPost` in their own scope (`user:<author>`), scheduled or not: an editor writes
 * to channels they do not read, and must still see, edit and follow up their own posts.
 */
export const Post = z
  .object({
    id: Id,
    channelId: Id,
    authorId: Id,
    title: z.string().max(maxPostTitleLength),
    /** Markdown subset; rendered to sanitized HTML only in the renderer. */
    body: z.string().max(maxPostBodyLength),
    /** Readers are asked to press "I have read this"; the author sees who did. */
    requiresConfirmation: z.boolean(),
    pinned: z.boolean(),
    commentsEnabled: z.boolean(),
    /** The appointment the post announces, if it is one. */
    event: PostEvent.nullable(),
    /** The poll the post asks, if it does. */
    poll: PostPoll.nullable(),
    /** Files and images that come with it, in the author's order. */
    attachments: z.array(FileMeta).max(maxAttachments),
    published: z.boolean(),
    /** When it appeared (or will appear) in the feed. */
    publishAt: Timestamp,
    createdAt: Timestamp,
    editedAt: Timestamp.nullable(),
  })
  .strict();
export type Post = z.infer<typeof Post>;

export const CommentBody = z.string().trim().min(1).max(maxCommentLength);

/**
 * A comment on a published post, or a reply to one (`parentId`): replies go one level deep.
 * Comments go to the post's audience as `postComment`, and to the post's author as
 * `authoredPostComment` (scope `user:<post author>`), who may write to channels they do not read.
 */
export const PostComment = z
  .object({
    id: Id,
    postId: Id,
    /** The comment this one answers; null for a comment on the post itself. */
    parentId: Id.nullable(),
    authorId: Id,
    /** Markdown subset, like a post's body. */
    body: z.string().max(maxCommentLength),
    createdAt: Timestamp,
    editedAt: Timestamp.nullable(),
  })
  .strict();
export type PostComment = z.infer<typeof PostComment>;

/** The user's own state of one post (scope `user:<person>`; the id is the post's). */
export const PostState = z
  .object({
    id: Id,
    seenAt: Timestamp.nullable(),
    confirmedAt: Timestamp.nullable(),
    /** The author asked again for a confirmation the user had not given yet. */
    remindedAt: Timestamp.nullable(),
    reaction: Reaction.nullable(),
    /** The user's answer to the post's event. */
    attendance: Attendance.nullable(),
    /** The options of the post's poll the user voted for, by index, ascending. */
    votes: PollChoice,
  })
  .strict();
export type PostState = z.infer<typeof PostState>;

/** What everyone who reads a post sees of its readers (the audience's scope; the id is the post's). */
export const PostStats = z
  .object({
    id: Id,
    /** How many gave each reaction; a reaction nobody gave is missing. */
    reactions: z.partialRecord(Reaction, z.number().int().positive()),
    /** How many answered the post's event with each answer; an answer nobody gave is missing. */
    attendance: z.partialRecord(Attendance, z.number().int().positive()),
    /** How many voted for each option of the post's poll, by index; empty without a poll. */
    votes: z.array(z.number().int().nonnegative()).max(maxPollOptions),
    /** How many people voted in the poll. */
    voters: z.number().int().nonnegative(),
  })
  .strict();
export type PostStats = z.infer<typeof PostStats>;

/** The user's own choice for a channel (scope `user:<person>`; the id is the channel's). */
export const FeedChannelSettings = z.object({ id: Id, following: z.boolean() }).strict();
export type FeedChannelSettings = z.infer<typeof FeedChannelSettings>;

/**
 * How far a post reached, for its author only (scope `user:<author>`; the id is the post's).
 * Anonymous counts: names are given only for read confirmations (see `PostConfirmations`).
 */
export const PostReach = z
  .object({
    id: Id,
    /** People in the channel's audience when the counts were taken. */
    audience: z.number().int().nonnegative(),
    seen: z.number().int().nonnegative(),
    confirmed: z.number().int().nonnegative(),
    reacted: z.number().int().nonnegative(),
    /** People other than the author who have comments on it. */
    commented: z.number().int().nonnegative(),
    /**
     * The votes per option of its poll and how many voted, as in `PostStats`: the author may not
     * read the channel, and so not get its stats.
     */
    votes: z.array(z.number().int().nonnegative()).max(maxPollOptions),
    voters: z.number().int().nonnegative(),
  })
  .strict();
export type PostReach = z.infer<typeof PostReach>;

const PersonRef = z.object({ personId: Id, displayName: z.string().max(200) }).strict();

/** `GET /api/v1/feed/posts/:id/confirmations`: for the author and editors of a post asking for confirmation. */
export const PostConfirmations = z
  .object({
    postId: Id,
    confirmed: z.array(PersonRef.extend({ confirmedAt: Timestamp }).strict()),
    /** Everyone in the audience who has not confirmed yet. */
    pending: z.array(PersonRef),
    remindedAt: Timestamp.nullable(),
  })
  .strict();
export type PostConfirmations = z.infer<typeof PostConfirmations>;

/** `GET /api/v1/feed/posts/:id/votes`: who chose each option of a poll that is not anonymous; for those who manage the post. */
export const PollVoters = z
  .object({
    postId: Id,
    /** By option index: the people who chose it, by name. */
    options: z.array(z.array(PersonRef)).max(maxPollOptions),
  })
  .strict();
export type PollVoters = z.infer<typeof PollVoters>;

/** The arguments of a new post, the same from the composer to the server. */
export const PostDraft = z
  .object({
    channelId: Id,
    title: PostTitle,
    body: PostBody,
    requiresConfirmation: z.boolean().default(false),
    commentsEnabled: z.boolean().default(true),
    pinned: z.boolean().default(false),
    /** Publish later, at this time (server-side); null publishes now. */
    publishAt: Timestamp.nullable().default(null),
    event: PostEvent.nullable().default(null),
    poll: PostPoll.nullable().default(null),
    /** Files the author uploaded (`PUT /api/v1/files/:id`) and no post took yet, in order. */
    attachments: z
      .array(Id)
      .max(maxAttachments)
      .refine((ids) => new Set(ids).size === ids.length, { message: 'each file is attached once' })
      .default([]),
  })
  .strict();
export type PostDraft = z.infer<typeof PostDraft>;

export const feedMutationArgs = {
  'feed.publishPost': PostDraft.extend({ postId: ClientId }).strict(),
  'feed.editPost': z.object({ postId: Id, title: PostTitle, body: PostBody }).strict(),
  'feed.deletePost': z.object({ postId: Id }).strict(),
  'feed.pinPost': z.object({ postId: Id, pinned: z.boolean() }).strict(),
  'feed.confirmPost': z.object({ postId: Id }).strict(),
  'feed.markSeen': z.object({ postIds: z.array(Id).min(1).max(maxSeenPerMutation) }).strict(),
  /** Gives, changes or (null) takes back the user's reaction to a post. */
  'feed.react': z.object({ postId: Id, reaction: Reaction.nullable() }).strict(),
  /** Answers (or, null, takes back the answer to) the event a post announces. */
  'feed.answerEvent': z.object({ postId: Id, attendance: Attendance.nullable() }).strict(),
  /** Follows or unfollows a channel; a mandatory channel cannot be unfollowed. */
  'feed.followChannel': z.object({ channelId: Id, following: z.boolean() }).strict(),
  /** Reminds everyone in the audience who has not confirmed yet. */
  'feed.remindUnconfirmed': z.object({ postId: Id }).strict(),
  /** Comments on a post, or (`parentId`) answers a comment on it. */
  'feed.addComment': z
    .object({ commentId: ClientId, postId: Id, parentId: Id.nullable(), body: CommentBody })
    .strict(),
  /** Only the comment's author edits it. */
  'feed.editComment': z.object({ commentId: Id, body: CommentBody }).strict(),
  /** By the comment's author, or whoever may manage the post; a comment's replies go with it. */
  'feed.deleteComment': z.object({ commentId: Id }).strict(),
  /** Votes in the poll a post asks, replacing an earlier vote; no options takes the vote back. */
  'feed.vote': z.object({ postId: Id, options: PollChoice }).strict(),
  /** Closes a post's poll now: the results are final. */
  'feed.closePoll': z.object({ postId: Id }).strict(),
  /** Opens or closes a post for new comments; the comments it has stay. */
  'feed.allowComments': z.object({ postId: Id, enabled: z.boolean() }).strict(),
} as const;

/** A post as the feed shows it: the post, the user's state of it, and where the user's own writes stand. */
export const PostView = Post.extend({
  seenAt: Timestamp.nullable(),
  confirmedAt: Timestamp.nullable(),
  remindedAt: Timestamp.nullable(),
  reaction: Reaction.nullable(),
  reactions: PostStats.shape.reactions,
  attendance: Attendance.nullable(),
  attendances: PostStats.shape.attendance,
  /** The user's own vote in the post's poll. */
  votes: PollChoice,
  /** Everyone's votes per option, and how many voted. */
  pollVotes: PostStats.shape.votes,
  pollVoters: PostStats.shape.voters,
  /** The author's reach figures; null for everyone else. */
  reach: PostReach.omit({ id: true, votes: true, voters: true }).nullable(),
  /** The user may edit, delete and pin it. */
  canManage: z.boolean(),
  /** How many comments and replies the cache holds for it. */
  comments: z.number().int().nonnegative(),
  delivery: Delivery,
  outboxId: z.string().nullable(),
}).strict();
export type PostView = z.infer<typeof PostView>;

/** A comment as the post shows it, with what the user may do with it and where their write stands. */
export const CommentView = PostComment.extend({
  canEdit: z.boolean(),
  canDelete: z.boolean(),
  delivery: Delivery,
  outboxId: z.string().nullable(),
}).strict();
export type CommentView = z.infer<typeof CommentView>;

export const FeedChannelView = FeedChannel.extend({
  /** Its posts appear in the feed of all channels and count as unread; a mandatory channel is always followed. */
  following: z.boolean(),
  unread: z.number().int().nonnegative(),
  /** The user may post here. */
  canPost: z.boolean(),
}).strict();
export type FeedChannelView = z.infer<typeof FeedChannelView>;

/** Where a feed page continues: after this post in the feed's order (pinned first, newest first). */
export const FeedPosition = z.object({ pinned: z.boolean(), publishAt: z.string().max(40), id: Id }).strict();
export type FeedPosition = z.infer<typeof FeedPosition>;

/**
 * Text around a search match. The matched words are wrapped in `highlightStart`/`highlightEnd`
 * (private-use characters), so the renderer can mark them without ever parsing HTML.
 */
export const highlightStart = '\uE000';
export const highlightEnd = '\uE001';

/** A post that matches, in its title and body or (`commentId`) in one of its comments. */
export const PostSearchHit = z
  .object({
    postId: Id,
    /** The matching comment, whose text the snippet shows; null when the post itself matches. */
    commentId: Id.nullable(),
    channelId: Id,
    title: z.string(),
    snippet: z.string(),
    publishAt: Timestamp,
  })
  .strict();
export type PostSearchHit = z.infer<typeof PostSearchHit>;

/** What the composer holds while the user writes: kept in the cache so it survives a restart. */
export const PostComposerDraft = z
  .object({
    channelId: Id.nullable(),
    title: z.string().max(maxPostTitleLength),
    body: z.string().max(maxPostBodyLength),
    requiresConfirmation: z.boolean(),
    commentsEnabled: z.boolean(),
    pinned: z.boolean(),
    publishAt: Timestamp.nullable(),
    /** As typed: checked only when the post is published. */
    event: z
      .object({ startsAt: z.string().max(40), endsAt: z.string().max(40), place: z.string().max(300) })
      .strict()
      .nullable(),
    /** As typed, like the event. */
    poll: z
      .object({
        question: z.string().max(300),
        options: z.array(z.string().max(200)).max(maxPollOptions),
        multiple: z.boolean(),
        anonymous: z.boolean(),
        closesAt: z.string().max(40),
      })
      .strict()
      .nullable()
      .default(null),
    /** Files uploaded for the post so far. */
    attachments: z.array(FileMeta).max(maxAttachments).default([]),
  })
  .strict();
export type PostComposerDraft = z.infer<typeof PostComposerDraft>;

/** One edit of a post: the text it replaced, who made the edit and when. */
export const PostRevision = z
  .object({
    /** 1 for the first edit, counting up. */
    revision: z.number().int().positive(),
    title: z.string().max(maxPostTitleLength),
    body: z.string().max(maxPostBodyLength),
    editedBy: PersonRef,
    editedAt: Timestamp,
  })
  .strict();
export type PostRevision = z.infer<typeof PostRevision>;

/** `GET /api/v1/feed/posts/:id/revisions`: a post's edit history, newest edit first; for those who may manage it. */
export const PostRevisions = z.object({ postId: Id, revisions: z.array(PostRevision) }).strict();
export type PostRevisions = z.infer<typeof PostRevisions>;

/**
 * `GET /api/v1/feed/channels/postable`: the channels the caller may post in, by name. An editor
 * may post in channels they do not read (and so never receive by sync): the composer lists these.
 */
export const PostableChannels = z.object({ channels: z.array(FeedChannel) }).strict();
export type PostableChannels = z.infer<typeof PostableChannels>;
