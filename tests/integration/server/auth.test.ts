import { ErrorBody, TokenResponse } from '@flurfunk/protocol';
import { beforeAll, expect, it } from 'vitest';
import { maxRetrySiblings } from '../../../server/src/auth/sessions.js';
import { generateDemoCompany } from '../../../server/src/demo/generate.js';
import { describeEachStorage, type TestServer } from '../support/server-backends.js';
import { type ApiClient, apiClient, demoPassword, signIn } from '../support/server-client.js';

const login = (api: ApiClient, username: string, password: string) =>
  api.post('/api/v1/auth/login', { json: { username, password, deviceName: 'integration test' } });

function expectError(response: { status: number; body: unknown }, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(ErrorBody.parse(response.body).error.code).toBe(code);
}

describeEachStorage('auth', (backend) => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await backend.start({ demo: true });
    api = apiClient(server.url);
  });

  it('answers the health check', async () => {
    const response = await api.get('/api/v1/health');
    expect(response).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('signs a demo user in with their roles and short-lived tokens', async () => {
    const response = await login(api, 'jonas.becker', demoPassword);
    expect(response.status).toBe(200);
    const tokens = TokenResponse.parse(response.body);
    expect(tokens.user).toMatchObject({ username: 'jonas.becker', displayName: 'Jonas Becker' });
    expect(tokens.user.roles).toContain('editor');
    expect(tokens.expiresIn).toBeLessThanOrEqual(900);
    const directory = await api.get('/api/v1/directory?limit=1', { token: tokens.accessToken });
    expect(directory.status).toBe(200);
  });

  it('accepts the username in any letter case', async () => {
    const response = await login(api, '  Petra.Koch ', demoPassword);
    expect(response.status).toBe(200);
    expect(TokenResponse.parse(response.body).user.roles).toContain('canteenManager');
  });

  it('refuses a wrong password and an unknown user with the same answer', async () => {
    const wrong = await login(api, 'lena.weber', 'not-her-password');
    const unknown = await login(api, 'nobody.here', demoPassword);
    expectError(wrong, 401, 'invalid_credentials');
    expectError(unknown, 401, 'invalid_credentials');
    expect(unknown.body).toEqual(wrong.body);
  });

  it('blocks a username after 10 failed sign-ins, even with the right password, and says for how long', async () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      expectError(await login(api, 'admin', `guess-${attempt}`), 401, 'invalid_credentials');
    }
    const blocked = await login(api, 'admin', demoPassword);
    expectError(blocked, 429, 'rate_limited');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    // Other usernames are not affected, and unknown ones are limited just the same.
    expect((await login(api, 'lena.weber', demoPassword)).status).toBe(200);
    for (let attempt = 1; attempt <= 10; attempt++) await login(api, 'ghost.user', `guess-${attempt}`);
    expectError(await login(api, 'ghost.user', 'again'), 429, 'rate_limited');
  });

  it('counts parallel wrong sign-ins before checking them, so a burst cannot outrun the limit', async () => {
    // A demo employee no other test signs in as.
    const username = generateDemoCompany().people.at(-1)?.person.username ?? '';
    const burst = await Promise.all(
      Array.from({ length: 15 }, (_, attempt) => login(api, username, `parallel-guess-${attempt}`)),
    );
    const statuses = burst.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(5);
    expectError(await login(api, username, demoPassword), 429, 'rate_limited');
  });

  it('rotates the refresh token on every use', async () => {
    const first = await signIn(api, 'lena.weber');
    const refreshed = await api.post('/api/v1/auth/refresh', { json: { refreshToken: first.refreshToken } });
    expect(refreshed.status).toBe(200);
    const second = TokenResponse.parse(refreshed.body);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.user.username).toBe('lena.weber');

    const again = await api.post('/api/v1/auth/refresh', { json: { refreshToken: second.refreshToken } });
    expect(again.status).toBe(200);
    expect(
      (await api.get('/api/v1/directory?limit=1', { token: TokenResponse.parse(again.body).accessToken }))
        .status,
    ).toBe(200);
  });

  const refresh = (refreshToken: string) => api.post('/api/v1/auth/refresh', { json: { refreshToken } });

  it('revokes the whole device when a used refresh token comes back', async () => {
    const first = await signIn(api, 'lena.weber');
    const second = TokenResponse.parse((await refresh(first.refreshToken)).body);
    const third = TokenResponse.parse((await refresh(second.refreshToken)).body);

    // `second` was used, so `first` showing up again cannot be a retry: someone copied it.
    expectError(await refresh(first.refreshToken), 401, 'token_reused');

    expectError(await refresh(third.refreshToken), 401, 'device_revoked');
    expectError(await api.get('/api/v1/directory', { token: third.accessToken }), 401, 'device_revoked');

    // Other devices of the same person keep working.
    const otherDevice = await signIn(api, 'lena.weber', 'second laptop');
    expect((await api.get('/api/v1/directory?limit=1', { token: otherDevice.accessToken })).status).toBe(200);
  });

  it('keeps a device signed in when a refresh answer got lost and the client retries', async () => {
    const first = await signIn(api, 'jonas.becker');
    const lost = await refresh(first.refreshToken);
    expect(lost.status).toBe(200);

    const retried = await refresh(first.refreshToken);
    expect(retried.status).toBe(200);
    const tokens = TokenResponse.parse(retried.body);
    expect(tokens.user.username).toBe('jonas.becker');
    expect((await api.get('/api/v1/directory?limit=1', { token: tokens.accessToken })).status).toBe(200);
    const next = await refresh(tokens.refreshToken);
    expect(next.status).toBe(200);
    expect(
      (await api.get('/api/v1/directory?limit=1', { token: TokenResponse.parse(next.body).accessToken }))
        .status,
    ).toBe(200);
  });

  it('treats the other answer of a retried refresh as copied once one of them was used', async () => {
    const first = await signIn(api, 'jonas.becker');
    const lost = TokenResponse.parse((await refresh(first.refreshToken)).body);
    const retried = TokenResponse.parse((await refresh(first.refreshToken)).body);

    expect((await refresh(retried.refreshToken)).status).toBe(200);
    expectError(await refresh(lost.refreshToken), 401, 'token_reused');
    expectError(await api.get('/api/v1/directory', { token: retried.accessToken }), 401, 'device_revoked');
  });

  it('keeps a device signed in when the network sent its refresh twice and it got the first answer', async () => {
    const first = await signIn(api, 'jonas.becker');
    const [delivered, duplicate] = [await refresh(first.refreshToken), await refresh(first.refreshToken)];
    expect([delivered.status, duplicate.status]).toEqual([200, 200]);

    const next = await refresh(TokenResponse.parse(delivered.body).refreshToken);
    expect(next.status).toBe(200);
    expect(
      (await api.get('/api/v1/directory?limit=1', { token: TokenResponse.parse(next.body).accessToken }))
        .status,
    ).toBe(200);
    // The duplicate's answer never reached anyone: turning up now, it can only be a copy.
    expectError(await refresh(TokenResponse.parse(duplicate.body).refreshToken), 401, 'token_reused');
  });

  it('stops handing out tokens for one refresh token after a few retries', async () => {
    const first = await signIn(api, 'jonas.becker');
    for (let i = 0; i < maxRetrySiblings; i++) expect((await refresh(first.refreshToken)).status).toBe(200);
    expectError(await refresh(first.refreshToken), 401, 'token_reused');
  });

  it('signs a device out: its access and refresh tokens stop working at once', async () => {
    const tokens = await signIn(api, 'jonas.becker');
    const logout = await api.post('/api/v1/auth/logout', { token: tokens.accessToken });
    expect(logout.status).toBe(204);
    expectError(await api.get('/api/v1/directory', { token: tokens.accessToken }), 401, 'device_revoked');
    expectError(
      await api.post('/api/v1/auth/refresh', { json: { refreshToken: tokens.refreshToken } }),
      401,
      'device_revoked',
    );
  });

  it('refuses requests without, or with a forged, access token', async () => {
    expectError(await api.get('/api/v1/directory'), 401, 'unauthorized');
    expectError(await api.get('/api/v1/sync', { token: 'not.a.jwt' }), 401, 'unauthorized');
    const tokens = await signIn(api, 'lena.weber');
    const [header, payload] = tokens.accessToken.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    expectError(await api.get('/api/v1/directory', { token: forged }), 401, 'unauthorized');
    expectError(await api.post('/api/v1/auth/logout'), 401, 'unauthorized');
    expectError(
      await api.post('/api/v1/auth/refresh', { json: { refreshToken: 'never-issued' } }),
      401,
      'unauthorized',
    );
  });

  it('keeps sessions across a restart', async () => {
    const before = await signIn(api, 'petra.koch');
    await server.close();
    server = await backend.start({}, server.storage);
    api = apiClient(server.url);

    // The signing key lives in the database, so tokens issued before the restart stay valid.
    expect((await api.get('/api/v1/directory?limit=1', { token: before.accessToken })).status).toBe(200);
    const refreshed = await api.post('/api/v1/auth/refresh', { json: { refreshToken: before.refreshToken } });
    expect(refreshed.status).toBe(200);
  });
});
