/**
 * An in-test FlurfunkApi assigned to `window.flurfunk`: the Electron preload boundary, which cannot
 * exist under Node. It answers from a small in-memory company so renderer code runs for real.
 */
import type {
  ActiveNotice,
  CommentView,
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
  SyncStatus,
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
  /** Changes the outbox as the core would: replaces `outbox` and announces it with `dataChanged`. */
  setOutbox(entries: OutboxEntryView[]): void;
}

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
    room: `B${index}`,
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
      login: async (args) => {
        if (host.loginError) return { ok: false, error: host.loginError };
        session = {
          status: 'signedIn',
          serverUrl: args.serverUrl,
          user: {
            id: makePerson(0).id,
            username: args.username,
            displayName: 'Lena Weber',
            roles: ['employee'],
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
          value: { people: found.slice(offset, offset + (args.limit ?? 50)), total: found.length },
        };
      },
      getPerson: async ({ id }) => {
        await personGates.get(id);
        return { ok: true, value: host.people.find((p) => p.id === id) ?? null };
      },
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
      listConversations: () => ok([]),
      listMessages: () => ok([]),
      sendMessage: async () => ({ ok: false, error: { code: 'not_found', message: 'no chat in this fake' } }),
      editMessage: async () => ({ ok: false, error: { code: 'not_found', message: 'no chat in this fake' } }),
      deleteMessage: () => ok(null),
      sendTyping: () => ok(null),
      watchPresence: () => ok({ online: [] }),
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
  window.flurfunk = host.api;
  return host;
}
