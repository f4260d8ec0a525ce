import { randomBytes } from 'node:crypto';
import { ErrorBody } from '@flurfunk/protocol';
import { expect, it } from 'vitest';
import { describeEachStorage } from '../support/server-backends.js';
import { apiClient, signIn } from '../support/server-client.js';

describeEachStorage('auth limits and keys', (backend) => {
  it('limits requests to /api/v1/auth/* per client address with a rate_limited error and Retry-After', async () => {
    const server = await backend.start({ authRequestsPerMinute: 5 });
    const api = apiClient(server.url);
    const refresh = () => api.post('/api/v1/auth/refresh', { json: { refreshToken: 'never-issued' } });
    for (let request = 1; request <= 5; request++) expect((await refresh()).status).toBe(401);

    const limited = await refresh();
    expect(limited.status).toBe(429);
    const { error } = ErrorBody.parse(limited.body);
    expect(error.code).toBe('rate_limited');
    expect(error.message).toMatch(/minute/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // Sign-in shares the budget (before any password is checked); the rest of the API does not.
    const login = await api.post('/api/v1/auth/login', {
      json: { username: 'lena.weber', password: 'flurfunk-demo', deviceName: 'test' },
    });
    expect(login.status).toBe(429);
    expect(ErrorBody.parse(login.body).error.code).toBe('rate_limited');
    expect((await api.get('/api/v1/health')).status).toBe(200);
  });

  it('signs access tokens with FLURFUNK_JWT_SECRET instead of the key stored in the database', async () => {
    const withStoredKey = await backend.start({ demo: true });
    const before = await signIn(apiClient(withStoredKey.url), 'lena.weber');
    await withStoredKey.close();

    const withSecret = await backend.start(
      { jwtSecret: randomBytes(32).toString('base64') },
      withStoredKey.storage,
    );
    const api = apiClient(withSecret.url);
    expect((await api.get('/api/v1/directory?limit=1', { token: before.accessToken })).status).toBe(401);
    const after = await signIn(api, 'lena.weber');
    expect((await api.get('/api/v1/directory?limit=1', { token: after.accessToken })).status).toBe(200);
  });

  it('refuses to start with a JWT secret shorter than 32 bytes', async () => {
    await expect(backend.start({ jwtSecret: randomBytes(16).toString('base64') })).rejects.toThrow(
      /at least 32 bytes/,
    );
  });
});
