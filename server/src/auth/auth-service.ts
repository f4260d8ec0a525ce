import type { LoginRequest, SessionUser, TokenResponse } from '@flurfunk/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.js';
import { ApiError } from '../http/api-error.js';
import type { AccessTokens, Principal } from './access-tokens.js';
import { type Accounts, normalizeUsername } from './accounts.js';
import type { LoginThrottle } from './login-throttle.js';
import { passwordNeedsRehash, type PasswordVerifier } from './passwords.js';
import type { Sessions } from './sessions.js';

const invalidCredentials = () => new ApiError(401, 'invalid_credentials', 'Username or password is wrong');

/** Sign-in, token refresh and sign-out. */
export class AuthService {
  constructor(
    private readonly deps: {
      db: Database;
      accounts: Accounts;
      sessions: Sessions;
      throttle: LoginThrottle;
      passwords: PasswordVerifier;
      accessTokens: AccessTokens;
      log: FastifyBaseLogger;
    },
  ) {}

  /** `stillWanted` is false once the client has gone away; its password is then not checked. */
  async login(request: LoginRequest, stillWanted: () => boolean): Promise<TokenResponse> {
    const { db, accounts, sessions, throttle, passwords } = this.deps;
    const username = normalizeUsername(request.username);

    const attempt = await throttle.begin(username);
    if (!attempt.allowed) {
      throw new ApiError(
        429,
        'rate_limited',
        `Too many failed sign-in attempts for this username. Try again in ${Math.ceil(attempt.retryAfterSeconds / 60)} minute(s).`,
        { 'retry-after': String(attempt.retryAfterSeconds) },
      );
    }

    const account = await accounts.findByUsername(username);
    const valid = await passwords.verify(account?.passwordHash ?? null, request.password, stillWanted);
    // A wrong password leaves its attempt counted.
    if (!account || !valid) throw invalidCredentials();

    const { deviceId, refreshToken } = await db.transaction(async (tx) => {
      await throttle.succeeded(tx, username);
      return sessions.open(tx, account.user.id, request.deviceName);
    });
    await this.upgradePasswordHash(account.user.id, account.passwordHash, request.password);
    return this.tokenResponse(account.user, deviceId, refreshToken);
  }

  async refresh(refreshToken: string): Promise<TokenResponse> {
    const outcome = await this.deps.sessions.refresh(refreshToken);
    if (outcome.status === 'reused') {
      throw new ApiError(
        401,
        'token_reused',
        'Refresh token was already used; this device has been signed out',
      );
    }
    if (outcome.status === 'revoked') {
      throw new ApiError(401, 'device_revoked', 'This device has been signed out');
    }
    if (outcome.status === 'invalid') {
      throw new ApiError(401, 'unauthorized', 'Refresh token is invalid or expired');
    }
    const account = await this.deps.accounts.findByPersonId(outcome.personId);
    if (!account) throw new ApiError(401, 'unauthorized', 'The account no longer exists');
    return this.tokenResponse(account.user, outcome.deviceId, outcome.refreshToken);
  }

  logout(principal: Principal): Promise<void> {
    return this.deps.sessions.revoke(principal.deviceId);
  }

  private async tokenResponse(
    user: SessionUser,
    deviceId: string,
    refreshToken: string,
  ): Promise<TokenResponse> {
    const { accessTokens } = this.deps;
    const accessToken = await accessTokens.sign({ personId: user.id, deviceId, roles: user.roles });
    return { accessToken, refreshToken, expiresIn: accessTokens.ttlSeconds, user };
  }

  /**
   * Stored hashes follow the current cost parameters the next time their owner signs in. The
   * sign-in has succeeded by then, so a busy server skips the upgrade rather than failing it.
   */
  private async upgradePasswordHash(
    personId: string,
    storedHash: string | null,
    password: string,
  ): Promise<void> {
    if (storedHash === null || !passwordNeedsRehash(storedHash)) return;
    const { accounts, passwords, log } = this.deps;
    try {
      await accounts.setPasswordHash(personId, await passwords.hash(password));
      log.info({ personId }, 'upgraded password hash parameters');
    } catch (err) {
      log.warn({ err, personId }, 'password hash upgrade skipped; retried at the next sign-in');
    }
  }
}
