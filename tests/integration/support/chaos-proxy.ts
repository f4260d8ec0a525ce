/**
 * A proxy in front of the real server that misbehaves on purpose, driven by a seeded random
 * source so a failing run can be replayed: it drops requests before they reach the server,
 * loses answers after the server acted, sends requests twice, and lets live sockets go silent
 * (open, but nothing passes) or break. It can also cut off every request to chosen routes (say,
 * only the mutation batches) while the rest, sync and the live socket included, passes.
 */
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { forward, readBody } from './http-forward.js';

const hopByHopAnswer = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
]);

export interface Faults {
  /** Chance that a request is cut off before the server sees it. */
  dropRequest: number;
  /** Chance that the server's answer is lost after it acted. */
  dropAnswer: number;
  /** Chance that a request reaches the server twice (the client sees the first answer). */
  duplicate: number;
}

export const noFaults: Faults = { dropRequest: 0, dropAnswer: 0, duplicate: 0 };

export interface ChaosProxy {
  url: string;
  faults: Faults;
  /**
   * Routes such as `POST /api/v1/mutations` whose requests are all cut off before the server sees
   * them, whatever the faults (the query string is not part of the route).
   */
  blockedRoutes: Set<string>;
  stats: {
    requests: number;
    droppedRequests: number;
    lostAnswers: number;
    duplicated: number;
    blockedRequests: number;
  };
  /** Live sockets stay open but nothing passes any more, as behind a NAT that forgot them. */
  silenceSockets(): void;
  /** Live sockets are cut. */
  breakSockets(): void;
  /** Cuts everything, live sockets included, and refuses every new request until `goOnline`. */
  goOffline(): void;
  goOnline(): void;
  close(): Promise<void>;
}

export async function startChaosProxy(targetUrl: string, random: () => number): Promise<ChaosProxy> {
  const target = new URL(targetUrl);
  const tunnels = new Set<{ client: Socket; upstream: Socket }>();
  let offline = false;

  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      proxy.stats.requests++;
      if (offline) {
        request.socket.destroy();
        return;
      }
      const { faults } = proxy;
      if (proxy.blockedRoutes.has(`${request.method} ${(request.url ?? '/').split('?')[0]}`)) {
        proxy.stats.blockedRequests++;
        request.socket.destroy();
        return;
      }
      if (random() < faults.dropRequest) {
        proxy.stats.droppedRequests++;
        request.socket.destroy();
        return;
      }
      const first = await forward(targetUrl, request, body);
      if (random() < faults.duplicate) {
        proxy.stats.duplicated++;
        await forward(targetUrl, request, body).catch(() => undefined);
      }
      if (random() < faults.dropAnswer) {
        proxy.stats.lostAnswers++;
        request.socket.destroy();
        return;
      }
      // The server's headers go along (a file's name and type are in them), except those of
      // the hop itself.
      const headers = [...first.headers].filter(([name]) => !hopByHopAnswer.has(name));
      response.writeHead(first.status, Object.fromEntries(headers));
      response.end(first.bytes);
    })().catch(() => request.socket.destroy());
  });

  // Live sockets are tunnelled byte for byte, so they can be silenced without the ends noticing.
  server.on('upgrade', (request: IncomingMessage, client: Socket, head: Buffer) => {
    if (offline) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname, () => {
      const lines = [`${request.method} ${request.url} HTTP/1.1`];
      for (let i = 0; i < request.rawHeaders.length; i += 2) {
        lines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    const tunnel = { client, upstream };
    tunnels.add(tunnel);
    const end = () => {
      tunnels.delete(tunnel);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: ChaosProxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    faults: { ...noFaults },
    blockedRoutes: new Set(),
    stats: { requests: 0, droppedRequests: 0, lostAnswers: 0, duplicated: 0, blockedRequests: 0 },
    silenceSockets() {
      for (const { client, upstream } of tunnels) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        // Read and discard: the bytes are lost, the connections stay open.
        client.on('data', () => undefined);
        upstream.on('data', () => undefined);
      }
    },
    breakSockets() {
      for (const { client, upstream } of tunnels) {
        client.destroy();
        upstream.destroy();
      }
    },
    goOffline() {
      offline = true;
      proxy.breakSockets();
    },
    goOnline() {
      offline = false;
    },
    close: () =>
      new Promise((resolve) => {
        proxy.breakSockets();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return proxy;
}
