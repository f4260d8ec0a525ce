/**
 * An in-test FlurfunkApi assigned to `window.flurfunk`: the Electron preload boundary, which cannot
 * exist under Node. It answers from a small in-memory company so renderer code runs for real.
 */
import type {
  ActiveNotice,
  ChatDraft,
  CommentView,
  ConversationSummary,
  MessageSearchHit,
  MessageView,
  DirectoryEntry,
  EventName,
  FeedChannelView,
  PostRevision,
  PostSearchHit,
  PostView,
  FlurfunkApi,
  IpcError,
  IpcResult,
  MethodArgs,
  Notice,
  OutboxEntryView,
  SessionState,
  NotificationSettings,
  SyncStatus,
  Branding,
  CacheUsage,
  DeviceSettings,
  DeviceView,
  SessionUser,
} from '@flurfunk/protocol';
import {
  brandPalette,
  defaultBranding,
  defaultDeviceSettings,
  defaultNotificationSettings,
  emptyDietProfile,
} from '@flurfunk/protocol';

export interface FakeHost {
  api: FlurfunkApi;
  people: DirectoryEntry[];
  listPeopleCalls: MethodArgs<'listPeople'>[];
  /** When set, login fails with this error. */
  loginError: IpcError | null;
  /** The notices the core keeps until they are dismissed. */
  notices: ActiveNotice[];
  /** Raises a notice as the core would: kept in `notices` and announced with `noticesChanged`. */
  raiseNotice(notice: Notice): void;
  /** Sends an event as the core would; the payload is not checked here on purpose. */
  emit(event: EventName, payload: unknown): void;
  /** Holds back listPeople answers until `release()` is called. */
  holdListPeople(): { release(): void };
  /** Holds back the answer for this person until `release()` is called. */
  holdGetPerson(id: string): { release(): void };
  /** Holds back getSyncStatus answers until `release()` is called. */
  holdSyncStatus(): { release(): void };
  /** The core's outbox: the user's writes the server has not confirmed yet. */
  outbox: OutboxEntryView[];
  /** The newsfeed's channels and posts as the cache would list them. */
  feedChannels: FeedChannelView[];
  posts: PostView[];
  /** What a post search answers, whatever the query. */
  postHits: PostSearchHit[];
  /** The edit history any post asked for has. */
  revisions: PostRevision[];
  /** The comments of every post, in the order the core lists them. */
  comments: CommentView[];
  /** Who chose each option of any poll asked for its voters. */
  pollVoters: { personId: string; displayName: string }[][];
  /** When set, writing a comment fails with this error. */
  commentError: IpcError | null;
  /** Every outbox method called, in order, with its arguments. */
  outboxCalls: { method: 'listOutbox' | 'retryOutboxEntry' | 'discardOutboxEntry'; id?: string }[];
  /** Who the core knows to be online. */
  online: string[];
  /** Changes the outbox as the core would: replaces `outbox` and announces it with `dataChanged`. */
  setOutbox(entries: OutboxEntryView[]): void;
  /** The chat as the cache holds it: every conversation and every cached message (any order). */
  conversations: ConversationSummary[];
  messages: MessageView[];
  /** History the server still has beyond the cache, handed out by loadOlderMessages (newest last). */
  olderOnServer: MessageView[];
  /** What a message search answers, whatever the query. */
  messageHits: MessageSearchHit[];
  /** Every chat method called (beyond plain reads), in order, with its arguments. */
  chatCalls: { method: string; args: unknown }[];
  /** When set, the next chat write fails with this error. */
  chatError: IpcError | null;
  notificationSettings: NotificationSettings;
  /** The company's branding as the core has it cached; an admin's save replaces it. */
  branding: Branding;
  /** The roles the next sign-in has. */
  roles: SessionUser['roles'];
  /** The language and theme the core keeps for this device. */
  deviceSettings: DeviceSettings;
  /** The account's devices as the server lists them; the first is this one. */
  devices: DeviceView[];
  /** The user's cache on this device. */
  cacheUsage: CacheUsage;
}

export const chatUserId = makePerson(0).id;

