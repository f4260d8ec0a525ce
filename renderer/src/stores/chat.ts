import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { typingShownMs } from '@flurfunk/protocol';
import type { ChatDraft, ConversationSummary, DataChanged, MessageView } from '@flurfunk/protocol';
import { ApiError, call, onEvent, onReconnected } from '@/api/index.js';
import { useSessionStore } from './session.js';

/**
 * What the conversation list shows is made of these, all named by conversation id: the core names
 * a message's conversation whenever the message changes.
 */
const conversationEntities = new Set(['conversation', 'conversationSettings', 'conversationReads']);

export const messagePageSize = 50;
const maxMessagesPerCall = 200;
/** Up to this many changed conversations are re-read one by one; more re-read the whole list. */
const maxSingleReads = 10;
/** Sorts before every real message id at the same time: reading "after" it includes that message. */
const lowestId = '00000000-0000-0000-0000-000000000000';

interface Position {
  createdAt: string;
  id: string;
}

const positionOf = (message: MessageView): Position => ({ createdAt: message.createdAt, id: message.id });

/** Order of two messages in their conversation: by time, then by id, as the core orders them. */
export function comparePositions(a: Position, b: Position): number {
  const at = Date.parse(a.createdAt);
  const bt = Date.parse(b.createdAt);
  if (at !== bt) return at < bt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A conversation's unread messages as the badges count them: muted ones only by their mentions. */
export function unreadFor(conversation: ConversationSummary): number {
  return conversation.muted ? conversation.mentionCount : conversation.unreadCount;
}

/**
 * The chat as the screen sees it: the user's conversations, and a window of the open
 * conversation's messages (the newest at first, older ones added as the reader scrolls up, or a
 * stretch around a message jumped to). Each change the core announces re-reads only what it names.
 */
export const useChatStore = defineStore('chat', () => {
  const session = useSessionStore();
  const conversations = shallowRef<readonly ConversationSummary[]>([]);
  const conversationsLoaded = ref(false);
  const openId = ref<string | null>(null);
  /** The open conversation's messages on hand, oldest first. */
  const messages = shallowRef<readonly MessageView[]>([]);
  /** The cache may hold messages before the first one shown. */
  const olderInCache = ref(true);
  /** The server may hold messages before those cached. */
  const olderOnServer = ref(true);
  /** The window was opened around an earlier message: newer ones exist after it. */
  const newerInCache = ref(false);
  const loadingMessages = ref(false);
  const loadingOlder = ref(false);
  /** Loading older history from the server failed (offline): the reader may try again. */
  const olderFailed = ref<ApiError | null>(null);
  const error = ref<ApiError | null>(null);
  /** The last message read when the conversation was opened: the "new messages" divider follows it. */
  const dividerAfterId = ref<string | null>(null);
  /** A message jumped to, highlighted for a moment. */
  const highlightedId = ref<string | null>(null);
  /** Who is typing where (conversation id → person ids), each for `typingShownMs`. */
  const typing = shallowRef<ReadonlyMap<string, readonly string[]>>(new Map());
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The newest message this device has already reported read, per conversation. */
  const reportedRead = new Map<string, string>();
  /** Bumped whenever earlier answers become stale (another conversation, signed out). */
  let generation = 0;
  let refreshes = 0;
  let dividerCaptured = false;
  let conversationReads = 0;
  let appliedConversationRead = 0;

  const openConversation = computed(
    () => conversations.value.find((conversation) => conversation.id === openId.value) ?? null,
  );
  const unreadTotal = computed(() =>
    conversations.value.reduce((sum, conversation) => sum + unreadFor(conversation), 0),
  );

  function asApiError(cause: unknown): ApiError {
    return cause instanceof ApiError ? cause : new ApiError({ code: 'internal', message: String(cause) });
  }

  /**
   * The divider stays where the reader's unread messages began when the conversation opened;
   * it is taken once the conversation's summary is known.
   */
  function captureDivider(): void {
    if (dividerCaptured || openId.value === null) return;
    const summary = conversations.value.find((conversation) => conversation.id === openId.value);
    if (!summary) return;
    dividerCaptured = true;
    dividerAfterId.value = summary.unreadCount > 0 ? summary.lastReadMessageId : null;
  }

  function replaceConversation(updated: ConversationSummary): void {
    const known = conversations.value.some((conversation) => conversation.id === updated.id);
    conversations.value = known
      ? conversations.value.map((conversation) => (conversation.id === updated.id ? updated : conversation))
      : [...conversations.value, updated];
    captureDivider();
  }

  function dropConversation(id: string): void {
    conversations.value = conversations.value.filter((conversation) => conversation.id !== id);
  }

  /** Reads the whole list; answers that overtook a newer read are dropped. */
  async function loadConversations(): Promise<void> {
    const number = ++conversationReads;
    try {
      const list = await call('listConversations', {});
      if (number < appliedConversationRead) return;
      appliedConversationRead = number;
      conversations.value = list;
      conversationsLoaded.value = true;
      captureDivider();
      error.value = null;
    } catch (cause) {
      error.value = asApiError(cause);
    }
  }

  /** Re-reads the conversations a change named (`null`: all of them). */
  async function refreshConversations(ids: readonly string[] | null): Promise<void> {
    if (ids === null || ids.length > maxSingleReads || !conversationsLoaded.value) {
      await loadConversations();
      return;
    }
    const number = ++conversationReads;
    try {
      const found = await Promise.all(
        ids.map((conversationId) => call('getConversation', { conversationId })),
      );
      if (number < appliedConversationRead) return;
      found.forEach((conversation, index) =>
        conversation ? replaceConversation(conversation) : dropConversation(ids[index]!),
      );
    } catch (cause) {
      error.value = asApiError(cause);
    }
  }

  function setWindow(list: readonly MessageView[]): void {
    messages.value = list;
  }

  /** Opens a conversation at its newest messages, or (`around`) at a message to jump to. */
  async function open(id: string, around?: string): Promise<void> {
    generation += 1;
    const started = generation;
    if (openId.value !== id) {
      dividerCaptured = false;
      dividerAfterId.value = null;
      olderOnServer.value = true;
      olderFailed.value = null;
    }
    openId.value = id;
    captureDivider();
    loadingMessages.value = true;
    try {
      const list = await call('listMessages', {
        conversationId: id,
        ...(around === undefined ? {} : { around }),
        limit: around === undefined ? messagePageSize : maxMessagesPerCall,
      });
      if (started !== generation) return;
      if (around !== undefined && !list.some((message) => message.id === around)) {
        // Not in the cache (any more): the newest messages are the best there is.
        await open(id);
        return;
      }
      setWindow(list);
      olderInCache.value = around !== undefined || list.length === messagePageSize;
      newerInCache.value = around !== undefined && (await hasNewer(id, list));
      highlightedId.value = around ?? null;
      error.value = null;
      if (!conversations.value.some((conversation) => conversation.id === id))
        await refreshConversations([id]);
    } catch (cause) {
      if (started === generation) error.value = asApiError(cause);
    } finally {
      if (started === generation) loadingMessages.value = false;
    }
  }

  async function hasNewer(conversationId: string, list: readonly MessageView[]): Promise<boolean> {
    const last = list.at(-1);
    if (!last) return false;
    const after = await call('listMessages', { conversationId, after: positionOf(last), limit: 1 });
    return after.length > 0;
  }

  /** Jumps to a message: highlighted where it is shown, else the window moves to it. */
  async function jumpTo(conversationId: string, messageId: string): Promise<void> {
    if (openId.value === conversationId && messages.value.some((message) => message.id === messageId)) {
      highlightedId.value = messageId;
      return;
    }
    await open(conversationId, messageId);
  }

  /** Back to the newest messages after a jump. */
  async function jumpToLatest(): Promise<void> {
    if (openId.value !== null) await open(openId.value);
  }

  function close(): void {
    generation += 1;
    openId.value = null;
    messages.value = [];
    highlightedId.value = null;
    dividerAfterId.value = null;
  }

  /** Older messages before the first shown: from the cache first, then from the server. */
  async function loadOlder(): Promise<void> {
    const id = openId.value;
    const first = messages.value[0];
    if (id === null || loadingOlder.value || (!olderInCache.value && !olderOnServer.value)) return;
    const started = generation;
    loadingOlder.value = true;
    try {
      let page = await readBefore(id, first);
      if (page.length === 0 && olderOnServer.value) {
        const loaded = await call('loadOlderMessages', { conversationId: id });
        if (started !== generation) return;
        olderOnServer.value = loaded.hasMore;
        olderFailed.value = null;
        page = loaded.added > 0 ? await readBefore(id, first) : [];
      }
      if (started !== generation) return;
      olderInCache.value = page.length === messagePageSize;
      const shown = new Set(messages.value.map((message) => message.id));
      setWindow([...page.filter((message) => !shown.has(message.id)), ...messages.value]);
    } catch (cause) {
      if (started === generation) olderFailed.value = asApiError(cause);
    } finally {
      if (started === generation) loadingOlder.value = false;
    }
  }

  function readBefore(conversationId: string, first: MessageView | undefined): Promise<MessageView[]> {
    return call('listMessages', {
      conversationId,
      ...(first ? { before: positionOf(first) } : {}),
      limit: messagePageSize,
    });
  }

  /** After a jump: the messages after the last one shown. */
  async function loadNewer(): Promise<void> {
    const id = openId.value;
    const last = messages.value.at(-1);
    if (id === null || !last || !newerInCache.value || loadingMessages.value) return;
    const started = generation;
    loadingMessages.value = true;
    try {
      const page = await call('listMessages', {
        conversationId: id,
        after: positionOf(last),
        limit: messagePageSize,
      });
      if (started !== generation) return;
      const shown = new Set(messages.value.map((message) => message.id));
      setWindow([...messages.value, ...page.filter((message) => !shown.has(message.id))]);
      newerInCache.value = page.length === messagePageSize;
    } catch (cause) {
      if (started === generation) error.value = asApiError(cause);
    } finally {
      if (started === generation) loadingMessages.value = false;
    }
  }

  /**
   * Reads the shown stretch again after a change: from the first message shown on, up to the
   * newest (or, after a jump, up to the last one shown), so new messages join at the end.
   */
  async function refreshMessages(): Promise<void> {
    const id = openId.value;
    if (id === null) return;
    const first = messages.value[0];
    const last = messages.value.at(-1);
    if (!first || !last) {
      if (!loadingMessages.value) await open(id);
      return;
    }
    const started = generation;
    // Only the latest of overlapping refreshes may set the window: an earlier answer is older.
    const refresh = ++refreshes;
    try {
      const list: MessageView[] = [];
      let from: Position = { createdAt: first.createdAt, id: lowestId };
      for (;;) {
        const page = await call('listMessages', {
          conversationId: id,
          after: from,
          limit: maxMessagesPerCall,
        });
        if (started !== generation || refresh !== refreshes) return;
        list.push(...page);
        const end = page.at(-1);
        if (page.length < maxMessagesPerCall || !end) break;
        if (newerInCache.value && comparePositions(end, last) >= 0) break;
        from = positionOf(end);
      }
      // Older messages loaded meanwhile stay in front of the stretch read again.
      const olderLoaded = messages.value.filter((message) => comparePositions(message, first) < 0);
      const stretch = newerInCache.value
        ? list.filter((message) => comparePositions(message, last) <= 0)
        : list;
      setWindow([...olderLoaded, ...stretch]);
      error.value = null;
    } catch (cause) {
      if (started === generation) error.value = asApiError(cause);
    }
  }

  function sawTyping(conversationId: string, personId: string): void {
    if (personId === session.user?.id) return;
    const key = `${conversationId}/${personId}`;
    clearTimeout(typingTimers.get(key));
    typingTimers.set(
      key,
      setTimeout(() => {
        typingTimers.delete(key);
        setTyping(conversationId, personId, false);
      }, typingShownMs),
    );
    setTyping(conversationId, personId, true);
  }

  function setTyping(conversationId: string, personId: string, on: boolean): void {
    const others = (typing.value.get(conversationId) ?? []).filter((id) => id !== personId);
    const next = new Map(typing.value);
    const people = on ? [...others, personId] : others;
    if (people.length > 0) next.set(conversationId, people);
    else next.delete(conversationId);
    typing.value = next;
  }

  /** A person who sent a message has stopped typing it. */
  function stopTypingOfAuthors(list: readonly MessageView[]): void {
    for (const [conversationId, people] of typing.value) {
      for (const personId of people) {
        if (list.some((m) => m.conversationId === conversationId && m.authorId === personId && isRecent(m))) {
          clearTimeout(typingTimers.get(`${conversationId}/${personId}`));
          setTyping(conversationId, personId, false);
        }
      }
    }
  }

  function isRecent(message: MessageView): boolean {
    return Date.now() - Date.parse(message.createdAt) < typingShownMs;
  }

  function typingIn(conversationId: string): readonly string[] {
    return typing.value.get(conversationId) ?? [];
  }

  /**
   * Keeps the conversation list (and with it the unread total) current while signed in;
   * returns the unsubscribe function.
   */
  function followConversations(): () => void {
    void loadConversations();
    const stops = [
      onEvent('dataChanged', ({ changes }) => {
        const relevant = changes.filter((change) => conversationEntities.has(change.entity));
        if (relevant.length === 0) return;
        void refreshConversations(
          relevant.every((change) => change.ids !== null)
            ? [...new Set(relevant.flatMap((change) => change.ids ?? []))]
            : null,
        );
      }),
      onReconnected(() => void loadConversations()),
    ];
    return () => stops.forEach((stop) => stop());
  }

  /**
   * Whether a change may show in the open conversation: its messages (a change names their
   * conversations), or any outbox entry, whose state a message shows.
   */
  function touchesOpenConversation(changes: DataChanged['changes']): boolean {
    const id = openId.value;
    if (id === null) return false;
    const named = changes.find((change) => change.entity === 'conversation');
    const inOpenConversation = !named || named.ids === null || named.ids.includes(id);
    return changes.some(
      (change) => change.entity === 'outboxEntry' || (change.entity === 'message' && inOpenConversation),
    );
  }

  /** Follows the open conversation's messages and who is typing; returns the unsubscribe function. */
  function listen(): () => void {
    const stops = [
      onEvent('dataChanged', ({ changes }) => {
        if (touchesOpenConversation(changes)) {
          void refreshMessages().then(() => stopTypingOfAuthors(messages.value));
        }
      }),
      onEvent('typing', ({ conversationId, personId }) => sawTyping(conversationId, personId)),
      onReconnected(() => void refreshMessages()),
    ];
    return () => stops.forEach((stop) => stop());
  }

  /** Puts what a write returned into the window at once, without waiting for the change event. */
  function replaceMessage(updated: MessageView): void {
    if (updated.conversationId !== openId.value) return;
    const known = messages.value.some((message) => message.id === updated.id);
    if (known) {
      setWindow(messages.value.map((message) => (message.id === updated.id ? updated : message)));
    } else if (!newerInCache.value) {
      setWindow([...messages.value, updated].sort(comparePositions));
    }
  }

  async function send(draft: {
    conversationId: string;
    body: string;
    replyToId: string | null;
    attachments: string[];
  }): Promise<MessageView> {
    if (newerInCache.value && openId.value === draft.conversationId) await jumpToLatest();
    const sent = await call('sendMessage', draft);
    replaceMessage(sent);
    return sent;
  }

  async function edit(messageId: string, body: string): Promise<void> {
    replaceMessage(await call('editMessage', { messageId, body }));
  }

  async function remove(messageId: string): Promise<void> {
    replaceMessage(await call('deleteMessage', { messageId }));
  }

  async function react(messageId: string, emoji: string, on: boolean): Promise<void> {
    replaceMessage(await call('reactToMessage', { messageId, emoji, on }));
  }

  async function forward(sourceId: string, conversationId: string): Promise<void> {
    replaceMessage(await call('forwardMessage', { sourceId, conversationId }));
  }

  /** The user has seen the conversation up to this message; repeats and older ones are not sent. */
  async function markRead(message: MessageView): Promise<void> {
    const conversation = conversations.value.find((found) => found.id === message.conversationId);
    if (!conversation || message.delivery !== 'synced') return;
    const reported = reportedRead.get(conversation.id) ?? conversation.lastReadMessageId;
    if (reported === message.id) return;
    const previous = reported ? messages.value.find((found) => found.id === reported) : undefined;
    if (previous && comparePositions(previous, message) >= 0) return;
    reportedRead.set(conversation.id, message.id);
    try {
      await call('markConversationRead', { conversationId: conversation.id, messageId: message.id });
    } catch {
      reportedRead.delete(conversation.id);
    }
  }

  async function updateSettings(
    conversationId: string,
    settings: { muted?: boolean; pinned?: boolean },
  ): Promise<void> {
    replaceConversation(await call('updateConversationSettings', { conversationId, ...settings }));
  }

  async function saveDraft(conversationId: string, draft: ChatDraft | null): Promise<void> {
    await call('saveChatDraft', { conversationId, draft });
  }

  /** The direct conversation with a person (started on the server when there is none yet). */
  async function openDirect(personId: string): Promise<ConversationSummary> {
    const conversation = await call('openDirectConversation', { personId });
    replaceConversation(conversation);
    return conversation;
  }

  async function createGroup(title: string, memberIds: string[]): Promise<ConversationSummary> {
    const conversation = await call('createGroup', { title, memberIds });
    replaceConversation(conversation);
    return conversation;
  }

  /** Shows what a change to a group returned; null: the user left it. */
  function applyGroupChange(id: string, conversation: ConversationSummary | null): void {
    if (conversation) {
      replaceConversation(conversation);
      return;
    }
    dropConversation(id);
    if (openId.value === id) close();
  }

  async function renameGroup(conversationId: string, title: string): Promise<void> {
    applyGroupChange(conversationId, await call('updateGroup', { conversationId, title }));
  }

  /** A group's picture: one of the user's own image uploads, or null for none. */
  async function setGroupPicture(conversationId: string, pictureId: string | null): Promise<void> {
    applyGroupChange(conversationId, await call('updateGroup', { conversationId, pictureId }));
  }

  async function addMembers(conversationId: string, personIds: string[]): Promise<void> {
    applyGroupChange(conversationId, await call('addGroupMembers', { conversationId, personIds }));
  }

  /** Removing the user themself is leaving the group. */
  async function removeMember(conversationId: string, personId: string): Promise<void> {
    applyGroupChange(conversationId, await call('removeGroupMember', { conversationId, personId }));
  }

  async function setAdmin(conversationId: string, personId: string, admin: boolean): Promise<void> {
    applyGroupChange(conversationId, await call('setGroupAdmin', { conversationId, personId, admin }));
  }

  function reset(): void {
    close();
    conversations.value = [];
    conversationsLoaded.value = false;
    typing.value = new Map();
    typingTimers.forEach((timer) => clearTimeout(timer));
    typingTimers.clear();
    reportedRead.clear();
    error.value = null;
  }

  return {
    conversations,
    conversationsLoaded,
    openId,
    openConversation,
    messages,
    olderInCache,
    olderOnServer,
    newerInCache,
    loadingMessages,
    loadingOlder,
    olderFailed,
    error,
    dividerAfterId,
    highlightedId,
    typing,
    unreadTotal,
    loadConversations,
    refreshConversations,
    open,
    close,
    jumpTo,
    jumpToLatest,
    loadOlder,
    loadNewer,
    refreshMessages,
    typingIn,
    followConversations,
    listen,
    replaceMessage,
    send,
    edit,
    remove,
    react,
    forward,
    markRead,
    updateSettings,
    saveDraft,
    openDirect,
    createGroup,
    renameGroup,
    setGroupPicture,
    addMembers,
    removeMember,
    setAdmin,
    replaceConversation,
    reset,
  };
});
