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
    listPeople: async (args) => sessions.requireActive().directory.listPeople(args),
    getPerson: async ({ id }) => sessions.requireActive().directory.getPerson(id),
    getSyncStatus: async () => sessions.syncStatus(),
    syncNow: () => sessions.requireActive().sync.syncNow(),
    getNotices: async () => notices.list(),
    dismissNotice: async ({ id }) => notices.dismiss(id),
  });

  return {
    invoke,
    onEvent: (listener) => events.subscribe(listener),
    close: () => sessions.close(),
  };
}
