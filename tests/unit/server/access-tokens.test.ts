import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AccessTokens } from '../../../server/src/auth/access-tokens.js';
import { parseSigningKey } from '../../../server/src/auth/signing-key.js';

const principal = {
  personId: '6f1c9a52-3d4e-4b7a-9c2d-1e0f3a4b5c6d',
  deviceId: '0b7f3c1e-5d2a-4c8e-9f10-2a3b4c5d6e7f',
  roles: ['employee' as const, 'editor' as const],
};

describe('access tokens', () => {
  const key = new Uint8Array(randomBytes(32));

  it('carry person, device and roles', async () => {
    const tokens = new AccessTokens(key, 900);
    expect(await tokens.verify(await tokens.sign(principal))).toEqual({ ok: true, principal });
  });

  it('are refused when signed with another key or tampered with', async () => {
    const token = await new AccessTokens(new Uint8Array(randomBytes(32)), 900).sign(principal);
    expect(await new AccessTokens(key, 900).verify(token)).toEqual({ ok: false, reason: 'invalid' });
    expect(await new AccessTokens(key, 900).verify('a.b.c')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('are reported as expired after their lifetime', async () => {
    const expired = await new SignJWT({ did: principal.deviceId, roles: principal.roles })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(principal.personId)
      .setIssuer('flurfunk')
      .setAudience('flurfunk-api')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 1000)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 100)
      .sign(key);
    expect(await new AccessTokens(key, 900).verify(expired)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuse an unsigned token (alg none)', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({
        sub: principal.personId,
        did: principal.deviceId,
        roles: ['admin'],
        iss: 'flurfunk',
        aud: 'flurfunk-api',
        exp: 9999999999,
      }),
    ).toString('base64url');
    expect(await new AccessTokens(key, 900).verify(`${header}.${payload}.`)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  /** A token signed with the right key whose claims the test chooses. */
  const forge = (build: (jwt: SignJWT) => SignJWT) =>
    build(
      new SignJWT({ did: principal.deviceId, roles: principal.roles })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('flurfunk')
        .setAudience('flurfunk-api'),
    ).sign(key);
  const now = () => Math.floor(Date.now() / 1000);

  it('refuse a correctly signed token without expiry, issue time or subject', async () => {
    const tokens = new AccessTokens(key, 900);
    const withoutExp = await forge((jwt) => jwt.setSubject(principal.personId).setIssuedAt());
    const withoutIat = await forge((jwt) => jwt.setSubject(principal.personId).setExpirationTime('5m'));
    const withoutSub = await forge((jwt) => jwt.setIssuedAt().setExpirationTime('5m'));
    for (const token of [withoutExp, withoutIat, withoutSub]) {
      expect(await tokens.verify(token)).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('stop working 15 minutes after issue even when they claim to live longer', async () => {
    const longLived = await forge((jwt) =>
      jwt
        .setSubject(principal.personId)
        .setIssuedAt(now() - 16 * 60)
        .setExpirationTime(now() + 24 * 3600),
    );
    expect(await new AccessTokens(key, 900).verify(longLived)).toMatchObject({ ok: false });
  });

  it('accept a token issued by an instance whose clock runs a little ahead, not one far ahead', async () => {
    const tokens = new AccessTokens(key, 900);
    const issuedAhead = (seconds: number) =>
      forge((jwt) =>
        jwt
          .setSubject(principal.personId)
          .setIssuedAt(now() + seconds)
          .setExpirationTime(now() + seconds + 900),
      );
    expect(await tokens.verify(await issuedAhead(10))).toEqual({ ok: true, principal });
    expect(await tokens.verify(await issuedAhead(120))).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuse a token for another issuer or audience', async () => {
    const tokens = new AccessTokens(key, 900);
    const otherAudience = await forge((jwt) =>
      jwt.setSubject(principal.personId).setIssuedAt().setExpirationTime('5m').setAudience('elsewhere'),
    );
    const otherIssuer = await forge((jwt) =>
      jwt.setSubject(principal.personId).setIssuedAt().setExpirationTime('5m').setIssuer('elsewhere'),
    );
    expect(await tokens.verify(otherAudience)).toEqual({ ok: false, reason: 'invalid' });
    expect(await tokens.verify(otherIssuer)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('cannot live longer than 15 minutes', () => {
    expect(() => new AccessTokens(key, 901)).toThrow(/900/);
    expect(() => new AccessTokens(key, 0)).toThrow();
  });
});

describe('configured signing key (FLURFUNK_JWT_SECRET)', () => {
  it('is used as given when it is base64 of at least 32 bytes', () => {
    const secret = randomBytes(32);
    expect(Buffer.from(parseSigningKey(secret.toString('base64')))).toEqual(secret);
    expect(Buffer.from(parseSigningKey(` ${secret.toString('base64url')}\n`))).toEqual(secret);
  });

  it('is refused with a clear message when too short or not base64', () => {
    expect(() => parseSigningKey(randomBytes(16).toString('base64'))).toThrow(/at least 32 bytes/);
    expect(() => parseSigningKey('this is no base64 at all, but it is long enough!!')).toThrow(/base64/);
  });
});
