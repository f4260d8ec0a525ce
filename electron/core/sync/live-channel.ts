import {
  type LiveClientFrame,
  LiveCloseCode,
  type LivePresenceFrame,
  LiveServerFrame,
  type LiveTypingFrame,
} from '@flurfunk/protocol';
import { type RawData, WebSocket } from 'ws';
import { isCoreError } from '../errors.js';
import { logError } from '../log.js';
import { Backoff, type BackoffOptions, defaultBackoff } from './backoff.js';
import { WakeDetector } from './wake-detector.js';
import { sessionEndReason } from '../session/session-end.js';

export type LiveChannelState = 'connecting' | 'online' | 'offline';
/** Expired: the session ran out (sign in again). Revoked: the server signed this device out. */
export type SessionEndReason = 'expired' | 'revoked';

export interface LiveChannelOptions {
  /** `ws(s)://…/api/v1/live`, see `liveSocketUrl`. */
  url: string;
  /**
   * The access token for the upgrade request. With `rejected`, the server has just refused that
   * token: return a renewed one. May throw a CoreError: `session_expired` and `device_revoked` end
   * the channel (`onSessionEnded`), anything else counts as a failed attempt and is retried after a backoff.
   */
  getAccessToken(signal: AbortSignal, rejected?: string): Promise<string>;
  /** The server has committed changes up to this seq that the client may see. */
  onChanges(upTo: string): void;
  /** Someone else is typing in a conversation the user can see. */
  onTyping?(frame: LiveTypingFrame): void;
  /** Who of the watched people is online or went offline. */
  onPresence?(frame: LivePresenceFrame): void;
  /** A socket is open (the first one or after a reconnect): pull what was missed meanwhile. */
  onConnected(): void;
  onStateChange(state: LiveChannelState): void;
  /**
   * The server no longer accepts this session: revoked when it closed with 4401 or said the
   * device was signed out, expired when it refused a renewed token or the session ran out. The
   * channel has stopped for good and the caller signs the user out.
   */
  onSessionEnded(reason: SessionEndReason): void;
  /** The machine slept: pull. The channel reconnects by itself. */
  onWake?(): void;
  /** Waits between failed attempts; default 1 s growing to 60 s. */
  backoff?: BackoffOptions;
  /** Source of the backoff's jitter, in [0, 1); tests make it deterministic. */
  random?: () => number;
  /**
   * How long the server may say nothing (no frame, no heartbeat ping) before the socket counts as
   * dead. The server pings every 30 s by default, so the default allows for two missed pings.
   */
  silenceTimeoutMs?: number;
  /** How often the wall clock is checked for a jump that means the machine slept. */
  wakeCheckIntervalMs?: number;
  /** The wall clock, for the sleep check. */
  now?: () => number;
}

const defaultSilenceTimeoutMs = 75_000;
/** A server that has not answered the upgrade request after this long is not going to. */
const maxHandshakeMs = 15_000;
/** stop() waits this long for the server to answer the closing handshake before cutting the socket. */
const closeGraceMs = 1_000;
/** The server's frames are a few dozen bytes; anything huge is not the server talking. */
const maxFrameBytes = 64 * 1024;
const knownFrameTypes = new Set<string>(LiveServerFrame.options.map((frame) => frame.shape.type.value));

/** The live socket's address below a server address as normalized by normalizeServerUrl. */
export function liveSocketUrl(serverUrl: string): string {
  return `${serverUrl.replace(/^http/, 'ws')}/api/v1/live`;
}

/** How one socket ended, which decides what the channel does next. */
interface SocketEnd {
  /** The HTTP status with which the server refused the upgrade, if it did. */
  refusedWith?: number;
  retryAfterMs?: number;
  /** The server sent at least one frame: it accepted this client for real. */
  heardFrom: boolean;
  closeCode: number;
}

type Attempt =
  | { kind: 'stopped' }
  | { kind: 'ended for good'; reason: SessionEndReason }
  | { kind: 'failed'; retryAfterMs?: number }
  | { kind: 'ended'; token: string; end: SocketEnd };

/**
 * The client's end of `GET /api/v1/live` (protocol/src/live.ts): keeps one WebSocket to the
 * server open and says when to pull. It reconnects after every loss with exponential backoff and
 * full jitter, renews a rejected access token once, notices a socket that went silent (a NAT or
 * proxy that dropped the connection without a word) and a machine that slept, and gives up only
 * when the server says the device was signed out. There is never more than one socket, and none
 * after stop(). A stopped channel stays stopped: make a new one to connect again.
 */
