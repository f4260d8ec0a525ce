import { setTimeout as delay } from 'node:timers/promises';
import { TokenResponse } from '@flurfunk/protocol';
import type { LoginRequest, SessionUser } from '@flurfunk/protocol';
import type { z } from 'zod';
import { CoreError, isCoreError } from '../errors.js';
import type { Vault } from '../vault/vault.js';
import {
  errorFromResponse,
  maxResponseBytes,
  parseJson,
  parseResponse,
  readCappedBytes,
  sendRequest,
  serverErrorCode,
} from './http.js';
import type { ServerRequest, ServerResponse } from './http.js';

/** An access token this close to its expiry (or a fifth of its lifetime) is renewed before use. */
const renewBeforeExpiryMs = 30_000;
/** An upload or download may take this long before the server counts as unreachable. */
const transferTimeoutMs = 10 * 60_000;
/** Signing out waits this long at most for the server to revoke the device; the local wipe follows anyway. */
const revokeTimeoutMs = 5_000;
/**
 * Waits before presenting a refresh token again whose answer was lost. The server may have rotated
 * it already and forgives presenting it again only for a short while (20 s), so this cannot wait
 * for the next sync.
 */
const refreshRetryDelaysMs = [1_000, 3_000];

/** Signs in with a password. Wrong credentials, rate limits and outages come back as typed errors. */
export async function loginWithPassword(serverUrl: string, request: LoginRequest): Promise<TokenResponse> {
  const response = await sendRequest(serverUrl, {
    method: 'POST',
    path: '/api/v1/auth/login',
    body: request,
  });
  if (!isSuccess(response)) throw errorFromResponse(response, 'login');
  return parseResponse(response, TokenResponse, 'login response');
}

/** Revokes the session of a sign-in that is given up before it was used. Best effort. */
export async function revokeSession(serverUrl: string, tokens: TokenResponse): Promise<void> {
  await sendRequest(serverUrl, {
    method: 'POST',
    path: '/api/v1/auth/logout',
    accessToken: tokens.accessToken,
    signal: AbortSignal.timeout(revokeTimeoutMs),
  }).catch(() => undefined);
}

/**
 * Authorized requests for one signed-in user. The access token lives only in memory; the refresh
 * token only in the vault. Refreshing rotates the refresh token, and the new one is stored before
 * the new access token is used, so a crash cannot leave the vault with a token the server has
 * already replaced. Concurrent requests share one refresh.
 */
export class ServerSession {
  private accessToken: string | null = null;
  private accessTokenRenewAt = 0;
  private refreshing: Promise<TokenResponse> | null = null;
  /** Aborted once the user signed out: cancels a refresh under way and keeps its tokens from being stored. */
  private readonly ended = new AbortController();
  /** Aborted once nobody waits for a lost refresh to be retried any more (sign-out, closing). */
  private readonly retriesStopped = new AbortController();

  constructor(
    readonly serverUrl: string,
    private readonly vault: Vault,
    private readonly refreshTokenAccount: string,
    initial?: TokenResponse,
  ) {
    if (initial) this.useTokens(initial);
  }

  /**
   * GET with the user's access token, checked against `schema`. `onSent` is called once the
   * request has left (again if it is repeated with a renewed token).
   */
  async get<S extends z.ZodType>(
    path: string,
    schema: S,
    what: string,
    signal?: AbortSignal,
    onSent?: () => void,
  ): Promise<z.output<S>> {
    return parseResponse(await this.authorizedRequest('GET', path, signal, undefined, onSent), schema, what);
  }

  /** POST a JSON body with the user's access token; the answer is checked against `schema`. */
  async post<S extends z.ZodType>(
    path: string,
    body: unknown,
    schema: S,
    what: string,
    signal?: AbortSignal,
  ): Promise<z.output<S>> {
    return parseResponse(await this.authorizedRequest('POST', path, signal, body), schema, what);
  }

  /** PUT or DELETE (an admin's change) with the access token; the answer is checked against `schema`. */
  async change<S extends z.ZodType>(
    method: 'PUT' | 'DELETE',
    path: string,
    body: unknown,
    schema: S,
    what: string,
  ): Promise<z.output<S>> {
    return parseResponse(await this.authorizedRequest(method, path, undefined, body), schema, what);
  }

