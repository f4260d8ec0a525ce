/**
 * The core's live channel against the real server on loopback: hearing about changes, renewing a
 * refused token, a device signed out, a server restart, a connection that goes silent behind a
 * proxy, and a machine that slept. The server pings every 250 ms here, so what takes a minute in
 * production takes a second.
 */
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DirectoryPage, SyncPage } from '@flurfunk/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CoreError } from '../../../electron/core/errors.js';
import {
  LiveChannel,
  type LiveChannelOptions,
  type LiveChannelState,
  liveSocketUrl,
} from '../../../electron/core/sync/live-channel.js';
import { type DemoServer, removeTempDirs, startDemoServer } from '../support/core-harness.js';
import { type ApiClient, apiClient, expiredAccessToken, signIn } from '../support/server-client.js';
import { masterDataOf } from '../support/directory-admin.js';

const secret = randomBytes(32);
const liveHeartbeatMs = 200;
/** Seven missed heartbeats: a busy test machine must not raise a false alarm. */
const silenceTimeoutMs = 1_500;

let server: DemoServer;
let api: ApiClient;
let employee: string;
let admin: string;
const channels: LiveChannel[] = [];

beforeAll(async () => {
  server = await startDemoServer({ liveHeartbeatMs, jwtSecret: secret.toString('base64') });
  api = apiClient(server.url);
  const [employeeTokens, adminTokens] = await Promise.all([signIn(api, 'lena.weber'), signIn(api, 'admin')]);
  employee = employeeTokens.accessToken;
  admin = adminTokens.accessToken;
});

afterEach(async () => {
  await Promise.all(channels.splice(0).map((channel) => channel.stop()));
});

afterAll(async () => {
  await server?.stop();
  await removeTempDirs();
});

/** What a channel reported to its caller. */
type Report =
  | { kind: 'state'; state: LiveChannelState }
  | { kind: 'connected' }
  | { kind: 'changes'; upTo: string }
  | { kind: 'revoked' }
  | { kind: 'expired' }
  | { kind: 'wake' };
type Heard = Report & { at: number };

/** A started channel to the test server that records everything it reports, with when. */
function recordedChannel(options: Partial<LiveChannelOptions> & Pick<LiveChannelOptions, 'getAccessToken'>) {
  const heard: Heard[] = [];
  const listeners = new Set<() => void>();
  const record = (report: Report) => {
    heard.push({ ...report, at: performance.now() });
    for (const listener of listeners) listener();
  };
  const channel = new LiveChannel({
    url: liveSocketUrl(server.url),
    onChanges: (upTo) => record({ kind: 'changes', upTo }),
    onConnected: () => record({ kind: 'connected' }),
    onStateChange: (state) => record({ kind: 'state', state }),
    onSessionEnded: (reason) => record({ kind: reason }),
    onWake: () => record({ kind: 'wake' }),
    backoff: { initialMs: 50, maxMs: 400 },
    silenceTimeoutMs,
    ...options,
  });
  channels.push(channel);
  channel.start();

  const count = (kind: Heard['kind']) => heard.filter((entry) => entry.kind === kind).length;
  const states = () => heard.flatMap((entry) => (entry.kind === 'state' ? [entry.state] : []));
  const changes = () => heard.flatMap((entry) => (entry.kind === 'changes' ? [entry.upTo] : []));
  /** Resolves with the first truthy value of `check`, re-checked after every report. */
  const until = <T>(what: string, check: () => T | undefined | false, timeoutMs = 5_000) =>
    new Promise<T>((resolve, reject) => {
      const attempt = () => {
        const value = check();
        if (value === undefined || value === false) return;
        listeners.delete(attempt);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        listeners.delete(attempt);
        reject(new Error(`timed out waiting for ${what}; heard ${JSON.stringify(heard)}`));
      }, timeoutMs);
      listeners.add(attempt);
      attempt();
    });
  return { channel, heard, count, states, changes, until };
}

/** Lets timers and sockets run for a while, to show that nothing more happens. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An admin retitles someone: one committed change that everyone may see. */
async function changeSomeone(title: string): Promise<void> {
  const { people } = DirectoryPage.parse(
    (await api.get('/api/v1/directory?limit=1', { token: employee })).body,
  );
  const person = people[0]!;
  const response = await api.put(`/api/v1/admin/people/${person.id}`, {
    token: admin,
    json: { ...masterDataOf(person), title },
  });
  expect(response.status).toBe(204);
}