export class LiveChannel {
  private currentState: LiveChannelState = 'offline';
  private running: Promise<void> | null = null;
  private readonly stopped = new AbortController();
  private readonly backoff: Backoff;
  private readonly maxBackoffMs: number;
  private readonly wake: WakeDetector;
  private socket: WebSocket | null = null;
  /** Ends the wait between attempts early. */
  private endWait: (() => void) | null = null;
  /** The next attempt starts without waiting (reconnectNow, wake). */
  private skipWait = false;

  constructor(private readonly options: LiveChannelOptions) {
    this.backoff = new Backoff(options.backoff ?? defaultBackoff, options.random);
    this.maxBackoffMs = (options.backoff ?? defaultBackoff).maxMs;
    this.wake = new WakeDetector({
      intervalMs: options.wakeCheckIntervalMs,
      now: options.now,
      onWake: () => {
        // The socket may have died unnoticed while the machine slept; a new one is cheap.
        this.reconnectNow();
        this.notify('onWake', () => this.options.onWake?.());
      },
    });
  }

  get state(): LiveChannelState {
    return this.currentState;
  }

  start(): void {
    if (this.running || this.stopped.signal.aborted) return;
    this.wake.start();
    this.running = this.run().catch((error: unknown) => logError('live channel', error));
  }

  /** Closes the socket and ends every timer; resolves once the socket is closed. No reconnect follows. */
  async stop(): Promise<void> {
    this.halt();
    const socket = this.socket;
    if (socket?.readyState === WebSocket.OPEN) {
      socket.close(1000, 'client stopped');
      const grace = setTimeout(() => socket.terminate(), closeGraceMs);
      socket.once('close', () => clearTimeout(grace));
    } else {
      socket?.terminate();
    }
    await this.running;
  }

  /**
   * Connects now instead of after the backoff (the network came back, the user asked). An open
   * socket is replaced, as it may have died unnoticed; an attempt under way is left to finish.
   */
  reconnectNow(): void {
    if (this.stopped.signal.aborted) return;
    this.backoff.reset();
    if (this.currentState === 'connecting') return;
    this.skipWait = true;
    this.endWait?.();
    this.socket?.terminate();
  }

  private halt(): void {
    this.stopped.abort();
    this.wake.stop();
    this.endWait?.();
  }

  private async run(): Promise<void> {
    /** The token the server refused on the last upgrade: the next attempt asks for a renewed one. */
    let rejected: string | undefined;
    while (!this.stopped.signal.aborted) {
      this.skipWait = false;
      this.setState('connecting');
      const attempt = await this.attempt(rejected);
      if (attempt.kind === 'stopped' || this.stopped.signal.aborted) break;
      if (attempt.kind === 'ended for good') {
        this.sessionEnded(attempt.reason);
        break;
      }
      let retryAfterMs = attempt.kind === 'failed' ? attempt.retryAfterMs : undefined;
      if (attempt.kind === 'ended') {
        const { end, token } = attempt;
        if (end.closeCode === LiveCloseCode.deviceRevoked) {
          this.sessionEnded('revoked');
          break;
        }
        if (end.refusedWith === 401) {
          if (rejected !== undefined) {
            // A token renewed a moment ago is refused too: the session is over.
            this.sessionEnded('expired');
            break;
          }
          rejected = token;
          continue;
        }
        rejected = undefined;
        if (end.heardFrom) this.backoff.reset();
        retryAfterMs = end.retryAfterMs;
      }
      this.setState('offline');
      await this.waitBeforeNextAttempt(retryAfterMs);
    }
    this.setState('offline');
  }

  /** Gets a token and keeps a socket open with it until the socket closes. */
  private async attempt(rejected: string | undefined): Promise<Attempt> {
    let token: string;
    try {
      token = await untilAborted(
        this.options.getAccessToken(this.stopped.signal, rejected),
        this.stopped.signal,
      );
    } catch (error) {
      if (this.stopped.signal.aborted) return { kind: 'stopped' };
      const ended = sessionEndReason(error);
      if (ended) return { kind: 'ended for good', reason: ended };
      if (!isCoreError(error)) logError('live channel access token', error);
      const retryAfterSeconds = isCoreError(error) ? error.retryAfterSeconds : undefined;
      return {
        kind: 'failed',
        retryAfterMs: retryAfterSeconds === undefined ? undefined : retryAfterSeconds * 1000,
      };
    }
    if (this.stopped.signal.aborted) return { kind: 'stopped' };
    return { kind: 'ended', token, end: await this.openSocket(token) };
  }

