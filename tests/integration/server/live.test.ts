import { randomBytes } from 'node:crypto';
import {
  DirectoryPage,
  ErrorBody,
  LiveCloseCode,
  type LiveChangesFrame,
  LiveServerFrame as LiveServerFrameSchema,
  SyncPage,
} from '@flurfunk/protocol';
import { beforeAll, expect, it } from 'vitest';
import { type ClientOptions, WebSocket } from 'ws';
import { describeEachStorage, type TestServer } from '../support/server-backends.js';
import { type ApiClient, apiClient, expiredAccessToken, signIn } from '../support/server-client.js';
import { masterDataOf } from '../support/directory-admin.js';

const secret = randomBytes(32);
const jwtSecret = secret.toString('base64');
/** Short, so dead sockets and signed-out devices are noticed within a second. */
const liveHeartbeatMs = 250;

const liveUrl = (serverUrl: string) => `${serverUrl.replace(/^http/, 'ws')}/api/v1/live`;

/** Resolves once `check` returns a value, failing with `what` after a few seconds. */
function eventually<T>(what: string, subscribe: (check: () => void) => void, check: () => T | undefined) {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 10_000);
    const attempt = () => {
      const value = check();
      if (value !== undefined) {
        clearTimeout(timer);
        resolve(value);
      }
    };
    subscribe(attempt);
    attempt();
  });
}

interface LiveClient {
  socket: WebSocket;
  frames: LiveChangesFrame[];
  /** The first frame announcing changes up to at least `seq`. */
  changesUpTo(seq: string): Promise<LiveChangesFrame>;
  closed: Promise<{ code: number; reason: string }>;
}

async function openLive(serverUrl: string, token: string, options: ClientOptions = {}): Promise<LiveClient> {
  const socket = new WebSocket(liveUrl(serverUrl), {
    headers: { authorization: `Bearer ${token}` },
    ...options,
  });
  const frames: LiveChangesFrame[] = [];
  socket.on('message', (data) => {
    const frame = LiveServerFrameSchema.parse(JSON.parse(String(data)));
    if (frame.type === 'changes') frames.push(frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    frames,
    closed,
    changesUpTo: (seq) =>
      eventually(
        `a changes frame up to ${seq}`,
        (check) => socket.on('message', check),
        () => frames.find((frame) => BigInt(frame.upTo) >= BigInt(seq)),
      ),
  };
}

/** An upgrade the server answers with an HTTP error instead of a socket: its status and JSON body. */
function refusedUpgrade(serverUrl: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const socket = new WebSocket(liveUrl(serverUrl), { headers });
    socket.on('unexpected-response', (request, response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => {
        request.destroy();
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) });
      });
    });
    socket.on('open', () => {
      socket.terminate();
      reject(new Error('the server accepted the socket'));
    });
    socket.on('error', () => undefined);
  });
}

