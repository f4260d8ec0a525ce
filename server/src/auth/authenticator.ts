import type { FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error.js';
import type { AccessTokens, Principal } from './access-tokens.js';
import type { Accounts } from './accounts.js';
import type { Sessions } from './sessions.js';

/** Turns `Authorization: Bearer <access token>` into a principal, or fails with a 401/403. */
export class Authenticator {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly sessions: Sessions,
    private readonly accounts: Accounts,
  ) {}

  async authenticate(request: FastifyRequest): Promise<Principal> {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(request.headers.authorization ?? '');
    if (!match?.[1]) throw new ApiError(401, 'unauthorized', 'Missing bearer access token');
    const result = await this.accessTokens.verify(match[1]);
    if (!result.ok) {
      throw result.reason === 'expired'
        ? new ApiError(401, 'token_expired', 'Access token has expired; refresh it')
        : new ApiError(401, 'unauthorized', 'Access token is invalid');
    }
    if (!(await this.sessions.isActive(result.principal.deviceId))) {
      throw new ApiError(401, 'device_revoked', 'This device has been signed out');
    }
    return result.principal;
  }

  /**
   * Like `authenticate`, and the person must hold `role` now: the roles are read from the
   * database, not the token, so a role taken away stops working at once instead of when the
   * token expires.
   */
  authenticateWithRole(request: FastifyRequest, role: Principal['roles'][number]): Promise<Principal> {
    return this.authenticateWithAnyRole(request, [role]);
  }

  /** Like `authenticateWithRole`, for work that any of `roles` allows. */
  async authenticateWithAnyRole(
    request: FastifyRequest,
    roles: readonly Principal['roles'][number][],
  ): Promise<Principal> {
    const principal = await this.authenticate(request);
    const held = (await this.accounts.findByPersonId(principal.personId))?.user.roles ?? [];
    if (!roles.some((role) => held.includes(role))) {
      throw new ApiError(403, 'forbidden', `This needs the ${roles.join(' or ')} role`);
    }
    return { ...principal, roles: held };
  }
}