  private openSocket(token: string): Promise<SocketEnd> {
    const silenceTimeoutMs = this.options.silenceTimeoutMs ?? defaultSilenceTimeoutMs;
    return new Promise((resolve) => {
      const socket = new WebSocket(this.options.url, {
        // The token goes in a header only: URLs end up in proxy and server logs.
        headers: { authorization: `Bearer ${token}` },
        handshakeTimeout: Math.min(silenceTimeoutMs, maxHandshakeMs),
        maxPayload: maxFrameBytes,
        perMessageDeflate: false,
        followRedirects: false,
      });
      this.socket = socket;
      const end: SocketEnd = { heardFrom: false, closeCode: 1006 };
      let silence: NodeJS.Timeout | undefined;
      const heardFromServer = () => silence?.refresh();

      socket.on('unexpected-response', (_request, response) => {
        end.refusedWith = response.statusCode;
        end.retryAfterMs = retryAfterMs(response.headers['retry-after']);
        if (![401, 429, 502, 503, 504].includes(response.statusCode ?? 0)) {
          logError(
            'live channel',
            new Error(`the server refused the live socket with HTTP ${response.statusCode}`),
          );
        }
        response.resume();
        socket.terminate();
      });
      socket.on('open', () => {
        silence = setTimeout(() => socket.terminate(), silenceTimeoutMs);
        this.setState('online');
        this.notify('onConnected', () => this.options.onConnected());
      });
      socket.on('ping', heardFromServer);
      socket.on('pong', heardFromServer);
      socket.on('message', (data, isBinary) => {
        heardFromServer();
        end.heardFrom = true;
        this.receive(data, isBinary);
      });
      // Every failure also ends in 'close', which decides what happens next.
      socket.on('error', () => undefined);
      socket.on('close', (code) => {
        clearTimeout(silence);
        if (this.socket === socket) this.socket = null;
        end.closeCode = code;
        resolve(end);
      });
    });
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (isBinary || !Buffer.isBuffer(data)) return malformed('a binary frame');
    let value: unknown;
    try {
      value = JSON.parse(data.toString('utf8'));
    } catch {
      return malformed('a frame that is not JSON');
    }
    const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
    if (typeof type !== 'string') return malformed('a frame without a type');
    // A newer server may send frames this client does not know yet.
    if (!knownFrameTypes.has(type)) return;
    const parsed = LiveServerFrame.safeParse(value);
    if (!parsed.success) return malformed(`a malformed '${type}' frame`);
    const frame = parsed.data;
    if (frame.type === 'changes') this.notify('onChanges', () => this.options.onChanges(frame.upTo));
    else if (frame.type === 'typing') this.notify('onTyping', () => this.options.onTyping?.(frame));
    else this.notify('onPresence', () => this.options.onPresence?.(frame));
  }

  /** Sends a frame if the socket is open; false when it is not (ephemeral frames are not queued). */
  send(frame: LiveClientFrame): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  private sessionEnded(reason: SessionEndReason): void {
    this.halt();
    this.setState('offline');
    this.notify('onSessionEnded', () => this.options.onSessionEnded(reason));
  }

  private waitBeforeNextAttempt(retryAfterMs: number | undefined): Promise<void> {
    if (this.skipWait || this.stopped.signal.aborted) {
      this.skipWait = false;
      return Promise.resolve();
    }
    // A server that asks for a longer pause (Retry-After) gets it, up to the longest backoff.
    const delayMs = Math.max(this.backoff.nextDelayMs(), Math.min(retryAfterMs ?? 0, this.maxBackoffMs));
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, delayMs);
      // Waiting to reconnect never keeps a process alive.
      timer.unref();
      this.endWait = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => {
      this.endWait = null;
    });
  }

  private setState(state: LiveChannelState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.notify('onStateChange', () => this.options.onStateChange(state));
  }

  /** A failing callback is the caller's bug; it must not take the channel down with it. */
  private notify(callback: string, call: () => void): void {
    try {
      call();
    } catch (error) {
      logError(`live channel ${callback}`, error);
    }
  }
}

function malformed(what: string): void {
  logError('live channel', new Error(`the server sent ${what}; it was ignored`));
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** `promise`, or a rejection as soon as `signal` aborts (a caller that ignores the signal cannot hold up stop()). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
