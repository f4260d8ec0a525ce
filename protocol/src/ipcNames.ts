/**
 * The names of the contract's methods and events, and the IPC channels that carry them, without
 * zod: the sandboxed preload imports only this file, so its bundle stays small.
 */
export const methodNames = [
  'getAppInfo',
  'getSession',
  'login',
  'logout',
  'listPeople',
  'getPerson',
  'getSyncStatus',
  'syncNow',
] as const;
export type MethodName = (typeof methodNames)[number];

export const eventNames = ['sessionChanged', 'syncStatusChanged', 'directoryChanged', 'notice'] as const;
export type EventName = (typeof eventNames)[number];

export const ipcChannels = { invoke: 'flurfunk:invoke', event: 'flurfunk:event' } as const;
