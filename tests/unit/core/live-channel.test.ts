/**
 * The live channel's timing rules on their own (how long it waits between attempts, how it
 * notices that the machine slept) and the channel against a server that misbehaves: one that sends
 * frames it should not, one that asks for a pause. (The real server is in the integration tests.)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import { Backoff } from '../../../electron/core/sync/backoff.js';
import {
  LiveChannel,
  type LiveChannelOptions,
  liveSocketUrl,
} from '../../../electron/core/sync/live-channel.js';
import { WakeDetector } from '../../../electron/core/sync/wake-detector.js';

describe('Backoff', () => {
  const delays = (backoff: Backoff, count: number) =>
    Array.from({ length: count }, () => backoff.nextDelayMs());

  it('doubles the longest wait after each failure in a row, up to the maximum', () => {
    const backoff = new Backoff({ initialMs: 1_000, maxMs: 60_000 }, () => 0.999_999);
    expect(delays(backoff, 9)).toEqual([999, 1_999, 3_999, 7_999, 15_999, 31_999, 59_999, 59_999, 59_999]);
  });

  it('waits a random part of that (full jitter), so clients that lost the server together spread out', () => {
    const halves = new Backoff({ initialMs: 1_000, maxMs: 60_000 }, () => 0.5);
    expect(delays(halves, 4)).toEqual([500, 1_000, 2_000, 4_000]);
    const none = new Backoff({ initialMs: 1_000, maxMs: 60_000 }, () => 0);
    expect(delays(none, 3)).toEqual([0, 0, 0]);

    const spread = new Set(delays(new Backoff({ initialMs: 1_000, maxMs: 1_000 }), 50));
    expect(spread.size).toBeGreaterThan(40);
    for (const delay of spread) expect(delay).toBeGreaterThanOrEqual(0);
    for (const delay of spread) expect(delay).toBeLessThan(1_000);
  });

  it('starts over from the shortest wait after a success', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 10_000 }, () => 0.999_999);
    delays(backoff, 5);
    backoff.reset();
    expect(delays(backoff, 2)).toEqual([99, 199]);
  });

  it('stays at the maximum however long the server is gone', () => {
    const backoff = new Backoff({ initialMs: 1_000, maxMs: 60_000 }, () => 0.999_999);
    expect(delays(backoff, 2_000).at(-1)).toBe(59_999);
  });

  it('refuses settings that make no sense', () => {
    expect(() => new Backoff({ initialMs: 0, maxMs: 1_000 })).toThrow(/initialMs/);
    expect(() => new Backoff({ initialMs: 2_000, maxMs: 1_000 })).toThrow(/initialMs/);
  });
});

describe('WakeDetector', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A detector ticking every 1 s on fake timers, reading a wall clock the test moves by hand. */
  function watch() {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let wallClock = 1_700_000_000_000;
    const wakes: number[] = [];
    const detector = new WakeDetector({
      intervalMs: 1_000,
      now: () => wallClock,
      onWake: (ms) => wakes.push(ms),
    });
    detector.start();
    /** One timer tick, with the wall clock `wallMs` further on. */
    const tick = (wallMs = 1_000) => {
      wallClock += wallMs;
      vi.advanceTimersByTime(1_000);
    };
    return { detector, wakes, tick };
  }

  it('reports a wall-clock jump far beyond its tick as a wake, with how long the machine slept', () => {
    const { detector, wakes, tick } = watch();
    tick();
    tick();
    expect(wakes).toEqual([]);
    tick(3_600_000);
    expect(wakes).toEqual([3_600_000]);
    tick();
    expect(wakes).toEqual([3_600_000]);
    detector.stop();
  });

  it('does not take a busy event loop for sleep, nor a clock set back', () => {
    const { detector, wakes, tick } = watch();
    tick(2_500);
    tick(3_000);
    tick(-60_000);
    tick();
    expect(wakes).toEqual([]);
    detector.stop();
  });

  it('stops watching when stopped', () => {
    const { detector, wakes, tick } = watch();
    detector.stop();
    tick(3_600_000);
    expect(wakes).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('liveSocketUrl', () => {
  it('turns the server address into the live socket address with the same security', () => {
    expect(liveSocketUrl('https://flurfunk.example.com')).toBe('wss://flurfunk.example.com/api/v1/live');
    expect(liveSocketUrl('https://example.com:8443/flurfunk')).toBe(
      'wss://example.com:8443/flurfunk/api/v1/live',
    );
    expect(liveSocketUrl('http://127.0.0.1:4100')).toBe('ws://127.0.0.1:4100/api/v1/live');
  });
});

describe('LiveChannel against a misbehaving server', () => {
  let http: Server;
  let channel: LiveChannel | undefined;

  afterEach(async () => {
    await channel?.stop();
    channel = undefined;
    http?.closeAllConnections();
    await new Promise((resolve) => http?.close(resolve));
  });

  async function listen(server: Server): Promise<string> {
    http = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return liveSocketUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  function start(url: string, options: Partial<LiveChannelOptions> = {}) {
    const reported = { changes: [] as string[], connected: 0, revoked: 0 };
    channel = new LiveChannel({
      url,
      getAccessToken: async () => 'token',
      onChanges: (upTo) => reported.changes.push(upTo),
      onConnected: () => reported.connected++,
      onStateChange: () => undefined,
      onSessionEnded: () => reported.revoked++,
      backoff: { initialMs: 10, maxMs: 2_000 },
      ...options,
    });
    channel.start();
    return reported;
  }

  it('ignores frames of a type it does not know, logs malformed ones without their content, and stays connected', async () => {
    const server = createServer();
    const sockets = new WebSocketServer({ server });
    sockets.on('connection', (socket) => {
      socket.send(JSON.stringify({ type: 'reaction', chatId: 'c1' }));
      socket.send('secret-looking text that is not JSON');
      socket.send(Buffer.from('secret bytes'), { binary: true });
      socket.send(JSON.stringify({ type: 'changes', upTo: 'secret-seq' }));
      socket.send(JSON.stringify({ upTo: '5' }));
      socket.send(JSON.stringify({ type: 'changes', upTo: '7' }));
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const reported = start(await listen(server));
      await vi.waitFor(() => expect(reported.changes).toEqual(['7']));
      expect(channel?.state).toBe('online');
      expect(reported.connected).toBe(1);
      const logged = stderr.mock.calls.map(([chunk]) => String(chunk));
      expect(logged).toHaveLength(4);
      expect(logged.join('')).not.toMatch(/secret|reaction/);
    } finally {
      stderr.mockRestore();
    }
  });

  it('waits as long as the server asks when it refuses the socket for now', async () => {
    const attempts: number[] = [];
    const server = createServer();
    server.on('upgrade', (_request, socket) => {
      attempts.push(performance.now());
      // The client may reset the connection as soon as it has read the refusal.
      socket.on('error', () => undefined);
      socket.end('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n');
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const reported = start(await listen(server));
      await vi.waitFor(() => expect(attempts.length).toBe(2), { timeout: 3_000 });
      expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(990);
      expect(reported.connected).toBe(0);
      expect(reported.revoked).toBe(0);
      expect(channel?.state).not.toBe('online');
      // A temporary refusal is no error worth a log line.
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      stderr.mockRestore();
    }
  });
});
