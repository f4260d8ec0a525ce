import type { EventName, IpcResult } from '@flurfunk/protocol';
import { createDispatcher } from './contract/dispatcher.js';
import { EventHub } from './events.js';
import { SessionManager } from './session/session-manager.js';
import { KeytarVault } from './vault/keytar-vault.js';
import type { Vault } from './vault/vault.js';

export interface CoreOptions {
  /** The user-data dir; caches live under `${dataDir}/cache/`. */
  dataDir: string;
  /** Sent at sign-in; the server binds the refresh token to it. */
  deviceName: string;
  appVersion: string;
  host: 'electron' | 'browser';
  /** Pre-filled on the login screen (demo or policy). */
  defaultServerUrl: string | null;
  /** Default: the OS keychain. A `MemoryVault` keeps secrets for this process only (kiosk). */
  vault?: Vault;
  /** Periodic pull interval; default 30 s. */
  syncIntervalMs?: number;
}

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
  const sessions = new SessionManager({
    dataDir: options.dataDir,
    deviceName: options.deviceName,
    vault: options.vault ?? new KeytarVault(),
    syncIntervalMs: options.syncIntervalMs ?? defaultSyncIntervalMs,
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
  });

  return {
    invoke,
    onEvent: (listener) => events.subscribe(listener),
    close: () => sessions.close(),
  };
}