export function makeConversation(
  index: number,
  fields: Partial<ConversationSummary> = {},
): ConversationSummary {
  const hex = index.toString(16).padStart(12, '0');
  return {
    id: `01900000-0000-7000-8000-c${hex.slice(1)}`,
    kind: 'group',
    title: `Gruppe ${index}`,
    audience: `chat:01900000-0000-7000-8000-c${hex.slice(1)}`,
    memberIds: [chatUserId, makePerson(1).id, makePerson(2).id],
    adminIds: [chatUserId],
    readOnly: false,
    picture: null,
    createdAt: '2026-11-01T08:00:00.000000Z',
    muted: false,
    pinned: false,
    lastReadMessageId: null,
    unreadCount: 0,
    mentionCount: 0,
    lastMessage: null,
    reads: { readers: [], counts: [] },
    draft: null,
    ...fields,
  } as ConversationSummary;
}

/** Message `index` of a conversation, one minute after the one before. */
export function makeMessage(
  conversationId: string,
  index: number,
  fields: Partial<MessageView> = {},
): MessageView {
  const hex = index.toString(16).padStart(12, '0');
  const time = new Date(Date.UTC(2026, 10, 1, 8, 0) + index * 60_000).toISOString();
  return {
    id: `01900000-0000-7000-8${conversationId.slice(-3)}-${hex}`,
    conversationId,
    authorId: makePerson(1).id,
    body: `Nachricht ${index}`,
    replyToId: null,
    forwarded: false,
    attachments: [],
    reactions: [],
    createdAt: time,
    editedAt: null,
    deletedAt: null,
    delivery: 'synced',
    outboxId: null,
    failure: null,
    ...fields,
  };
}

/** Post `index` of a channel, one day after the one before; published and read by nobody yet. */
export function makePost(index: number, fields: Partial<PostView> = {}): PostView {
  const hex = index.toString(16).padStart(12, '0');
  return {
    id: `01900000-0000-7000-8000-${hex}`,
    channelId: '01900000-0000-7000-8000-00000000c001',
    authorId: '01900000-0000-7000-8000-00000000a001',
    title: `Meldung ${index}`,
    body: `Text ${index}`,
    requiresConfirmation: false,
    pinned: false,
    commentsEnabled: true,
    event: null,
    poll: null,
    attachments: [],
    published: true,
    publishAt: `2026-11-${String(10 + index).padStart(2, '0')}T08:00:00.000000Z`,
    createdAt: '2026-11-01T08:00:00.000000Z',
    editedAt: null,
    seenAt: null,
    confirmedAt: null,
    remindedAt: null,
    reaction: null,
    reactions: {},
    attendance: null,
    attendances: {},
    votes: [],
    pollVotes: [],
    pollVoters: 0,
    reach: null,
    canManage: false,
    comments: 0,
    delivery: 'synced',
    outboxId: null,
    ...fields,
  };
}

const byPosition = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
  a.createdAt === b.createdAt ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.createdAt < b.createdAt ? -1 : 1;

export function makeOutboxEntry(index: number, fields: Partial<OutboxEntryView> = {}): OutboxEntryView {
  const hex = index.toString(16).padStart(12, '0');
  return {
    id: `01900000-0000-7000-8000-${hex}`,
    type: 'chat.sendMessage',
    state: 'pending',
    attempts: 0,
    nextAttemptAt: null,
    error: null,
    entityId: `01900000-0000-7000-9000-${hex}`,
    createdAt: new Date().toISOString(),
    ...fields,
  };
}

export function makePerson(index: number): DirectoryEntry {
  const hex = index.toString(16).padStart(12, '0');
  return {
    id: `00000000-0000-4000-8000-${hex}`,
    username: `person.${index}`,
    firstName: 'Person',
    lastName: String(index).padStart(4, '0'),
    displayName: `Person ${String(index).padStart(4, '0')}`,
    title: index % 2 ? 'Mechatroniker' : 'Redakteurin',
    orgUnitId: null,
    locationId: null,
    managerId: null,
    email: `person.${index}@example.com`,
    phone: `+49 711 555-${1000 + index}`,
    mobile: '',
    room: `B${index}`,
    pronouns: '',
    languages: [],
    skills: [],
    outOfOffice: null,
    photoFileId: null,
    birthday: null,
    workAnniversary: null,
    deactivated: false,
    orgUnitName: index % 3 ? 'Werkstatt' : 'Interne Kommunikation',
    locationName: index % 2 ? 'Werk Esslingen' : 'Zentrale Stuttgart',
  };
}

