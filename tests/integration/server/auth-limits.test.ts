import { randomBytes } from 'node:crypto';
import { ErrorBody, TokenResponse } from '@flurfunk/protocol';
import { expect, it } from 'vitest';
import { describeEachStorage } from '../support/server-backends.js';
import { type ApiClient, apiClient, expiredAccessToken, signIn } from '../support/server-client.js';

describeEachStorage('auth limits and keys', (backend) => {
  const wrongLogin = (api: ApiClient, headers?: Record<string, string>) =>
    api.post('/api/v1/auth/login', {
      json: { username: 'nobody.here', password: 'guess', deviceName: 'test' },
      headers,
    });

  it('limits sign-in attempts per client address with a rate_limited error and Retry-After, but not refresh or sign-out', async () => {
    const server = await backend.start({ demo: true, loginAttemptsPerMinute: 3 });
    const api = apiClient(server.url);
    let tokens = await signIn(api, 'lena.weber');
    for (let attempt = 2; attempt <= 3; attempt++) expect((await wrongLogin(api)).status).toBe(401);

    const limited = await wrongLogin(api);
    expect(limited.status).toBe(429);
    const { error } = ErrorBody.parse(limited.body);
    expect(error.code).toBe('rate_limited');
    expect(error.message).toMatch(/sign-in attempts from this network address.*minute/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    await expect(signIn(api, 'jonas.becker')).rejects.toThrow(/rate_limited/);

    // A signed-in client keeps refreshing (more often than the sign-in budget) and can sign out.
    for (let refresh = 1; refresh <= 5; refresh++) {
      const response = await api.post('/api/v1/auth/refresh', {
        json: { refreshToken: tokens.refreshToken },
      });
      expect(response.status).toBe(200);
      tokens = TokenResponse.parse(response.body);
    }
    expect((await api.get('/api/v1/directory?limit=1', { token: tokens.accessToken })).status).toBe(200);
    expect((await api.post('/api/v1/auth/logout', { token: tokens.accessToken })).status).toBe(204);
  });

  it('tells clients behind a trusted proxy apart by X-Forwarded-For, and ignores it from untrusted senders', async () => {
    const first = { 'x-forwarded-for': '203.0.113.10' };
    const second = { 'x-forwarded-for': '203.0.113.20' };

    // The test connects from loopback: it is the proxy.
    const behindProxy = apiClient(
      (await backend.start({ loginAttemptsPerMinute: 2, trustProxy: '127.0.0.1' })).url,
    );
    for (let attempt = 1; attempt <= 2; attempt++) {
      expect((await wrongLogin(behindProxy, first)).status).toBe(401);
    }
    expect((await wrongLogin(behindProxy, first)).status).toBe(429);
    expect((await wrongLogin(behindProxy, second)).status).toBe(401);

    // Without trustProxy a client cannot escape its limit by claiming another address.
    const direct = apiClient((await backend.start({ loginAttemptsPerMinute: 2 })).url);
    for (let attempt = 1; attempt <= 2; attempt++) {
      expect((await wrongLogin(direct, first)).status).toBe(401);
    }
    expect((await wrongLogin(direct, second)).status).toBe(429);
  });

  it('signs access tokens with FLURFUNK_JWT_SECRET instead of the key stored in the database', async () => {
    const withStoredKey = await backend.start({ demo: true });
    const before = await signIn(apiClient(withStoredKey.url), 'lena.weber');
    await withStoredKey.close();

    const secret = randomBytes(32);
    const withSecret = await backend.start({ jwtSecret: secret.toString('base64') }, withStoredKey.storage);
    const api = apiClient(withSecret.url);
    expect((await api.get('/api/v1/directory?limit=1', { token: before.accessToken })).status).toBe(401);
    const after = await signIn(api, 'lena.weber');
    expect((await api.get('/api/v1/directory?limit=1', { token: after.accessToken })).status).toBe(200);

    // A token of this device that expired longer ago than the clock tolerance: token_expired, and
    // the device refreshes as usual.
    const expired = await expiredAccessToken(after.accessToken, new Uint8Array(secret));
    const refused = await api.get('/api/v1/directory?limit=1', { token: expired });
    expect(refused.status).toBe(401);
    expect(ErrorBody.parse(refused.body).error.code).toBe('token_expired');
    const refreshed = await api.post('/api/v1/auth/refresh', { json: { refreshToken: after.refreshToken } });
    expect(refreshed.status).toBe(200);
  });

  it('refuses to start with a JWT secret shorter than 32 bytes', async () => {
    await expect(backend.start({ jwtSecret: randomBytes(16).toString('base64') })).rejects.toThrow(
      /at least 32 bytes/,
    );
  });
});