describeEachStorage('live socket', (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let employee: string;
  let admin: string;

  const latestSeq = async () => {
    let cursor = '0';
    for (;;) {
      const page = SyncPage.parse(
        (await api.get(`/api/v1/sync?after=${cursor}&limit=1000`, { token: employee })).body,
      );
      cursor = page.cursor;
      if (!page.hasMore) return cursor;
    }
  };
  /** An admin retitles someone: one committed change. */
  const changeSomeone = async (through: ApiClient, title: string) => {
    const { people } = DirectoryPage.parse(
      (await through.get('/api/v1/directory?limit=1', { token: employee })).body,
    );
    const person = people[0]!;
    const response = await through.put(`/api/v1/admin/people/${person.id}`, {
      token: admin,
      json: { ...masterDataOf(person), title },
    });
    expect(response.status).toBe(204);
    return person.id;
  };

  beforeAll(async () => {
    server = await backend.start({ demo: true, jwtSecret, liveHeartbeatMs });
    api = apiClient(server.url);
    employee = (await signIn(api, 'lena.weber')).accessToken;
    admin = (await signIn(api, 'admin')).accessToken;
  });

  it('refuses a missing, invalid or expired access token with a JSON 401 instead of a socket', async () => {
    const missing = await refusedUpgrade(server.url, {});
    expect(missing.status).toBe(401);
    expect(ErrorBody.parse(missing.body).error.code).toBe('unauthorized');

    const invalid = await refusedUpgrade(server.url, { authorization: 'Bearer not.a.token' });
    expect(invalid.status).toBe(401);
    expect(ErrorBody.parse(invalid.body).error.code).toBe('unauthorized');

    const expired = await refusedUpgrade(server.url, {
      authorization: `Bearer ${await expiredAccessToken(employee, new Uint8Array(secret))}`,
    });
    expect(expired.status).toBe(401);
    expect(ErrorBody.parse(expired.body).error.code).toBe('token_expired');
  });

  it('answers a plain HTTP request with 426 Upgrade Required', async () => {
    const response = await api.get('/api/v1/live', { token: employee });
    expect(response.status).toBe(426);
    expect(response.headers.get('upgrade')).toBe('websocket');
    expect(ErrorBody.parse(response.body).error.code).toBe('bad_request');
    const openApi = await api.get<{ paths: Record<string, unknown> }>('/api/v1/openapi.json');
    expect(openApi.body.paths).toHaveProperty(['/api/v1/live']);
  });

  it('tells a client on connect how far the change log goes, so it knows whether to pull', async () => {
    const client = await openLive(server.url, employee);
    const first = await client.changesUpTo('0');
    expect(first).toEqual({ type: 'changes', upTo: await latestSeq() });
    client.socket.close();
  });

  it('announces an admin change to connected clients, who then pull exactly that change', async () => {
    const client = await openLive(server.url, employee);
    const before = (await client.changesUpTo('0')).upTo;
    const changedId = await changeSomeone(api, `Live ${Date.now()}`);

    const announced = await client.changesUpTo(String(BigInt(before) + 1n));
    const page = SyncPage.parse(
      (await api.get(`/api/v1/sync?after=${before}&limit=100`, { token: employee })).body,
    );
    expect(page.changes.map((change) => change.id)).toEqual([changedId]);
    expect(page.cursor).toBe(announced.upTo);
    client.socket.close();
  });

  it('closes the socket of a device that signs out', async () => {
    const tokens = await signIn(api, 'petra.koch', 'live logout');
    const client = await openLive(server.url, tokens.accessToken);
    await client.changesUpTo('0');
    const logout = await api.post('/api/v1/auth/logout', { token: tokens.accessToken });
    expect(logout.status).toBe(204);
    expect((await client.closed).code).toBe(LiveCloseCode.deviceRevoked);
  });

  it('drops a client that stops answering pings', async () => {
    const silent = await openLive(server.url, employee, { autoPong: false });
    const healthy = await openLive(server.url, employee);
    // The server cuts the silent one off without a closing handshake.
    expect((await silent.closed).code).toBe(1006);
    expect(healthy.socket.readyState).toBe(WebSocket.OPEN);
    healthy.socket.close();
  });

  it('closes the socket of a client that sends a frame it does not understand', async () => {
    const client = await openLive(server.url, employee);
    client.socket.send(JSON.stringify({ type: 'hello' }));
    expect((await client.closed).code).toBe(LiveCloseCode.policyViolation);
  });

  if (backend.name === 'postgresql') {
    it('reaches live clients of another server instance on the same database, which says goodbye on close', async () => {
      const other = await backend.start({ jwtSecret, liveHeartbeatMs }, server.storage);
      const client = await openLive(other.url, employee);
      const before = (await client.changesUpTo('0')).upTo;

      await changeSomeone(api, `Across instances ${Date.now()}`);
      const announced = await client.changesUpTo(String(BigInt(before) + 1n));
      expect(announced.upTo).toBe(await latestSeq());

      await other.close();
      expect((await client.closed).code).toBe(LiveCloseCode.goingAway);
    });
  }
});