  /**
   * A request whose body or answer is not JSON (file bytes), with the access token, renewed once
   * if the server refuses it. Anything but a 2xx answer becomes the error the user sees.
   */
  async transfer(path: string, signal: AbortSignal | undefined, init: RequestInit): Promise<Response> {
    const timeout = AbortSignal.timeout(transferTimeoutMs);
    const aborted = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let token = await this.accessTokenFor(aborted);
    for (let attempt = 0; ; attempt += 1) {
      let response: Response;
      try {
        response = await fetch(`${this.serverUrl}${path}`, {
          ...init,
          headers: { ...init.headers, authorization: `Bearer ${token}` },
          signal: aborted,
          redirect: 'error',
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new CoreError(
          'unreachable',
          timeout.aborted ? 'the file transfer took too long' : 'the server cannot be reached',
        );
      }
      if (response.ok) return response;
      if (response.status === 401 && attempt === 0) {
        await response.body?.cancel();
        token = await this.accessTokenFor(aborted, token);
        continue;
      }
      throw errorFromResponse(
        {
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          body: parseJson(
            (await readCappedBytes(response, maxResponseBytes).catch(() => Buffer.alloc(0))).toString('utf8'),
          ),
        },
        'request',
      );
    }
  }

  /**
   * An access token for a request this class does not send itself (the live socket's upgrade).
   * With `rejected`, the server refused that token: a renewed one is returned.
   */
  accessTokenFor(signal: AbortSignal, rejected?: string): Promise<string> {
    return rejected === undefined
      ? this.validAccessToken(signal)
      : this.accessTokenReplacing(rejected, signal);
  }

  /** Renews the tokens now and returns the user the server says they belong to. */
  async renew(): Promise<SessionUser> {
    return (await this.refresh()).user;
  }

  /**
   * Tells the server to revoke this device, then ends the session: no token is renewed or stored
   * after this. Best effort: offline, the local wipe still happens.
   */
  async logout(): Promise<void> {
    // Signing out never waits seconds for a lost refresh to be retried: the local wipe matters more.
    this.retriesStopped.abort();
    await this.authorizedRequest('POST', '/api/v1/auth/logout', AbortSignal.timeout(revokeTimeoutMs)).catch(
      () => undefined,
    );
    this.ended.abort();
    // A refresh that was already storing its token finishes before the caller deletes the secrets.
    await this.refreshing?.catch(() => undefined);
  }

  /**
   * The session is no longer used (the core is closing, or the server ended the session): a lost
   * refresh is not retried. A refresh under way still stores its token.
   */
  stopRetrying(): void {
    this.retriesStopped.abort();
  }

  /** Sends with the access token; when the server rejects it, renews it once and tries again. */
  private async authorizedRequest(
    method: ServerRequest['method'],
    path: string,
    signal?: AbortSignal,
    body?: unknown,
    onSent?: () => void,
  ): Promise<ServerResponse> {
    const request = { method, path, body, signal, onSent };
    let token = await this.validAccessToken(signal);
    let response = await sendRequest(this.serverUrl, { ...request, accessToken: token });
    if (response.status === 401) {
      token = await this.accessTokenReplacing(token, signal);
      response = await sendRequest(this.serverUrl, { ...request, accessToken: token });
      if (response.status === 401) throw sessionExpired('the server rejects the renewed access token');
    }
    if (!isSuccess(response)) throw errorFromResponse(response, 'request');
    return response;
  }

  private async validAccessToken(signal?: AbortSignal): Promise<string> {
    if (this.accessToken !== null && Date.now() < this.accessTokenRenewAt) {
      return this.accessToken;
    }
    return (await this.refresh(signal)).accessToken;
  }

  /** A token other than the rejected one: a refresh another request already did, or a new one. */
  private async accessTokenReplacing(rejected: string, signal?: AbortSignal): Promise<string> {
    if (this.accessToken !== null && this.accessToken !== rejected) return this.accessToken;
    return (await this.refresh(signal)).accessToken;
  }

  /**
   * The shared refresh. `signal` only stops this caller's wait: the refresh itself goes on for the
   * other callers, and its rotated token must be stored, or the next refresh would present the
   * replaced one and the server would revoke the session as a token reuse.
   */
  private refresh(signal?: AbortSignal): Promise<TokenResponse> {
    this.refreshing ??= this.rotateTokens().finally(() => {
      this.refreshing = null;
    });
    return untilAborted(this.refreshing, signal);
  }

  private async rotateTokens(): Promise<TokenResponse> {
    const refreshToken = await this.vault.get(this.refreshTokenAccount);
    if (refreshToken === null) throw sessionExpired('no refresh token is stored');
    const response = await this.presentRefreshToken(refreshToken);
    // Revoked, reused or unknown: only a new sign-in helps.
    if (response.status === 401) {
      const code = serverErrorCode(response);
      if (code === 'device_revoked' || code === 'token_reused') {
        throw new CoreError('device_revoked', 'the server signed this device out');
      }
      throw sessionExpired('the server no longer accepts the refresh token');
    }
    if (!isSuccess(response)) throw errorFromResponse(response, 'request');
    const tokens = parseResponse(response, TokenResponse, 'token response');
    if (this.ended.signal.aborted) throw sessionExpired('the user signed out');
    await this.vault.set(this.refreshTokenAccount, tokens.refreshToken);
    this.useTokens(tokens);
    return tokens;
  }

  /**
   * Sends the refresh request. When its answer is lost (`unreachable`), the server may have
   * rotated the token without the client hearing of it: the same token is presented again soon,
   * while the server still takes that as a retry and not as a reuse. After the last retry the
   * server counts as unreachable, as for any request.
   */
  private async presentRefreshToken(refreshToken: string): Promise<ServerResponse> {
    for (let retry = 0; ; retry++) {
      try {
        return await sendRequest(this.serverUrl, {
          method: 'POST',
          path: '/api/v1/auth/refresh',
          body: { refreshToken },
          signal: this.ended.signal,
        });
      } catch (error) {
        const wait = refreshRetryDelaysMs[retry];
        if (wait === undefined || !isCoreError(error, 'unreachable')) throw error;
        const stopped = await delay(wait, false, { signal: this.retriesStopped.signal }).catch(() => true);
        if (stopped) throw error;
      }
    }
  }

  private useTokens(tokens: TokenResponse): void {
    this.accessToken = tokens.accessToken;
    const lifetimeMs = tokens.expiresIn * 1000;
    this.accessTokenRenewAt = Date.now() + lifetimeMs - Math.min(renewBeforeExpiryMs, lifetimeMs / 5);
  }
}

/** `promise`, or a rejection as soon as `signal` aborts (the work behind `promise` goes on). */
function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function isSuccess(response: ServerResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

function sessionExpired(detail: string): CoreError {
  return new CoreError('session_expired', `the session has expired: ${detail}`);
}