const ok = <T>(value: T): Promise<IpcResult<T>> => Promise.resolve({ ok: true, value });

function gate(): { opened: Promise<void>; release(): void } {
  let release = () => {};
  const opened = new Promise<void>((resolve) => (release = resolve));
  return { opened, release: () => release() };
}

const onlineStatus: SyncStatus = { connection: 'online', state: 'idle', lastSyncedAt: null, error: null };

export function installFakeHost(size = 250): FakeHost {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let listPeopleGate: Promise<void> | null = null;
  let syncStatusGate: Promise<void> | null = null;
  const personGates = new Map<string, Promise<void>>();
  let noticeCount = 0;
  let session: SessionState = { status: 'signedOut', serverUrl: null };

  const host: FakeHost = {
    people: Array.from({ length: size }, (_, i) => makePerson(i)),
    listPeopleCalls: [],
    loginError: null,
    notices: [],
    outbox: [],
    feedChannels: [],
    posts: [],
    postHits: [],
    revisions: [],
    comments: [],
    pollVoters: [],
    commentError: null,
    outboxCalls: [],
    conversations: [],
    messages: [],
    olderOnServer: [],
    messageHits: [],
    chatCalls: [],
    chatError: null,
    notificationSettings: defaultNotificationSettings,
    branding: defaultBranding,
    roles: ['employee'],
    deviceSettings: defaultDeviceSettings,
    devices: [],
    cacheUsage: { bytes: 0, unsentChanges: 0 },
    online: [],
    setOutbox(entries) {
      host.outbox = entries;
      host.emit('dataChanged', { changes: [{ entity: 'outboxEntry', ids: null }] });
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    raiseNotice(notice) {
      noticeCount += 1;
      host.notices = [
        ...host.notices,
        {
          id: `notice-${noticeCount}`,
          raisedAt: new Date(Date.UTC(2025, 0, 6, 8, noticeCount)).toISOString(),
          notice,
        },
      ];
      host.emit('noticesChanged', host.notices);
    },
    holdListPeople() {
      const held = gate();
      listPeopleGate = held.opened;
      return held;
    },
    holdGetPerson(id) {
      const held = gate();
      personGates.set(id, held.opened);
      return held;
    },
    holdSyncStatus() {
      const held = gate();
      syncStatusGate = held.opened;
      return held;
    },
    api: {
      getAppInfo: () =>
        ok({ version: '0.1.0-test', host: 'electron', defaultServerUrl: 'http://127.0.0.1:4100' }),
      getSession: () => ok(session),
      getBranding: () => ok(host.branding),
      getDeviceSettings: () => ok(host.deviceSettings),
      saveDeviceSettings: (settings) => {
        host.deviceSettings = settings;
        host.emit('deviceSettingsChanged', settings);
        return ok(settings);
      },
      getStartAtLogin: () =>
        Promise.resolve({ ok: false, error: { code: 'unsupported', message: 'not the desktop app' } }),
      setStartAtLogin: () =>
        Promise.resolve({ ok: false, error: { code: 'unsupported', message: 'not the desktop app' } }),
      listDevices: () => ok({ devices: host.devices }),
      signOutDevice: ({ deviceId }) => {
        host.devices = host.devices.filter((device) => device.id !== deviceId);
        return ok({ devices: host.devices });
      },
      signOutOtherDevices: () => {
        host.devices = host.devices.filter((device) => device.current);
        return ok({ devices: host.devices });
      },
      getCacheUsage: () => ok(host.cacheUsage),
      clearCache: () =>
        host.cacheUsage.unsentChanges > 0
          ? Promise.resolve({ ok: false, error: { code: 'unsent_changes', message: 'changes wait' } })
          : ok((host.cacheUsage = { bytes: 4096, unsentChanges: 0 })),
      saveBrandingSettings: (settings) => {
        const { adjustments } = brandPalette(settings);
        host.branding = { ...host.branding, ...settings, revision: host.branding.revision + 1 };
        host.emit('brandingChanged', host.branding);
        return ok({ branding: host.branding, adjustments });
      },
      removeBrandAsset: ({ slot }) => {
        host.branding = {
          ...host.branding,
          ...(slot === 'logo' ? { logo: null } : slot === 'loginBackground' ? { loginBackground: null } : {}),
          revision: host.branding.revision + 1,
        };
        return ok({ branding: host.branding, adjustments: [] });
      },
      login: async (args) => {
        if (host.loginError) return { ok: false, error: host.loginError };
        session = {
          status: 'signedIn',
          serverUrl: args.serverUrl,
          user: {
            id: makePerson(0).id,
            username: args.username,
            displayName: 'Lena Weber',
            roles: host.roles,
          },
        };
        return { ok: true, value: session };
      },
      logout: () => ok((session = { status: 'signedOut', serverUrl: session.serverUrl })),
      listPeople: async (args) => {
        host.listPeopleCalls.push(args);
        if (listPeopleGate) await listPeopleGate;
        const query = (args.query ?? '').toLowerCase();
        const found = host.people.filter((p) => p.displayName.toLowerCase().includes(query));
        const offset = args.offset ?? 0;
        return {
          ok: true,
          value: {
            people: found.slice(offset, offset + (args.limit ?? 50)),
            total: found.length,
            more: false,
          },
        };
      },
      getPerson: async ({ id }) => {
        await personGates.get(id);
        const person = host.people.find((p) => p.id === id);
        const profile = person
          ? { ...person, unitPath: [], manager: null, directReports: [], privatePhone: null }
          : null;
        return { ok: true, value: profile };
      },
      getOrgChart: () => ok({ units: [] }),
      listLocations: () => ok([]),
      listCelebrations: () => ok([]),
      listPhoneBook: () => ok({ groups: [] }),
      savePageAsPdf: () =>
        Promise.resolve({ ok: false, error: { code: 'unsupported', message: 'no PDF here' } }),
      updateProfile: () =>
        Promise.resolve({ ok: false, error: { code: 'not_found', message: 'no profile' } }),
      setCelebrations: () =>
        Promise.resolve({ ok: false, error: { code: 'not_found', message: 'no profile' } }),
      listCanteens: () => ok([]),
      getCanteenWeek: () => ok(null),
      saveCanteenWeek: () =>
        Promise.resolve({ ok: false, error: { code: 'not_found', message: 'no canteen' } }),
      getDietProfile: () => ok(emptyDietProfile),
      saveDietProfile: (profile) => ok(profile),
      getSyncStatus: async () => {
        if (syncStatusGate) await syncStatusGate;
        return { ok: true, value: onlineStatus };
      },
      syncNow: () => ok(onlineStatus),
      getNotices: () => ok(host.notices),
      dismissNotice: ({ id }) => {
        host.notices = host.notices.filter((active) => active.id !== id);
        host.emit('noticesChanged', host.notices);
        return ok(host.notices);
      },
      listFeedChannels: () => ok(host.feedChannels),
      listPostableChannels: () => ok(host.feedChannels.filter((channel) => channel.canPost)),
      listPosts: ({ channelId }) =>
        ok(host.posts.filter((post) => channelId === undefined || post.channelId === channelId)),
      getPost: ({ postId }) => ok(host.posts.find((post) => post.id === postId) ?? null),
      searchPosts: () => ok(host.postHits),
      publishPost: async () => ({ ok: false, error: { code: 'forbidden', message: 'not in this fake' } }),
      editPost: async () => ({ ok: false, error: { code: 'forbidden', message: 'not in this fake' } }),
      deletePost: () => ok(null),
      pinPost: async () => ({ ok: false, error: { code: 'forbidden', message: 'not in this fake' } }),
      confirmPost: async ({ postId }) => {
        const post = host.posts.find((found) => found.id === postId);
        if (!post) return { ok: false, error: { code: 'not_found', message: 'no such post' } };
        const confirmed = { ...post, confirmedAt: new Date().toISOString(), delivery: 'pending' as const };
        host.posts = host.posts.map((found) => (found.id === postId ? confirmed : found));
        return ok(confirmed);
      },
      reactToPost: async ({ postId, reaction }) => {
        const post = host.posts.find((found) => found.id === postId);
        if (!post) return { ok: false, error: { code: 'not_found', message: 'no such post' } };
        const reacted = { ...post, reaction: reaction ?? null, delivery: 'pending' as const };
        host.posts = host.posts.map((found) => (found.id === postId ? reacted : found));
        return ok(reacted);
      },
      answerEvent: async ({ postId, attendance }) => {
        const post = host.posts.find((found) => found.id === postId);
        if (!post) return { ok: false, error: { code: 'not_found', message: 'no such post' } };
        const answered = { ...post, attendance: attendance ?? null, delivery: 'pending' as const };
        host.posts = host.posts.map((found) => (found.id === postId ? answered : found));
        return ok(answered);
      },
      followChannel: ({ channelId, following }) => {
        host.feedChannels = host.feedChannels.map((channel) =>
          channel.id === channelId ? { ...channel, following } : channel,
        );
        return ok(host.feedChannels);
      },
      markPostsSeen: () => ok(null),
      remindUnconfirmed: () => ok(null),
      getPostConfirmations: async () => ({ ok: false, error: { code: 'unreachable', message: 'offline' } }),
      getPostRevisions: ({ postId }) => ok({ postId, revisions: host.revisions }),
      listComments: ({ postId }) => ok(host.comments.filter((comment) => comment.postId === postId)),
      addComment: async ({ postId, parentId, body }) => {
        if (host.commentError) return { ok: false, error: host.commentError };
        const comment: CommentView = {
          id: `01900000-0000-7000-8000-d${String(host.comments.length).padStart(11, '0')}`,
          postId,
          parentId,
          authorId: session.status === 'signedIn' ? session.user.id : '01900000-0000-7000-8000-00000000a002',
          body,
          createdAt: new Date().toISOString(),
          editedAt: null,
          canEdit: true,
          canDelete: true,
          delivery: 'pending',
          outboxId: null,
        };
        host.comments = [...host.comments, comment];
        host.posts = host.posts.map((post) =>
          post.id === postId ? { ...post, comments: post.comments + 1 } : post,
        );
        return ok(comment);
      },
      editComment: async ({ commentId, body }) => {
        const comment = host.comments.find((found) => found.id === commentId);
        if (!comment) return { ok: false, error: { code: 'not_found', message: 'no such comment' } };
        const edited = { ...comment, body, editedAt: new Date().toISOString() };
        host.comments = host.comments.map((found) => (found.id === commentId ? edited : found));
        return ok(edited);
      },
      deleteComment: ({ commentId }) => {
        host.comments = host.comments.filter(
          (found) => found.id !== commentId && found.parentId !== commentId,
        );
        return ok(null);
      },
      allowComments: async ({ postId, enabled }) => {
        const post = host.posts.find((found) => found.id === postId);
        if (!post) return { ok: false, error: { code: 'not_found', message: 'no such post' } };
        const changed = { ...post, commentsEnabled: enabled };
        host.posts = host.posts.map((found) => (found.id === postId ? changed : found));
        return ok(changed);
      },
      vote: async ({ postId, options }) => {
        const post = host.posts.find((found) => found.id === postId);
        if (!post) return { ok: false, error: { code: 'not_found', message: 'no such post' } };
        const voted = { ...post, votes: [...options].sort((a, b) => a - b), delivery: 'pending' as const };
        host.posts = host.posts.map((found) => (found.id === postId ? voted : found));
        return ok(voted);
      },
      closePoll: async ({ postId }) => {
        const post = host.posts.find((found) => found.id === postId);
        if (!post?.poll) return { ok: false, error: { code: 'invalid_args', message: 'no poll' } };
        const closed = { ...post, poll: { ...post.poll, closesAt: new Date().toISOString() } };
        host.posts = host.posts.map((found) => (found.id === postId ? closed : found));
        return ok(closed);
      },
      getPollVoters: ({ postId }) => ok({ postId, options: host.pollVoters }),
      getPostDraft: () => ok(null),
      savePostDraft: () => ok(null),
      listConversations: () => ok(host.conversations),
      getConversation: ({ conversationId }) =>
        ok(host.conversations.find((found) => found.id === conversationId) ?? null),
      listMessages: ({ conversationId, before, after, around, limit = 50 }) => {
        const all = host.messages.filter((m) => m.conversationId === conversationId).sort(byPosition);
        if (around !== undefined) {
          const at = all.findIndex((m) => m.id === around);
          if (at === -1) return ok([]);
          const start = Math.max(0, at - Math.floor(limit / 2));
          return ok(all.slice(start, start + limit));
        }
        if (after !== undefined) return ok(all.filter((m) => byPosition(m, after) > 0).slice(0, limit));
        const older = before === undefined ? all : all.filter((m) => byPosition(m, before) < 0);
        return ok(older.slice(Math.max(0, older.length - limit)));
      },
      loadOlderMessages: ({ conversationId }) => {
        host.chatCalls.push({ method: 'loadOlderMessages', args: { conversationId } });
        const page = host.olderOnServer.filter((m) => m.conversationId === conversationId).slice(-50);
        host.olderOnServer = host.olderOnServer.filter((m) => !page.includes(m));
        host.messages = [...host.messages, ...page];
        const hasMore = host.olderOnServer.some((m) => m.conversationId === conversationId);
        return ok({ added: page.length, hasMore });
      },
      sendMessage: async (args) =>
        write('sendMessage', args, () => {
          const { conversationId, body, replyToId = null } = args;
          const sent = makeMessage(conversationId, 100_000 + host.messages.length, {
            authorId: chatUserId,
            body,
            replyToId,
            createdAt: new Date().toISOString(),
            delivery: 'pending',
          });
          host.messages = [...host.messages, sent];
          return sent;
        }),
      editMessage: async (args) =>
        write('editMessage', args, () =>
          changeMessage(args.messageId, { body: args.body, editedAt: new Date().toISOString() }),
        ),
      deleteMessage: async (args) =>
        write('deleteMessage', args, () =>
          changeMessage(args.messageId, {
            body: '',
            attachments: [],
            reactions: [],
            deletedAt: new Date().toISOString(),
          }),
        ),
      forwardMessage: async (args) =>
        write('forwardMessage', args, () => {
          const source = host.messages.find((m) => m.id === args.sourceId)!;
          const copy = makeMessage(args.conversationId, 200_000 + host.messages.length, {
            authorId: chatUserId,
            body: source.body,
            forwarded: true,
            delivery: 'pending',
          });
          host.messages = [...host.messages, copy];
          return copy;
        }),
      reactToMessage: async (args) =>
        write('reactToMessage', args, () => {
          const message = host.messages.find((m) => m.id === args.messageId)!;
          const others = message.reactions.filter((r) => r.emoji !== args.emoji);
          const people = (message.reactions.find((r) => r.emoji === args.emoji)?.personIds ?? []).filter(
            (id) => id !== chatUserId,
          );
          const next = args.on ? [...people, chatUserId] : people;
          return changeMessage(args.messageId, {
            reactions: next.length > 0 ? [...others, { emoji: args.emoji, personIds: next }] : others,
          });
        }),
      markConversationRead: async (args) => write('markConversationRead', args, () => null),
      updateConversationSettings: async (args) =>
        write('updateConversationSettings', args, () => changeConversation(args.conversationId, args)),
      openDirectConversation: async (args) =>
        write('openDirectConversation', args, () => {
          const existing = host.conversations.find(
            (c) => c.kind === 'direct' && c.memberIds.includes(args.personId),
          );
          if (existing) return existing;
          const opened = makeConversation(900 + host.conversations.length, {
            kind: 'direct',
            title: '',
            memberIds: [chatUserId, args.personId],
            adminIds: [],
          });
          host.conversations = [...host.conversations, opened];
          return opened;
        }),
      createGroup: async (args) =>
        write('createGroup', args, () => {
          const created = makeConversation(800 + host.conversations.length, {
            title: args.title,
            memberIds: [chatUserId, ...args.memberIds],
          });
          host.conversations = [...host.conversations, created];
          return created;
        }),
      updateGroup: async (args) =>
        write('updateGroup', args, () =>
          changeConversation(args.conversationId, args.title === undefined ? {} : { title: args.title }),
        ),
      addGroupMembers: async (args) =>
        write('addGroupMembers', args, () => {
          const found = host.conversations.find((c) => c.id === args.conversationId)!;
          return changeConversation(args.conversationId, {
            memberIds: [...new Set([...found.memberIds, ...args.personIds])],
          });
        }),
      removeGroupMember: async (args) =>
        write('removeGroupMember', args, () => {
          if (args.personId === chatUserId) {
            host.conversations = host.conversations.filter((c) => c.id !== args.conversationId);
            return null;
          }
          const found = host.conversations.find((c) => c.id === args.conversationId)!;
          return changeConversation(args.conversationId, {
            memberIds: found.memberIds.filter((id) => id !== args.personId),
            adminIds: found.adminIds.filter((id) => id !== args.personId),
          });
        }),
      setGroupAdmin: async (args) =>
        write('setGroupAdmin', args, () => {
          const found = host.conversations.find((c) => c.id === args.conversationId)!;
          const others = found.adminIds.filter((id) => id !== args.personId);
          return changeConversation(args.conversationId, {
            adminIds: args.admin ? [...others, args.personId] : others,
          });
        }),
      searchMessages: (args) => {
        host.chatCalls.push({ method: 'searchMessages', args });
        return ok(host.messageHits);
      },
      getNotificationSettings: () => ok(host.notificationSettings),
      saveNotificationSettings: (settings) =>
        ok((host.notificationSettings = { ...settings, importantPosts: settings.importantPosts ?? true })),
      saveChatDraft: async (args) =>
        write('saveChatDraft', args, () => {
          changeConversation(args.conversationId, { draft: args.draft as ChatDraft | null });
          return null;
        }),
      sendTyping: (args) => {
        host.chatCalls.push({ method: 'sendTyping', args });
        return ok(null);
      },
      watchPresence: ({ personIds }) => ok({ online: personIds.filter((id) => host.online.includes(id)) }),
      listOutbox: () => {
        host.outboxCalls.push({ method: 'listOutbox' });
        return ok(host.outbox);
      },
      retryOutboxEntry: async ({ id }) => {
        host.outboxCalls.push({ method: 'retryOutboxEntry', id });
        const entry = host.outbox.find((found) => found.id === id && found.state === 'failed');
        if (!entry)
          return { ok: false, error: { code: 'not_found', message: 'no failed write with this id' } };
        const retried: OutboxEntryView = {
          ...entry,
          state: 'pending',
          attempts: 0,
          nextAttemptAt: null,
          error: null,
        };
        host.outbox = host.outbox.map((found) => (found.id === id ? retried : found));
        host.emit('dataChanged', { changes: [{ entity: 'outboxEntry', ids: [id] }] });
        return ok(host.outbox);
      },
      discardOutboxEntry: async ({ id }) => {
        host.outboxCalls.push({ method: 'discardOutboxEntry', id });
        const entry = host.outbox.find((found) => found.id === id && found.state === 'failed');
        if (!entry)
          return { ok: false, error: { code: 'not_found', message: 'no failed write with this id' } };
        host.outbox = host.outbox.filter((found) => found.id !== id);
        host.emit('dataChanged', { changes: [{ entity: 'outboxEntry', ids: [id] }] });
        return ok(host.outbox);
      },
      on(event, listener) {
        let set = listeners.get(event);
        if (!set) listeners.set(event, (set = new Set()));
        const untyped = listener as (payload: unknown) => void;
        set.add(untyped);
        return () => set.delete(untyped);
      },
    },
  };
  /** Runs a chat write as the core would (or fails it with `chatError`), recording the call. */
  async function write<T>(method: string, args: unknown, apply: () => T): Promise<IpcResult<T>> {
    host.chatCalls.push({ method, args });
    if (host.chatError) {
      const error = host.chatError;
      host.chatError = null;
      return { ok: false, error };
    }
    return { ok: true, value: apply() };
  }

  function changeMessage(id: string, fields: Partial<MessageView>): MessageView {
    const changed = { ...host.messages.find((m) => m.id === id)!, ...fields };
    host.messages = host.messages.map((m) => (m.id === id ? changed : m));
    return changed;
  }

  function changeConversation(id: string, fields: Partial<ConversationSummary>): ConversationSummary {
    const { conversationId: _ignored, ...rest } = fields as Partial<ConversationSummary> & {
      conversationId?: string;
    };
    const changed = { ...host.conversations.find((c) => c.id === id)!, ...rest };
    host.conversations = host.conversations.map((c) => (c.id === id ? changed : c));
    return changed;
  }

  window.flurfunk = host.api;
  return host;
}
