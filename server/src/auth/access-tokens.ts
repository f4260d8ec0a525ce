import { webcrypto } from 'node:crypto';
import { Role } from '@flurfunk/protocol';
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';

export const maxAccessTokenTtlSeconds = 900;

const issuer = 'flurfunk';
const audience = 'flurfunk-api';
const algorithm = 'HS256';
/**
 * Server instances sharing the signing key may disagree on the time. jose refuses a token issued
 * more than this far in the future, so a small tolerance would sign users out whenever their
 * request reaches an instance whose clock is behind; it also lets a token live this much longer.
 */
const clockToleranceSeconds = 30;

/** Who a valid access token speaks for. */
export interface Principal {
  personId: string;
  deviceId: string;
  roles: Role[];
}

const Claims = z.object({ sub: z.uuid(), did: z.uuid(), roles: z.array(Role) });

export type VerifyResult = { ok: true; principal: Principal } | { ok: false; reason: 'expired' | 'invalid' };

/** Short-lived JWTs naming the person, their device and their roles. */
export class AccessTokens {
  /** Imported once: handing jose the raw bytes would import the key again for every token. */
  private readonly key: Promise<webcrypto.CryptoKey>;

  constructor(
    key: Uint8Array,
    readonly ttlSeconds: number,
  ) {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > maxAccessTokenTtlSeconds) {
      throw new Error(
        `access token lifetime must be 1…${maxAccessTokenTtlSeconds} seconds, got ${ttlSeconds}`,
      );
    }
    this.key = webcrypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
  }

  async sign(principal: Principal): Promise<string> {
    return new SignJWT({ did: principal.deviceId, roles: principal.roles })
      .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
      .setSubject(principal.personId)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(await this.key);
  }

  async verify(token: string): Promise<VerifyResult> {
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        issuer,
        audience,
        algorithms: [algorithm],
        requiredClaims: ['exp', 'iat', 'sub'],
        // A token that a bug minted with a far-away expiry is still dead 15 minutes after issue.
        // (No help against a leaked key: whoever holds it can write any issue time.)
        maxTokenAge: maxAccessTokenTtlSeconds,
        clockTolerance: clockToleranceSeconds,
      });
      const claims = Claims.safeParse(payload);
      if (!claims.success) return { ok: false, reason: 'invalid' };
      const { sub, did, roles } = claims.data;
      return { ok: true, principal: { personId: sub, deviceId: did, roles } };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
      return { ok: false, reason: 'invalid' };
    }
  }
}
