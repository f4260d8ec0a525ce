/**
 * The renderer's one client of the contract. Everything else calls `call()` and `onEvent()`;
 * nothing else touches `window.flurfunk` or the bridge socket.
 */
import { contract, events } from '@flurfunk/protocol';
import type {
  EventName,
  EventPayload,
  FlurfunkApi,
  IpcResult,
  MethodArgs,
  MethodName,
  MethodResult,
} from '@flurfunk/protocol';
import { ApiError } from './ApiError.js';
import { bridgeUrl, createBrowserBridge, takeBridgeToken } from './browserBridge.js';

export { ApiError, BridgeDisconnectedError } from './ApiError.js';

let bridgeApi: FlurfunkApi | null = null;
/** The browser host's per-start token: its media route wants it too. Null under Electron. */
let bridgeToken: string | null = null;
const reconnectListeners = new Set<() => void>();

/** `window.flurfunk` under Electron, else the browser host's bridge; `null` when neither exists. */
function api(): FlurfunkApi | null {
  if (window.flurfunk) return window.flurfunk;
  if (bridgeApi) return bridgeApi;
  const token = takeBridgeToken(window.location, window.history, window.sessionStorage);
  if (!token) return null;
  bridgeToken = token;
  bridgeApi = createBrowserBridge({
    url: bridgeUrl(window.location, token),
    onReconnected: () => reconnectListeners.forEach((listener) => listener()),
  }).api;
  return bridgeApi;
}

/**
 * Connects to the host (taking the bridge token out of the address bar) and says whether one exists.
 * Call it before the router is created: hash history keeps the page's query string as its base.
 */
export function connectToHost(): boolean {
  return api() !== null;
}

function requireApi(): FlurfunkApi {
  const found = api();
  if (!found) throw new ApiError({ code: 'internal', message: 'No Flurfunk host is connected.' });
  return found;
}

/** Calls a contract method; returns its validated value or throws an ApiError. */
export async function call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
  const invoke = requireApi()[method] as (args: unknown) => Promise<IpcResult<unknown>>;
  const result = await invoke(args);
  if (!result.ok) throw new ApiError(result.error);
  const parsed = contract[method].result.safeParse(result.value);
  if (!parsed.success) {
    throw new ApiError({ code: 'internal', message: `The host sent an invalid result for ${method}.` });
  }
  return parsed.data as MethodResult<M>;
}

/** Subscribes to a core event; payloads that do not match the contract are dropped, never delivered. */
export function onEvent<E extends EventName>(
  event: E,
  listener: (payload: EventPayload<E>) => void,
): () => void {
  return requireApi().on(event, (payload: unknown) => {
    const parsed = events[event].safeParse(payload);
    if (parsed.success) listener(parsed.data as EventPayload<E>);
    else console.warn(`flurfunk: dropped an invalid ${event} event`);
  });
}

/** Called after the browser bridge reconnected, so stores can refetch what they may have missed. */
export function onReconnected(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

/**
 * Where the host serves the app's media (files from the core's encrypted cache): `/media/…` on the
 * app's own origin, with the browser host's token when it is that host. `query` is added to it.
 */
export function mediaAddress(path: string, query: Record<string, string> = {}): string {
  api();
  const params = new URLSearchParams(query);
  if (bridgeToken !== null) params.set('token', bridgeToken);
  const search = params.toString();
  return `/media/${path}${search ? `?${search}` : ''}`;
}
