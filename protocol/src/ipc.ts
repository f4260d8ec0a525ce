/**
 * The one contract between the renderer and the core. The renderer calls methods through
 * `window.flurfunk` (Electron preload) or the browser host's WebSocket bridge; both carry exactly
 * these methods and events. Every boundary parses args and results with these schemas.
 */
import { z } from 'zod';
import { SessionUser } from './auth.js';
import { DeviceList } from './account.js';
import { BrandAssetSlot, Branding, BrandingSaved, BrandingSettings } from './branding.js';
import { CacheUsage, DeviceSettings } from './settings.js';
import { Canteen, CanteenWeek, CanteenWeekInput, DietProfile } from './canteen.js';
import { Id, IsoDate, Location, Person, directoryMutationArgs } from './directory.js';
import { SyncEntity } from './sync.js';
import {
  ChatDraft,
  ConversationSummary,
  MessageDraft,
  MessageSearchHit,
  MessageView,
  ReactionEmoji,
  chatMutationArgs,
} from './chat.js';
import { OutboxEntryView } from './outbox.js';
import {
  CommentView,
  FeedChannel,
  FeedChannelView,
  FeedPosition,
  PollVoters,
  PostComposerDraft,
  PostConfirmations,
  PostDraft,
  PostRevisions,
  PostSearchHit,
  PostView,
  feedMutationArgs,
} from './feed.js';
import { maxWatchedPeople } from './live.js';
import { ChatNotification, FeedNotification, NotificationSettings } from './notifications.js';
import type { EventName, MethodName } from './ipcNames.js';

export const IpcErrorCode = z.enum([
  'invalid_args',
  'unknown_method',
  'invalid_url',
  'invalid_credentials',
  'rate_limited',
  'unreachable',
  'server_error',
  'not_signed_in',
  'forbidden',
  /** The conversation, message or outbox entry asked for is not (or no longer) in the cache. */
  'not_found',
  'session_expired',
  /** The server signed this device out: its cache and secrets are wiped. */
  'device_revoked',
  /** This user's cache was written by a newer Flurfunk; it is left untouched until Flurfunk is updated. */
  'cache_newer_version',
  /** The file is larger than the server takes. */
  'file_too_large',
  /** The server does not take files of this type. */
  'file_type_refused',
  /** Writes wait in the outbox: clearing the cache now would lose them. */
  'unsent_changes',
  /** This host cannot do it (e.g. save a PDF outside the desktop app): the renderer offers another way. */
  'unsupported',
  'internal',
]);
export type IpcErrorCode = z.infer<typeof IpcErrorCode>;

export const IpcError = z
  .object({
    code: IpcErrorCode,
    /** English developer message; the renderer shows a translated text chosen by `code`. */
    message: z.string(),
    retryAfterSeconds: z.number().int().nonnegative().optional(),
  })
  .strict();
export type IpcError = z.infer<typeof IpcError>;

export const SessionState = z.discriminatedUnion('status', [
  z.object({ status: z.literal('signedOut'), serverUrl: z.string().nullable() }).strict(),
  z.object({ status: z.literal('signedIn'), serverUrl: z.string(), user: SessionUser }).strict(),
]);
export type SessionState = z.infer<typeof SessionState>;

export const SyncStatus = z
  .object({
    connection: z.enum(['unknown', 'online', 'offline']),
    state: z.enum(['idle', 'syncing', 'error']),
    lastSyncedAt: z.iso.datetime().nullable(),
    error: IpcErrorCode.nullable(),
  })
  .strict();
export type SyncStatus = z.infer<typeof SyncStatus>;

/** A person as the directory list shows them, with names of their unit and location resolved. */
export const DirectoryEntry = Person.omit({ photo: true }).extend({
  /** Served by the media route like any file the device may show. */
  photoFileId: Id.nullable(),
  orgUnitName: z.string().nullable(),
  locationName: z.string().nullable(),
});
export type DirectoryEntry = z.infer<typeof DirectoryEntry>;

/** A person named in another's profile or in the org chart. */
export const PersonSummary = z
  .object({ id: Id, displayName: z.string(), title: z.string(), photoFileId: Id.nullable() })
  .strict();
