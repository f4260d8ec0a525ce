import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AccessTokens } from '../../../server/src/auth/access-tokens.js';

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

  it('cannot live longer than 15 minutes', () => {
    expect(() => new AccessTokens(key, 901)).toThrow(/900/);
    expect(() => new AccessTokens(key, 0)).toThrow();
  });
});