describe('a connected channel', () => {
  it('says it is online and tells the caller to pull whenever changes are committed', async () => {
    const live = recordedChannel({ getAccessToken: async () => employee });
    await live.until('a first changes frame', () => live.changes()[0]);
    expect(live.states()).toEqual(['connecting', 'online']);
    expect(live.count('connected')).toBe(1);
    expect(live.channel.state).toBe('online');

    const before = live.changes().at(-1)!;
    await changeSomeone(`Live channel ${Date.now()}`);
    const announced = await live.until('the change announced', () =>
      live.changes().find((upTo) => BigInt(upTo) > BigInt(before)),
    );
    const page = SyncPage.parse((await api.get(`/api/v1/sync?after=${before}`, { token: employee })).body);
    expect(page.changes).toHaveLength(1);
    expect(page.cursor).toBe(announced);
  });

  it('closes its socket on stop and does not come back', async () => {
    const getAccessToken = vi.fn(async () => employee);
    const live = recordedChannel({ getAccessToken });
    await live.until('online', () => live.channel.state === 'online');
    await live.channel.stop();
    expect(live.channel.state).toBe('offline');
    await pause(300);
    expect(live.states()).toEqual(['connecting', 'online', 'offline']);
    expect(getAccessToken).toHaveBeenCalledTimes(1);
  });
});

describe('access tokens', () => {
  it('asks once for a renewed token when the server refuses one, and connects with that', async () => {
    const expired = await expiredAccessToken(employee, new Uint8Array(secret));
    const getAccessToken = vi.fn(async (_signal: AbortSignal, rejected?: string) =>
      rejected === undefined ? expired : employee,
    );
    const live = recordedChannel({ getAccessToken });
    await live.until('connected', () => live.count('connected') === 1);
    expect(getAccessToken.mock.calls.map(([, rejected]) => rejected)).toEqual([undefined, expired]);
    expect(live.count('revoked')).toBe(0);
  });

  it('ends the session when the renewed token is refused too, and stops', async () => {
    const getAccessToken = vi.fn(async () => 'not.a.token');
    const live = recordedChannel({ getAccessToken });
    await live.until('expired', () => live.count('expired') === 1);
    await pause(300);
    expect(getAccessToken).toHaveBeenCalledTimes(2);
    expect(live.count('connected')).toBe(0);
    expect(live.channel.state).toBe('offline');
  });

  it.each([
    ['session_expired', 'expired'],
    ['device_revoked', 'revoked'],
  ] as const)(
    'ends the session when getting a token fails with %s, without opening a socket',
    async (code, reason) => {
      const getAccessToken = vi.fn(async (): Promise<string> => {
        throw new CoreError(code, 'the server no longer accepts the refresh token');
      });
      const live = recordedChannel({ getAccessToken });
      await live.until(reason, () => live.count(reason) === 1);
      await pause(200);
      expect(getAccessToken).toHaveBeenCalledTimes(1);
      expect(live.count(reason === 'revoked' ? 'expired' : 'revoked')).toBe(0);
      expect(live.states()).toEqual(['connecting', 'offline']);
    },
  );

  it('says offline and tries again while no token can be had because the server is unreachable', async () => {
    let failures = 2;
    const live = recordedChannel({
      getAccessToken: async () => {
        if (failures-- > 0) throw new CoreError('unreachable', 'the server cannot be reached');
        return employee;
      },
    });
    await live.until('connected', () => live.count('connected') === 1);
    expect(live.states()).toEqual(['connecting', 'offline', 'connecting', 'offline', 'connecting', 'online']);
  });
});

describe('a device signed out elsewhere', () => {
  it('reports the revoked device when the server closes the socket, and never reconnects', async () => {
    const { accessToken } = await signIn(api, 'petra.koch', 'live channel sign-out');
    const getAccessToken = vi.fn(async () => accessToken);
    const live = recordedChannel({ getAccessToken });
    await live.until('connected', () => live.count('connected') === 1);

    expect((await api.post('/api/v1/auth/logout', { token: accessToken })).status).toBe(204);
    await live.until('revoked', () => live.count('revoked') === 1, 2_000);
    await pause(400);
    expect(live.states()).toEqual(['connecting', 'online', 'offline']);
    expect(getAccessToken).toHaveBeenCalledTimes(1);
  });
});