export type PersonSummary = z.infer<typeof PersonSummary>;

export const maxDirectReports = 500;

/** Everything the profile shows about a person, as far as this user may see it. */
export const PersonProfile = DirectoryEntry.extend({
  /** The units from the top of the organisation down to the person's own. */
  unitPath: z.array(z.object({ id: Id, name: z.string() }).strict()).max(100),
  manager: PersonSummary.nullable(),
  directReports: z.array(PersonSummary).max(maxDirectReports),
  /** Only when the server let this user see it (the person, their manager, HR). */
  privatePhone: z.string().nullable(),
});
export type PersonProfile = z.infer<typeof PersonProfile>;

export const DirectorySort = z.enum(['relevance', 'name', 'department', 'location']);

/** A search lists at most this many people; when more match, the list says so (`more`). */
export const maxDirectorySearchResults = 1000;
export type DirectorySort = z.infer<typeof DirectorySort>;

/** A unit of the org chart: its manager (if any) resolved, and how many people it has directly. */
export const OrgChartUnit = z
  .object({
    id: Id,
    name: z.string(),
    parentId: Id.nullable(),
    manager: PersonSummary.nullable(),
    /** Active people whose unit this is (not counting sub-units). */
    memberCount: z.number().int().nonnegative(),
  })
  .strict();
export type OrgChartUnit = z.infer<typeof OrgChartUnit>;

/** Someone's birthday or work anniversary today, shown because they opted in. */
export const Celebration = z
  .object({
    person: PersonSummary,
    kind: z.enum(['birthday', 'workAnniversary']),
    /** Years with the company, for an anniversary. */
    years: z.number().int().positive().nullable(),
  })
  .strict();
export type Celebration = z.infer<typeof Celebration>;

export const PhoneBookGrouping = z.enum(['location', 'orgUnit']);
export type PhoneBookGrouping = z.infer<typeof PhoneBookGrouping>;

export const PhoneBookEntry = Person.pick({
  id: true,
  displayName: true,
  title: true,
  phone: true,
  mobile: true,
  email: true,
  room: true,
}).extend({ orgUnitName: z.string().nullable(), locationName: z.string().nullable() });
export type PhoneBookEntry = z.infer<typeof PhoneBookEntry>;

/** The phone list: everyone active, by location or by department, each group in directory order. */
export const PhoneBook = z
  .object({
    groups: z.array(
      z
        .object({
          /** The location or unit; null for the people without one. */
          id: Id.nullable(),
          name: z.string(),
          entries: z.array(PhoneBookEntry),
        })
        .strict(),
    ),
  })
  .strict();
export type PhoneBook = z.infer<typeof PhoneBook>;

export const AppInfo = z
  .object({
    version: z.string(),
    host: z.enum(['electron', 'browser']),
    /** Pre-filled on the login screen (the demo server's URL in demo mode, or policy). */
    defaultServerUrl: z.string().nullable(),
  })
  .strict();
export type AppInfo = z.infer<typeof AppInfo>;

export const Notice = z.discriminatedUnion('code', [
  z
    .object({ code: z.literal('cacheRebuilt'), reason: z.enum(['keyMissing', 'wrongKey', 'corrupt']) })
    .strict(),
  z.object({ code: z.literal('cacheFromNewerVersion') }).strict(),
  z.object({ code: z.literal('sessionExpired') }).strict(),
  /** The server signed this device out (an admin, the user elsewhere, or a stolen token); its data was wiped. */
  z.object({ code: z.literal('deviceRevoked') }).strict(),
]);
export type Notice = z.infer<typeof Notice>;

/**
 * A notice the user has not dismissed yet. Notices are state kept by the core (not fire-and-forget
 * events), so one raised before any window exists still reaches the user.
 */
export const ActiveNotice = z
  .object({ id: z.string().min(1).max(100), raisedAt: z.iso.datetime(), notice: Notice })
  .strict();
export type ActiveNotice = z.infer<typeof ActiveNotice>;

/**
 * What a sync page, a write or an acknowledgement changed in the cache, so each store re-reads
 * only that. `ids: null` means "many or unknown": re-read everything of that entity.
 */
