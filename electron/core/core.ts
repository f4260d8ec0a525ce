import type { EventName, IpcResult } from '@flurfunk/protocol';
import { createDispatcher } from './contract/dispatcher.js';
import type { CoreOptions } from './core-options.js';
import { EventHub } from './events.js';
import { NoticeBoard } from './notices/notice-board.js';
import { SessionManager } from './session/session-manager.js';
import { KeytarVault } from './vault/keytar-vault.js';

export type { CoreOptions } from './core-options.js';

export interface Core {
  /** Calls a contract method; always resolves, failures as typed errors. */
  invoke(method: string, args: unknown): Promise<IpcResult<unknown>>;
  /** Payloads match the contract's `events`. Returns the unsubscribe function. */
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void;
  close(): Promise<void>;
}

const defaultSyncIntervalMs = 30_000;

/** Starts the core in this process: restores the last session, then serves the contract. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const events = new EventHub();
  const notices = new NoticeBoard((list) => events.emit('noticesChanged', list));
  const sessions = new SessionManager({
    dataDir: options.dataDir,
    deviceName: options.deviceName,
    vault: options.vault ?? new KeytarVault(),
    syncIntervalMs: options.syncIntervalMs ?? defaultSyncIntervalMs,
    live: options.live,
    notices,
    emit: (event, payload) => events.emit(event, payload),
  });
  await sessions.restore();

  const invoke = createDispatcher({
    getAppInfo: async () => ({
      version: options.appVersion,
      host: options.host,
      defaultServerUrl: options.defaultServerUrl,
    }),
    getSession: async () => sessions.state(),
    login: (args) => sessions.login(args),
    logout: () => sessions.logout(),
    listPeople: async (args) => sessions.requireActive().data.directory.listPeople(args),
    getPerson: async ({ id }) => sessions.requireActive().data.directory.getPerson(id),
    getSyncStatus: async () => sessions.syncStatus(),
    syncNow: () => sessions.requireActive().data.syncNow(),
    listConversations: async () => sessions.requireActive().data.chat.listConversations(),
    listMessages: async ({ conversationId, before, limit }) =>
      sessions.requireActive().data.chat.listMessages(conversationId, limit, before),
    sendMessage: async (args) =>
      sessions.requireActive().data.write((w, changes) => w.sendMessage(args, changes)),
    editMessage: async (args) =>
      sessions.requireActive().data.write((w, changes) => w.editMessage(args, changes)),
    deleteMessage: async (args) => {
      sessions.requireActive().data.write((w, changes) => w.deleteMessage(args, changes));
      return null;
    },
    sendTyping: async ({ conversationId }) => {
      sessions.requireActive().data.sendTyping(conversationId);
      return null;
    },
    watchPresence: async ({ personIds }) => ({
      online: sessions.requireActive().data.watchPresence(personIds),
    }),
    listOutbox: async () => sessions.requireActive().data.listOutbox(),
    retryOutboxEntry: async ({ id }) => sessions.requireActive().data.retryOutboxEntry(id),
    discardOutboxEntry: async ({ id }) => sessions.requireActive().data.discardOutboxEntry(id),
    getNotices: async () => notices.list(),
    dismissNotice: async ({ id }) => notices.dismiss(id),
  });

  return {
    invoke,
    onEvent: (listener) => events.subscribe(listener),
    close: () => sessions.close(),
  };
}
