/**
 * The object the preload exposes as `window.flurfunk`: one function per contract method and `on`
 * for contract events, nothing else. No `electron` import: unit-tested in plain Node.
 */
import type { EventName, FlurfunkApi, IpcResult, MethodName } from '@flurfunk/protocol';
import { eventNames, isEventName, methodNames } from '../../protocol/src/ipcNames.js';

/** Sends one contract call to the main process. */
export type Invoke = (method: MethodName, args: unknown) => Promise<IpcResult<unknown>>;
/** Starts delivering every core event, by name, to `dispatch`. Called once. */
export type Subscribe = (dispatch: (event: string, payload: unknown) => void) => void;

type Listener = (payload: unknown) => void;

export function createFlurfunkApi(invoke: Invoke, subscribe: Subscribe): FlurfunkApi {
  const listeners = new Map<EventName, Set<Listener>>(eventNames.map((name) => [name, new Set()]));

  subscribe((event, payload) => {
    if (!isEventName(event)) return;
    for (const listener of listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        // One failing listener must not starve the others of the event.
        console.error(`Flurfunk: a listener for "${event}" failed`, error);
      }
    }
  });

  const api: Record<string, unknown> = {};
  for (const method of methodNames) {
    // The contract promises a typed result, never a rejection, even if IPC itself fails.
    api[method] = (args: unknown) =>
      invoke(method, args).catch((error: unknown): IpcResult<never> => ({
        ok: false,
        error: {
          code: 'internal',
          message: `IPC failed: ${error instanceof Error ? error.message : String(error)}`,
        },
      }));
  }
  api.on = (event: unknown, listener: unknown): (() => void) => {
    if (!isEventName(event)) throw new TypeError(`Unknown Flurfunk event: ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('A Flurfunk event listener must be a function.');
    // A wrapper per subscription, so subscribing the same function twice needs two unsubscribes.
    const entry: Listener = (payload) => listener(payload);
    const subscribers = listeners.get(event);
    subscribers?.add(entry);
    return () => {
      subscribers?.delete(entry);
    };
  };
  return api as FlurfunkApi;
}
