import { TokenResponse } from '@flurfunk/protocol';
import type { LoginRequest, SessionUser } from '@flurfunk/protocol';
import type { z } from 'zod';
import { CoreError } from '../errors.js';
import type { Vault } from '../vault/vault.js';
import { errorFromResponse, parseResponse, sendRequest } from './http.js';
import type { ServerRequest, ServerResponse } from './http.js';

/** An access token this close to its expiry (or a fifth of its lifetime) is renewed before use. */
const renewBeforeExpiryMs = 30_000;

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

  constructor(
    readonly serverUrl: string,
    private readonly vault: Vault,
    private readonly refreshTokenAccount: string,
    initial?: TokenResponse,
  ) {
    if (initial) this.useTokens(initial);
  }

  /** GET with the user's access token, checked against `schema`. */
  async get<S extends z.ZodType>(
    path: string,
    schema: S,
    what: string,
    signal?: AbortSignal,
  ): Promise<z.output<S>> {
    return parseResponse(await this.authorizedRequest('GET', path, signal), schema, what);
  }

  /** Renews the tokens now and returns the user the server says they belong to. */
  async renew(): Promise<SessionUser> {
    return (await this.refresh()).user;
  }

  /** Tells the server to revoke this device. Best effort: offline, the local wipe still happens. */
  async logout(): Promise<void> {
    await this.authorizedRequest('POST', '/api/v1/auth/logout').catch(() => undefined);
  }

  /** Sends with the access token; when the server rejects it, renews it once and tries again. */
  private async authorizedRequest(
    method: ServerRequest['method'],
    path: string,
    signal?: AbortSignal,
  ): Promise<ServerResponse> {
    let token = await this.validAccessToken();
    let response = await sendRequest(this.serverUrl, { method, path, accessToken: token, signal });
    if (response.status === 401) {
      token = await this.accessTokenReplacing(token);
      response = await sendRequest(this.serverUrl, { method, path, accessToken: token, signal });
      if (response.status === 401) throw sessionExpired('the server rejects the renewed access token');
    }
    if (!isSuccess(response)) throw errorFromResponse(response, 'request');
    return response;
  }

  private async validAccessToken(): Promise<string> {
    if (this.accessToken !== null && Date.now() < this.accessTokenRenewAt) {
      return this.accessToken;
    }
    return (await this.refresh()).accessToken;
  }

  /** A token other than the rejected one: a refresh another request already did, or a new one. */
  private async accessTokenReplacing(rejected: string): Promise<string> {
    if (this.accessToken !== null && this.accessToken !== rejected) return this.accessToken;
    return (await this.refresh()).accessToken;
  }

  private refresh(): Promise<TokenResponse> {
    this.refreshing ??= this.rotateTokens().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async rotateTokens(): Promise<TokenResponse> {
    const refreshToken = await this.vault.get(this.refreshTokenAccount);
    if (refreshToken === null) throw sessionExpired('no refresh token is stored');
    const response = await sendRequest(this.serverUrl, {
      method: 'POST',
      path: '/api/v1/auth/refresh',
      body: { refreshToken },
    });
    // Revoked, reused or unknown: only a new sign-in helps.
    if (response.status === 401) throw sessionExpired('the server no longer accepts the refresh token');
    if (!isSuccess(response)) throw errorFromResponse(response, 'request');
    const tokens = parseResponse(response, TokenResponse, 'token response');
    await this.vault.set(this.refreshTokenAccount, tokens.refreshToken);
    this.useTokens(tokens);
    return tokens;
  }

  private useTokens(tokens: TokenResponse): void {
    this.accessToken = tokens.accessToken;
    const lifetimeMs = tokens.expiresIn * 1000;
    this.accessTokenRenewAt = Date.now() + lifetimeMs - Math.min(renewBeforeExpiryMs, lifetimeMs / 5);
  }
}

function isSuccess(response: ServerResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

function sessionExpired(detail: string): CoreError {
  return new CoreError('session_expired', `the session has expired: ${detail}`);
}