describe('losing the connection', () => {
  it('notices a connection that went silent behind a proxy within the silence timeout, and reconnects', async () => {
    const proxy = await startSilenceableProxy(new URL(server.url));
    try {
      const live = recordedChannel({
        url: liveSocketUrl(proxy.url),
        getAccessToken: async () => employee,
      });
      await live.until('a first changes frame', () => live.changes()[0]);
      // Several heartbeats pass on a healthy connection without a false alarm.
      await pause(silenceTimeoutMs);
      expect(live.states()).toEqual(['connecting', 'online']);

      proxy.silenceOpenConnections();
      const silencedAt = performance.now();
      const noticed = await live.until('the silence noticed', () =>
        live.heard.find((entry) => entry.kind === 'state' && entry.state === 'offline'),
      );
      // The last ping before the silence came at most one heartbeat earlier; the upper bound
      // leaves room for a busy machine, it only has to be well before the next reconnect.
      expect(noticed.at - silencedAt).toBeGreaterThan(silenceTimeoutMs - liveHeartbeatMs - 100);
      expect(noticed.at - silencedAt).toBeLessThan(silenceTimeoutMs * 3);

      await live.until('connected again', () => live.count('connected') === 2);
      await live.until('changes on the new socket', () => live.changes().length === 2);
      expect(live.states()).toEqual(['connecting', 'online', 'offline', 'connecting', 'online']);
    } finally {
      await proxy.close();
    }
  });

  it('reconnects after a wake at once, also from the middle of a long backoff', async () => {
    let clockAheadMs = 0;
    let unreachable = true;
    const live = recordedChannel({
      getAccessToken: async () => {
        if (unreachable) throw new CoreError('unreachable', 'the server cannot be reached');
        return employee;
      },
      backoff: { initialMs: 60_000, maxMs: 60_000 },
      random: () => 0.999,
      // A check every 100 ms: a busy test machine can stall the event loop for the 60 ms that
      // three missed 20 ms ticks would take, and that would count as one more wake.
      wakeCheckIntervalMs: 100,
      now: () => Date.now() + clockAheadMs,
    });
    await live.until('offline, waiting a minute', () => live.channel.state === 'offline');
    unreachable = false;
    clockAheadMs += 3_600_000;
    await live.until('connected after the wake', () => live.count('connected') === 1, 3_000);
    expect(live.count('wake')).toBe(1);

    // Awake and connected: the next sleep replaces the socket that may have died meanwhile.
    clockAheadMs += 3_600_000;
    await live.until('connected again', () => live.count('connected') === 2, 3_000);
    expect(live.count('wake')).toBe(2);
    expect(live.states()).toEqual([
      'connecting',
      'offline',
      'connecting',
      'online',
      'offline',
      'connecting',
      'online',
    ]);
  });

  it('stops at once, also in the middle of a long backoff', async () => {
    const live = recordedChannel({
      getAccessToken: async () => {
        throw new CoreError('unreachable', 'the server cannot be reached');
      },
      backoff: { initialMs: 60_000, maxMs: 60_000 },
      random: () => 0.999,
    });
    await live.until('offline, waiting a minute', () => live.channel.state === 'offline');
    const stopping = performance.now();
    await live.channel.stop();
    expect(performance.now() - stopping).toBeLessThan(100);
  });

  it('reconnects after a server restart with a growing backoff, and tells the caller to pull', async () => {
    const live = recordedChannel({
      getAccessToken: async () => employee,
      backoff: { initialMs: 100, maxMs: 800 },
      random: () => 0.999_999,
    });
    await live.until('a first changes frame', () => live.changes()[0]);

    await server.stop();
    const stoppedAt = live.heard.length;
    const waits = () => {
      const since = live.heard.slice(stoppedAt);
      return since.flatMap((entry, index) => {
        if (entry.kind !== 'state' || entry.state !== 'offline') return [];
        const next = since
          .slice(index)
          .find((later) => later.kind === 'state' && later.state === 'connecting');
        return next ? [next.at - entry.at] : [];
      });
    };
    await live.until('four attempts while the server is down', () => waits().length >= 4);
    await server.start();
    await live.until('connected again', () => live.count('connected') === 2, 5_000);
    await live.until('changes on the new socket', () => live.changes().length === 2);

    // After the first loss of a good connection the wait starts short again, then doubles.
    const [first, second, third, fourth] = waits();
    const expected = [100, 200, 400, 800].map((ms) => ms - 1);
    [first, second, third, fourth].forEach((wait, index) => {
      expect(wait).toBeGreaterThanOrEqual(expected[index]! - 5);
      expect(wait).toBeLessThan(expected[index]! + 500);
    });
    expect(live.channel.state).toBe('online');
  });
});

/**
 * A TCP proxy in front of the server whose open connections can go silent: nothing more passes in
 * either direction and neither end hears that the other hung up, as when a NAT or a firewall
 * forgets a connection. New connections pass as usual.
 */
async function startSilenceableProxy(target: URL) {
  const lines = new Set<{ client: Socket; upstream: Socket; silent: boolean }>();
  const proxy = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    const line = { client, upstream, silent: false };
    lines.add(line);
    client.on('data', (chunk) => line.silent || upstream.write(chunk));
    upstream.on('data', (chunk) => line.silent || client.write(chunk));
    client.on('close', () => {
      lines.delete(line);
      upstream.destroy();
    });
    upstream.on('close', () => line.silent || client.destroy());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    silenceOpenConnections() {
      for (const line of lines) line.silent = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const { client, upstream } of lines) {
          client.destroy();
          upstream.destroy();
        }
        proxy.close(() => resolve());
      }),
  };
}
