/**
 * The contract over the browser host's WebSocket (`/bridge?token=…`), for when the renderer runs in
 * a plain browser instead of Electron. It rebuilds the same FlurfunkApi object the preload exposes.
 */
import { BridgeReply, methodNames } from '@flurfunk/protocol';
import type { BridgeCall, EventName, FlurfunkApi, IpcResult } from '@flurfunk/protocol';
import { BridgeDisconnectedError } from './ApiError.js';

const tokenStorageKey = 'flurfunk.bridgeToken';
const maxBackoffMs = 10_000;

/** Parses one frame from the host; anything that is not a valid reply or event yields `null`. */
export function parseBridgeReply(data: unknown): BridgeReply | null {
  if (typeof data !== 'string') return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = BridgeReply.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/**
 * The host prints a URL with `?token=`. Take it out of the address bar (so it is not bookmarked,
 * shared or kept in history) and remember it for reloads of this tab only.
 */
export function takeBridgeToken(
  location: Pick<Location, 'search' | 'pathname' | 'hash'>,
  history: Pick<History, 'replaceState' | 'state'>,
  storage: Pick<Storage, 'getItem' | 'setItem'>,
): string | null {
  const params = new URLSearchParams(location.search);
  const token = params.get('token');
  if (token) {
    storage.setItem(tokenStorageKey, token);
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
    return token;
  }
  return storage.getItem(tokenStorageKey);
}

export function bridgeUrl(location: Pick<Location, 'protocol' | 'host'>, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/bridge?token=${encodeURIComponent(token)}`;
}

type WebSocketConstructor = new (url: string) => WebSocket;

export interface BrowserBridgeOptions {
  url: string;
  WebSocketImpl?: WebSocketConstructor;
  /** Called after the socket came back following a drop: events may have been missed meanwhile. */
  onReconnected?: () => void;
}

export interface BrowserBridge {
  api: FlurfunkApi;
  close(): void;
}

interface Pending {
  resolve: (result: IpcResult<unknown>) => void;
  reject: (error: Error) => void;
}

export function createBrowserBridge(options: BrowserBridgeOptions): BrowserBridge {
  const WebSocketImpl = options.WebSocketImpl ?? WebSocket;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const inFlight = new Map<number, Pending>();
  const queued: { frame: BridgeCall; pending: Pending }[] = [];
  let nextId = 0;
  let socket: WebSocket | null = null;
  let open = false;
  let closed = false;
  let failedAttempts = 0;
  let hasConnectedBefore = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  function send(frame: BridgeCall, pending: Pending): void {
    inFlight.set(frame.id, pending);
    socket?.send(JSON.stringify(frame));
  }

  function handleMessage(data: unknown): void {
    const reply = parseBridgeReply(data);
    if (!reply) {
      console.warn('flurfunk bridge: ignored a malformed frame');
      return;
    }
    if ('id' in reply) {
      const pending = inFlight.get(reply.id);
      inFlight.delete(reply.id);
      pending?.resolve(reply.result as IpcResult<unknown>);
      return;
    }
    for (const listener of listeners.get(reply.event) ?? []) listener(reply.payload);
  }

  function failOutstanding(): void {
    const waiting = [...inFlight.values(), ...queued.splice(0).map((q) => q.pending)];
    inFlight.clear();
    for (const pending of waiting) pending.reject(new BridgeDisconnectedError());
  }

  function connect(): void {
    const ws = new WebSocketImpl(options.url);
    socket = ws;
    ws.addEventListener('open', () => {
      open = true;
      failedAttempts = 0;
      for (const { frame, pending } of queued.splice(0)) send(frame, pending);
      if (hasConnectedBefore) options.onReconnected?.();
      hasConnectedBefore = true;
    });
    ws.addEventListener('message', (event: MessageEvent) => handleMessage(event.data));
    ws.addEventListener('close', () => {
      open = false;
      socket = null;
      failOutstanding();
      if (closed) return;
      const delay = Math.min(maxBackoffMs, 250 * 2 ** failedAttempts);
      failedAttempts += 1;
      reconnectTimer = setTimeout(connect, delay);
    });
  }

  function invoke(method: string, args: unknown): Promise<IpcResult<unknown>> {
    return new Promise((resolve, reject) => {
      if (closed) {
        reject(new BridgeDisconnectedError());
        return;
      }
      const frame: BridgeCall = { id: nextId++, method, args };
      if (open) send(frame, { resolve, reject });
      else queued.push({ frame, pending: { resolve, reject } });
    });
  }

  const methods = Object.fromEntries(
    methodNames.map((method) => [method, (args: unknown) => invoke(method, args)]),
  );
  const api = {
    ...methods,
    on(event: EventName, listener: (payload: unknown) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  } as unknown as FlurfunkApi;

  connect();
  return {
    api,
    close() {
      closed = true;
      clearTimeout(reconnectTimer);
      socket?.close();
      failOutstanding();
    },
  };
}
