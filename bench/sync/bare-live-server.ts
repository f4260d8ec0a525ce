/**
 * The reference for the live sockets' memory: a bare `ws` server that holds WebSockets on the same
 * path and sends each the same first frame and the same pings as Flurfunk's live hub, and does
 * nothing else (no Fastify, no authentication, no scopes). Run as a child by the fanout benchmark.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

const heartbeatMs = 30_000;

const http = createServer((_request, response) => response.writeHead(404).end());
const sockets = new WebSocketServer({ server: http, path: '/api/v1/live' });
sockets.on('connection', (socket) => socket.send(JSON.stringify({ type: 'changes', upTo: '0' })));
setInterval(() => sockets.clients.forEach((socket) => socket.ping()), heartbeatMs).unref();

http.listen(0, '127.0.0.1', () => {
  const { port } = http.address() as AddressInfo;
  console.log(`bare live server listening on http://127.0.0.1:${port}`);
});
process.on('SIGTERM', () => process.exit(0));
