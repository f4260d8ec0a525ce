import { ErrorBody } from '@flurfunk/protocol';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStorage } from '../support/server-backends.js';
import { type ApiClient, apiClient, signIn } from '../support/server-client.js';

function expectError(response: { status: number; body: unknown }, status: number, code: string) {
  expect(response.status).toBe(status);
  const body = ErrorBody.parse(response.body);
  expect(body.error.code).toBe(code);
  return body.error;
}

describeEachStorage('HTTP API contract', (backend) => {
  let api: ApiClient;
  let token: string;

  beforeAll(async () => {
    const server = await backend.start({ demo: true });
    api = apiClient(server.url);
    token = (await signIn(api, 'lena.weber')).accessToken;
  });

  it('answers malformed JSON with 400 and the error shape', async () => {
    const error = expectError(
      await api.post('/api/v1/auth/login', { rawBody: '{"username": "lena.weber",' }),
      400,
      'bad_request',
    );
    expect(error.message).toMatch(/JSON/);
  });

  it('names unknown fields', async () => {
    const response = await api.post('/api/v1/auth/login', {
      json: { username: 'lena.weber', password: 'x', deviceName: 'test', isAdmin: true },
    });
    expect(expectError(response, 400, 'bad_request').issues).toEqual([
      { path: 'isAdmin', message: 'Unknown field' },
    ]);
  });

  it('names fields of the wrong type or missing', async () => {
    const response = await api.post('/api/v1/auth/login', { json: { username: 42, deviceName: 'test' } });
    const paths = expectError(response, 400, 'bad_request').issues?.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['username', 'password']));
  });

  it('refuses an empty body, a JSON array and a non-JSON content type without a 500', async () => {
    expectError(await api.post('/api/v1/auth/login', { rawBody: '' }), 400, 'bad_request');
    expectError(await api.post('/api/v1/auth/login', { rawBody: '[]' }), 400, 'bad_request');
    const form = await api.post('/api/v1/auth/login', {
      rawBody: 'username=lena.weber',
      contentType: 'text/plain',
    });
    expectError(form, 415, 'bad_request');
  });

  it('refuses oversized bodies with 413', async () => {
    const response = await api.post('/api/v1/auth/login', {
      json: { username: 'lena.weber', password: 'x'.repeat(100_000), deviceName: 'test' },
    });
    expectError(response, 413, 'payload_too_large');
  });

  it('validates query parameters', async () => {
    expectError(await api.get('/api/v1/directory?limit=0', { token }), 400, 'bad_request');
    expectError(await api.get('/api/v1/directory?limit=ten', { token }), 400, 'bad_request');
    expectError(await api.get('/api/v1/directory?cursor=garbage', { token }), 400, 'bad_request');
    expectError(await api.get('/api/v1/directory?sort=name', { token }), 400, 'bad_request');
    expectError(await api.get('/api/v1/sync?after=-1', { token }), 400, 'bad_request');
    expectError(await api.get('/api/v1/sync?after=1e3', { token }), 400, 'bad_request');
  });

  it('answers unknown routes and methods with 404 in the error shape', async () => {
    expectError(await api.get('/api/v1/does-not-exist'), 404, 'not_found');
    expectError(await api.delete('/api/v1/health'), 404, 'not_found');
  });

  it('describes every route in openapi.json', async () => {
    const response = await api.get<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(
      '/api/v1/openapi.json',
    );
    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\./);
    const operations = Object.entries(response.body.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'GET /api/v1/health',
        'POST /api/v1/auth/login',
        'POST /api/v1/auth/refresh',
        'POST /api/v1/auth/logout',
        'GET /api/v1/directory',
        'GET /api/v1/sync',
        'GET /api/v1/openapi.json',
        'PUT /api/v1/admin/people/{id}',
        'DELETE /api/v1/admin/people/{id}',
        'GET /api/v1/feed/posts/{id}/confirmations',
        'GET /api/v1/feed/posts/{id}/revisions',
        'GET /api/v1/feed/channels/postable',
        'PUT /api/v1/admin/feed/channels/{id}',
      ]),
    );
    const login = response.body.paths['/api/v1/auth/login']?.post as {
      requestBody: { content: { 'application/json': { schema: { properties: Record<string, unknown> } } } };
    };
    expect(Object.keys(login.requestBody.content['application/json'].schema.properties)).toEqual([
      'username',
      'password',
      'deviceName',
    ]);
  });
});
