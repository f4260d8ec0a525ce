import { LiveServerFrame } from '@flurfunk/protocol';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { decodeNotice, encodeNotice } from '../../../server/src/live/change-notice.js';
import { LiveConnection } from '../../../server/src/live/live-connection.js';

const principal = { personId: crypto.randomUUID(), deviceId: crypto.randomUUID(), roles: [] };

/** Records what the connection sends; stands in for an open `ws` socket. */
function recordingSocket() {
  const sent: LiveServerFrame[] = [];
  const socket = {
    OPEN: 1,
    readyState: 1,
    send: (data: string) => sent.push(LiveServerFrame.parse(JSON.parse(data))),
  } as unknown as WebSocket;
  return { socket, sent };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

it('sends the first offer at once and coalesces a burst into one frame with the newest seq', () => {
  const { socket, sent } = recordingSocket();
  const connection = new LiveConnection(socket, principal, 50);
  connection.offer('10');
  expect(sent).toEqual([{ type: 'changes', upTo: '10' }]);

  for (let seq = 11; seq <= 40; seq++) connection.offer(String(seq));
  expect(sent).toHaveLength(1);
  vi.advanceTimersByTime(50);
  expect(sent).toEqual([
    { type: 'changes', upTo: '10' },
    { type: 'changes', upTo: '40' },
  ]);
  vi.advanceTimersByTime(500);
  expect(sent).toHaveLength(2);
});

it('never announces a seq the client has already been told about', () => {
  const { socket, sent } = recordingSocket();
  const connection = new LiveConnection(socket, principal, 50);
  connection.offer('7');
  vi.advanceTimersByTime(100);
  connection.offer('7');
  connection.offer('3');
  vi.advanceTimersByTime(100);
  expect(sent).toEqual([{ type: 'changes', upTo: '7' }]);
});

it('sends nothing once disposed', () => {
  const { socket, sent } = recordingSocket();
  const connection = new LiveConnection(socket, principal, 50);
  connection.offer('1');
  connection.offer('2');
  connection.dispose();
  vi.advanceTimersByTime(100);
  expect(sent).toEqual([{ type: 'changes', upTo: '1' }]);
});

it('round-trips a notice through its NOTIFY payload and rejects foreign payloads', () => {
  const notice = { upTo: '123', scopes: ['company', 'chat:0190a5c4-8f3e-7b21-9c4d-2e6f1a3b5c7d'] };
  expect(decodeNotice(encodeNotice(notice))).toEqual(notice);
  expect(decodeNotice('not json')).toBeNull();
  expect(decodeNotice(JSON.stringify({ upTo: '-1', scopes: 'any' }))).toBeNull();
  expect(decodeNotice(JSON.stringify({ upTo: '1', scopes: ['planet:earth'] }))).toBeNull();
});

it('announces a notice with too many scopes for one NOTIFY to everyone instead', () => {
  const scopes = Array.from(
    { length: 1000 },
    (_, i) => `user:00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
  );
  expect(decodeNotice(encodeNotice({ upTo: '5', scopes }))).toEqual({ upTo: '5', scopes: 'any' });
});
