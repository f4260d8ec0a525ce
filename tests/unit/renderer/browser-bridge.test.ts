// @vitest-environment happy-dom
import type { AddressInfo } from 'node:net';
import { BridgeCall } from '@flurfunk/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { WebSocket as ServerSocket } from 'ws';
import { BridgeDisconnectedError } from '@/api/index.js';
import { bridgeUrl, createBrowserBridge, parseBridgeReply, takeBridgeToken } from '@/api/browserBridge.js';
import type { BrowserBridge } from '@/api/browserBridge.js';

/** A stand-in for the browser host's end of the socket, speaking protocol/src/bridge.ts frames. */
let server: WebSocketServer;
let url: string;
let sockets: ServerSocket[];
let received: BridgeCall[];
/** Calls to this method are received but never answered (to test dropped connections). */
const unanswered = 'syncNow';
let bridge: BrowserBridge | undefined;

beforeEach(async () => {
  sockets = [];
  received = [];
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', (data) => {
      const call = BridgeCall.parse(JSON.parse(String(data)));
      received.push(call);
      if (call.method === unanswered) return;
      const result =
        call.method === 'getSession'
          ? { ok: true, value: { status: 'signedOut', serverUrl: null } }
          : { ok: false, error: { code: 'not_signed_in', message: 'sign in first' } };
      socket.send(JSON.stringify({ id: call.id, result }));
    });
  });
  await new Promise((resolve) => server.once('listening', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/bridge?token=t0ken`;
});

afterEach(async () => {
  bridge?.close();
  bridge = undefined;
  for (const socket of server.clients) socket.terminate();
  await new Promise((resolve) => server.close(resolve));
});

function nextConnection(): Promise<ServerSocket> {
  return new Promise((resolve) => server.once('connection', resolve));
}

describe('browser bridge', () => {
  it('carries calls and their typed results over the socket', async () => {
    bridge = createBrowserBridge({ url });
    const [session, people] = await Promise.all([
      bridge.api.getSession({}),
      bridge.api.listPeople({ query: 'weber' }),
    ]);
    expect(session).toEqual({ ok: true, value: { status: 'signedOut', serverUrl: null } });
    expect(people).toEqual({ ok: false, error: { code: 'not_signed_in', message: 'sign in first' } });
    expect(received.map((call) => [call.method, call.args])).toEqual([
      ['getSession', {}],
      ['listPeople', { query: 'weber' }],
    ]);
    expect(new Set(received.map((call) => call.id)).size).toBe(2);
  });

  it('hands events to subscribers and skips malformed frames', async () => {
    const connected = nextConnection();
    bridge = createBrowserBridge({ url });
    const seen: unknown[] = [];
    bridge.api.on('dataChanged', (payload) => seen.push(payload));
    const socket = await connected;
    socket.send('not json');
    socket.send(JSON.stringify({ event: 'dataChanged', payload: { changes: [] }, extra: 1 }));
    socket.send(JSON.stringify({ id: -1, result: { ok: true, value: 1 } }));
    socket.send(JSON.stringify({ event: 'dataChanged', payload: { first: true } }));
    // A call answered after the frames above proves they were all processed.
    await bridge.api.getSession({});
    expect(seen).toEqual([{ first: true }]);
  });

  it('rejects calls in flight with a typed error when the socket drops, then reconnects', async () => {
    let reconnected = 0;
    const firstConnection = nextConnection();
    bridge = createBrowserBridge({ url, onReconnected: () => (reconnected += 1) });
    await firstConnection;
    const pending = bridge.api.syncNow({});
    await expect.poll(() => received.length).toBe(1);
    const secondConnection = nextConnection();
    sockets[0]?.terminate();
    await expect(pending).rejects.toBeInstanceOf(BridgeDisconnectedError);
    await secondConnection;
    await expect.poll(() => reconnected).toBe(1);
    expect(await bridge.api.getSession({})).toMatchObject({ ok: true });
  });

  it('fails calls after it was closed instead of leaving them hanging', async () => {
    bridge = createBrowserBridge({ url });
    await bridge.api.getSession({});
    bridge.close();
    await expect(bridge.api.getSession({})).rejects.toBeInstanceOf(BridgeDisconnectedError);
  });
});

describe('bridge frames', () => {
  it('accepts replies and events exactly as the protocol defines them', () => {
    expect(parseBridgeReply('{"id":3,"result":{"ok":true,"value":[1]}}')).toEqual({
      id: 3,
      result: { ok: true, value: [1] },
    });
    expect(parseBridgeReply('{"event":"noticesChanged","payload":[]}')).toEqual({
      event: 'noticesChanged',
      payload: [],
    });
  });

  it('rejects anything else', () => {
    for (const frame of [
      '',
      '{',
      'null',
      '{"id":1}',
      '{"id":1,"result":{"ok":false,"error":{"code":"nope","message":""}}}',
      '{"id":"1","result":{"ok":true,"value":1}}',
      '{"event":"x","payload":1,"id":2}',
    ]) {
      expect(parseBridgeReply(frame), frame).toBeNull();
    }
    expect(parseBridgeReply(new ArrayBuffer(4))).toBeNull();
  });
});

describe('bridge token', () => {
  it('takes the token out of the address bar and keeps it for reloads of this tab', () => {
    window.history.replaceState(null, '', '/?token=s3cret&lang=de#/directory');
    const token = takeBridgeToken(window.location, window.history, window.sessionStorage);
    expect(token).toBe('s3cret');
    expect(window.location.search).toBe('?lang=de');
    expect(window.location.hash).toBe('#/directory');
    // After a reload the address no longer has it; the tab still does.
    expect(takeBridgeToken(window.location, window.history, window.sessionStorage)).toBe('s3cret');
  });

  it('builds the socket address on the page origin with a matching scheme', () => {
    expect(bridgeUrl({ protocol: 'http:', host: '127.0.0.1:5123' }, 'a b')).toBe(
      'ws://127.0.0.1:5123/bridge?token=a%20b',
    );
    expect(bridgeUrl({ protocol: 'https:', host: 'localhost:443' }, 't')).toBe(
      'wss://localhost:443/bridge?token=t',
    );
  });
});