export const ChangedEntity = z.enum([...SyncEntity.options, 'outboxEntry']);
export const DataChanged = z
  .object({
    changes: z
      .array(
        z
          .object({ entity: ChangedEntity, ids: z.array(z.string().min(1).max(100)).max(500).nullable() })
          .strict(),
      )
      .max(ChangedEntity.options.length),
  })
  .strict();
export type DataChanged = z.infer<typeof DataChanged>;

const NoArgs = z.object({}).strict();

export const CanteenListing = Canteen.extend({ locationName: z.string().nullable() }).strict();
export type CanteenListing = z.infer<typeof CanteenListing>;

/** Where a message stands in its conversation's order (time, then id). */
const MessagePosition = z.object({ createdAt: z.string().max(40), id: Id }).strict();

export const contract = {
  getAppInfo: { args: NoArgs, result: AppInfo },
  getSession: { args: NoArgs, result: SessionState },
  login: {
    args: z
      .object({
        serverUrl: z.string().trim().min(1).max(2048),
        username: z.string().trim().min(1).max(100),
        password: z.string().min(1).max(1024),
      })
      .strict(),
    result: SessionState,
  },
  logout: { args: NoArgs, result: SessionState },
  listPeople: {
    args: z
      .object({
        query: z.string().max(200).default(''),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(200).default(50),
        /** Only people of this unit (and, by default, of the units below it). */
        orgUnitId: Id.nullable().default(null),
        includeSubUnits: z.boolean().default(true),
        locationId: Id.nullable().default(null),
        /** `relevance` ranks matches of a query; without one it is `name`. */
        sort: DirectorySort.default('relevance'),
      })
      .strict(),
    result: z
      .object({
        people: z.array(DirectoryEntry),
        total: z.number().int().nonnegative(),
        /** A search matched more than `total` (= maxDirectorySearchResults) people. */
        more: z.boolean().default(false),
      })
      .strict(),
  },
  getPerson: { args: z.object({ id: Id }).strict(), result: PersonProfile.nullable() },
  /** Every org unit, for the org chart and the unit filter (a company has at most a few thousand). */
  getOrgChart: { args: NoArgs, result: z.object({ units: z.array(OrgChartUnit) }).strict() },
  listLocations: { args: NoArgs, result: z.array(Location) },
  /** Who celebrates on `date` (the user's local day). */
  listCelebrations: { args: z.object({ date: IsoDate }).strict(), result: z.array(Celebration) },
  listPhoneBook: {
    args: z
      .object({
        groupBy: PhoneBookGrouping,
        orgUnitId: Id.nullable().default(null),
        locationId: Id.nullable().default(null),
      })
      .strict(),
    result: PhoneBook,
  },
  /**
   * Saves what the window shows (its print layout) as a PDF where the user picks, in the desktop
   * app; answered by the main process, which owns the window and the save dialog. Elsewhere
   * `unsupported`: the renderer prints instead.
   */
  savePageAsPdf: {
    args: z
      .object({
        fileName: z
          .string()
          .trim()
          .min(1)
          .max(200)
          .regex(/^[^/\\:*?"<>|]+\.pdf$/, 'a file name ending in .pdf'),
      })
      .strict(),
    result: z.object({ saved: z.boolean() }).strict(),
  },
  /** The user's own profile fields; queued like every write. */
  updateProfile: { args: directoryMutationArgs['directory.updateProfile'], result: PersonProfile },
  setCelebrations: { args: directoryMutationArgs['directory.setCelebrations'], result: PersonProfile },
  /** The company's branding as last cached on this device (the built-in one before any). */
  getBranding: { args: NoArgs, result: Branding },
  /** The IT admin's name, colours and fonts for the whole company; needs the server. */
  saveBrandingSettings: { args: BrandingSettings, result: BrandingSaved },
  /** The IT admin removes the logo, the login background or a font face. */
  removeBrandAsset: { args: z.object({ slot: BrandAssetSlot }).strict(), result: BrandingSaved },
  /** The language and colour scheme chosen on this device (for every user of it). */
  getDeviceSettings: { args: NoArgs, result: DeviceSettings },
  saveDeviceSettings: { args: DeviceSettings, result: DeviceSettings },
  /**
   * Whether the desktop app starts when the person logs in to the computer. The Electron main
   * process answers these itself; elsewhere they are `unsupported`.
   */
  getStartAtLogin: { args: NoArgs, result: z.object({ enabled: z.boolean() }).strict() },
  setStartAtLogin: {
    args: z.object({ enabled: z.boolean() }).strict(),
    result: z.object({ enabled: z.boolean() }).strict(),
  },
  /** The devices signed in to the account, this one marked; needs the server. */
  listDevices: { args: NoArgs, result: DeviceList },
  /** Signs one of the account's other devices out (its data is wiped there); the devices left. */
  signOutDevice: { args: z.object({ deviceId: Id }).strict(), result: DeviceList },
  signOutOtherDevices: { args: NoArgs, result: DeviceList },
  /** How much the user's cache on this device holds. */
  getCacheUsage: { args: NoArgs, result: CacheUsage },
  /**
   * Deletes the user's cache on this device and syncs everything again, staying signed in.
   * Refused with `unsent_changes` while writes wait in the outbox: they would be lost.
   */
  clearCache: { args: NoArgs, result: CacheUsage },
  /** Every canteen, by name, with its location's name. */
  listCanteens: { args: NoArgs, result: z.array(CanteenListing) },
  /** A canteen's plan for the week beginning `weekStart` (a Monday); null when it has none. */
  getCanteenWeek: {
    args: z.object({ canteenId: Id, weekStart: IsoDate }).strict(),
    result: CanteenWeek.nullable(),
  },
  /** A canteen manager's plan for a week, queued like every write; the week as it now shows. */
  saveCanteenWeek: { args: CanteenWeekInput, result: CanteenWeek },
  /** The user's allergen and diet profile: kept in this device's cache, never sent. */
  getDietProfile: { args: NoArgs, result: DietProfile },
  saveDietProfile: { args: DietProfile, result: DietProfile },
  getSyncStatus: { args: NoArgs, result: SyncStatus },
  syncNow: { args: NoArgs, result: SyncStatus },
  getNotices: { args: NoArgs, result: z.array(ActiveNotice) },
  /** Pinned first, then by their newest message. */
  listConversations: { args: NoArgs, result: z.array(ConversationSummary) },
  getConversation: {
    args: z.object({ conversationId: Id }).strict(),
    result: ConversationSummary.nullable(),
  },
  /**
   * Cached messages of a conversation, oldest first: the newest `limit`, or those before or after
   * a message, or (`around`) up to `limit` centred on one (jump to message).
   */
  listMessages: {
    args: z
      .object({
        conversationId: Id,
        before: MessagePosition.optional(),
        after: MessagePosition.optional(),
        around: Id.optional(),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    result: z.array(MessageView),
  },
  /** Fetches older history than the cache holds from the server and keeps it; needs a connection. */
  loadOlderMessages: {
    args: z.object({ conversationId: Id }).strict(),
    result: z.object({ added: z.number().int().nonnegative(), hasMore: z.boolean() }).strict(),
  },
  sendMessage: { args: MessageDraft, result: MessageView },
  editMessage: { args: chatMutationArgs['chat.editMessage'], result: MessageView },
  /** Deletes a message for everyone: a tombstone stays in its place. */
  deleteMessage: { args: chatMutationArgs['chat.deleteMessage'], result: MessageView },
  forwardMessage: { args: z.object({ sourceId: Id, conversationId: Id }).strict(), result: MessageView },
  reactToMessage: {
    args: z.object({ messageId: Id, emoji: ReactionEmoji, on: z.boolean() }).strict(),
    result: MessageView,
  },
  /** The user has read the conversation up to this message. */
  markConversationRead: {
    args: z.object({ conversationId: Id, messageId: Id }).strict(),
    result: z.null(),
  },
  updateConversationSettings: {
    args: z
      .object({ conversationId: Id, muted: z.boolean().optional(), pinned: z.boolean().optional() })
      .strict(),
    result: ConversationSummary,
  },
  /** The direct conversation with a person, opened on the server if there is none yet; needs a connection. */
  openDirectConversation: { args: z.object({ personId: Id }).strict(), result: ConversationSummary },
  /** These change who is in a conversation, so they wait for the server; they need a connection. */
  createGroup: {
    args: chatMutationArgs['chat.createGroup'].omit({ conversationId: true }).strict(),
    result: ConversationSummary,
  },
  updateGroup: { args: chatMutationArgs['chat.updateGroup'], result: ConversationSummary },
  addGroupMembers: { args: chatMutationArgs['chat.addMembers'], result: ConversationSummary },
  /** Removing the user themself is leaving: the conversation goes from this device. */
  removeGroupMember: { args: chatMutationArgs['chat.removeMember'], result: ConversationSummary.nullable() },
  setGroupAdmin: { args: chatMutationArgs['chat.setAdmin'], result: ConversationSummary },
  /** Full-text search over the cached messages of all conversations, offline; best matches first. */
  searchMessages: {
    args: z
      .object({
        query: z.string().max(200),
        conversationId: Id.optional(),
        authorId: Id.optional(),
        hasFiles: z.boolean().optional(),
        /** Sent at or after / before these times. */
        since: z.iso.datetime({ offset: true }).optional(),
        until: z.iso.datetime({ offset: true }).optional(),
        limit: z.number().int().min(1).max(100).default(50),
      })
      .strict(),
    result: z.array(MessageSearchHit),
  },
  getNotificationSettings: { args: NoArgs, result: NotificationSettings },
  saveNotificationSettings: { args: NotificationSettings, result: NotificationSettings },
  /** Keeps what the user typed in a conversation's composer (null: sent or cleared). */
  saveChatDraft: {
    args: z.object({ conversationId: Id, draft: ChatDraft.nullable() }).strict(),
    result: z.null(),
  },
  /** The user is typing in a conversation: its members see it for a few seconds. Repeat while typing. */
  sendTyping: { args: z.object({ conversationId: Id }).strict(), result: z.null() },
  /**
   * The people on screen now (replacing the previous list): returns who of them is online; changes
   * come as `presenceChanged`. Members of the user's direct and group chats are watched anyway.
   */
  watchPresence: {
    args: z.object({ personIds: z.array(Id).max(maxWatchedPeople) }).strict(),
    result: z.object({ online: z.array(Id) }).strict(),
  },
  listOutbox: { args: NoArgs, result: z.array(OutboxEntryView) },
  retryOutboxEntry: {
    args: z.object({ id: z.string().min(1).max(100) }).strict(),
    result: z.array(OutboxEntryView),
  },
  discardOutboxEntry: {
    args: z.object({ id: z.string().min(1).max(100) }).strict(),
    result: z.array(OutboxEntryView),
  },
  dismissNotice: {
    args: z.object({ id: z.string().min(1).max(100) }).strict(),
    result: z.array(ActiveNotice),
  },
  listFeedChannels: { args: NoArgs, result: z.array(FeedChannelView) },
  /** The channels the user may post in, as the server says now (the last known list when offline). */
  listPostableChannels: { args: NoArgs, result: z.array(FeedChannel) },
  /** One page of the feed (all channels, or one), pinned first, then newest first. */
  listPosts: {
    args: z
      .object({
        channelId: Id.optional(),
        after: FeedPosition.optional(),
        limit: z.number().int().min(1).max(100).default(30),
      })
      .strict(),
    result: z.array(PostView),
  },
  getPost: { args: z.object({ postId: Id }).strict(), result: PostView.nullable() },
  /** Full-text search over the cached posts, offline; best matches first. */
  searchPosts: {
    args: z
      .object({
        query: z.string().max(200),
        channelId: Id.optional(),
        limit: z.number().int().min(1).max(100).default(50),
      })
      .strict(),
    result: z.array(PostSearchHit),
  },
  publishPost: { args: PostDraft, result: PostView },
  editPost: { args: feedMutationArgs['feed.editPost'], result: PostView },
  deletePost: { args: feedMutationArgs['feed.deletePost'], result: z.null() },
  pinPost: { args: feedMutationArgs['feed.pinPost'], result: PostView },
  confirmPost: { args: feedMutationArgs['feed.confirmPost'], result: PostView },
  markPostsSeen: { args: feedMutationArgs['feed.markSeen'], result: z.null() },
  remindUnconfirmed: { args: feedMutationArgs['feed.remindUnconfirmed'], result: z.null() },
  reactToPost: { args: feedMutationArgs['feed.react'], result: PostView },
  answerEvent: { args: feedMutationArgs['feed.answerEvent'], result: PostView },
  followChannel: { args: feedMutationArgs['feed.followChannel'], result: z.array(FeedChannelView) },
  /** Who confirmed a post and who has not yet; asks the server, so it needs a connection. */
  getPostConfirmations: { args: z.object({ postId: Id }).strict(), result: PostConfirmations },
  /** The texts a post had before its edits, newest first; asks the server, so it needs a connection. */
  getPostRevisions: { args: z.object({ postId: Id }).strict(), result: PostRevisions },
  /** A post's comments, each thread after the one before and its replies under it, oldest first. */
  listComments: { args: z.object({ postId: Id }).strict(), result: z.array(CommentView) },
  addComment: {
    args: feedMutationArgs['feed.addComment'].omit({ commentId: true }).strict(),
    result: CommentView,
  },
  editComment: { args: feedMutationArgs['feed.editComment'], result: CommentView },
  deleteComment: { args: feedMutationArgs['feed.deleteComment'], result: z.null() },
  allowComments: { args: feedMutationArgs['feed.allowComments'], result: PostView },
  vote: { args: feedMutationArgs['feed.vote'], result: PostView },
  closePoll: { args: feedMutationArgs['feed.closePoll'], result: PostView },
  /** Who chose what in a poll that is not anonymous; asks the server, so it needs a connection. */
  getPollVoters: { args: z.object({ postId: Id }).strict(), result: PollVoters },
  getPostDraft: { args: NoArgs, result: PostComposerDraft.nullable() },
  /** Keeps the composer's draft (null: the post was published or discarded). */
  savePostDraft: { args: z.object({ draft: PostComposerDraft.nullable() }).strict(), result: z.null() },
} as const satisfies Record<MethodName, { args: z.ZodType; result: z.ZodType }>;

export type Contract = typeof contract;
export type MethodArgs<M extends MethodName> = z.input<Contract[M]['args']>;
export type MethodResult<M extends MethodName> = z.output<Contract[M]['result']>;

export const events = {
  sessionChanged: SessionState,
  syncStatusChanged: SyncStatus,
  dataChanged: DataChanged,
  /** Someone is typing in a conversation; shown for `typingShownMs` unless repeated. */
  typing: z.object({ conversationId: Id, personId: Id }).strict(),
  /** Watched people who came online or went offline (all watched people go offline when the connection is lost). */
  presenceChanged: z.object({ online: z.array(Id), offline: z.array(Id) }).strict(),
  noticesChanged: z.array(ActiveNotice),
  /**
   * A new message deserves a desktop notification (see `shouldNotifyOfMessage`). Electron's main
   * process shows it itself; in the browser host the renderer shows it.
   */
  chatNotification: ChatNotification,
  /** Unread chat messages across all conversations (muted ones not counted unless they mention the user). */
  unreadCountChanged: z
    .object({ messages: z.number().int().nonnegative(), mentions: z.number().int().nonnegative() })
    .strict(),
  /** The company's branding changed (or was fetched for the first time): restyle, retitle. */
  brandingChanged: Branding,
  /** The language or colour scheme of this device changed (in another window, say). */
  deviceSettingsChanged: DeviceSettings,
  /** A new important post deserves a desktop notification (see `shouldNotifyOfPost`). */
  feedNotification: FeedNotification,
  /** The user clicked an important post's desktop notification: show that post. */
  openFeed: z.object({ postId: Id }).strict(),
  /** The user clicked a desktop notification: show this conversation. */
  openConversation: z.object({ conversationId: Id }).strict(),
} as const satisfies Record<EventName, z.ZodType>;
export type Events = typeof events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

/** What every call resolves to across a process boundary: errors stay typed. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };
export const IpcResultEnvelope = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }).strict(),
  z.object({ ok: z.literal(false), error: IpcError }).strict(),
]);

/** The API object the preload exposes as `window.flurfunk` and the browser bridge recreates. */
export type FlurfunkApi = {
  [M in MethodName]: (args: MethodArgs<M>) => Promise<IpcResult<MethodResult<M>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};
