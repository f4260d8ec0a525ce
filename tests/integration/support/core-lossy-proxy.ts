/**
 * A hand-rolled HTTP proxy in front of the real server that can lose the answers to token
 * refreshes: the server has handled the refresh (and rotated the token), but the connection
 * breaks before the client hears of it, as on a flaky network.
 */
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenResponse } from '@flurfunk/protocol';

export interface RefreshSeen {
  /** The refresh token the client presented. */
  presented: string;
  /** The refresh token the server issued, whether or not the client got it. */
  issued: string | null;
  delivered: boolean;
}

export interface LossyProxy {
  url: string;
  /** How many of the next refresh answers are lost. */
  loseRefreshAnswers: number;
  refreshes: RefreshSeen[];
  close(): Promise<void>;
}

const refreshPath = '/api/v1/auth/refresh';
const hopByHop = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

export async function startLossyProxy(targetUrl: string): Promise<LossyProxy> {
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const headers = Object.entries(request.headers).flatMap(([name, value]) =>
        hopByHop.has(name) || typeof value !== 'string' ? [] : [[name, value] as [string, string]],
      );
      const answer = await fetch(`${targetUrl}${request.url ?? '/'}`, {
        method: request.method,
        headers,
        body: body === '' ? undefined : body,
      });
      const text = await answer.text();
      if (request.url === refreshPath) {
        const lose = proxy.loseRefreshAnswers > 0;
        if (lose) proxy.loseRefreshAnswers--;
        proxy.refreshes.push({
          presented: (JSON.parse(body) as { refreshToken: string }).refreshToken,
          issued: answer.ok ? TokenResponse.parse(JSON.parse(text)).refreshToken : null,
          delivered: !lose,
        });
        if (lose) {
          request.socket.destroy();
          return;
        }
      }
      response.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'application/octet-stream',
        ...(answer.headers.has('retry-after') ? { 'retry-after': answer.headers.get('retry-after')! } : {}),
      });
      response.end(text);
    })().catch(() => request.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: LossyProxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    loseRefreshAnswers: 0,
    refreshes: [],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return proxy;
}

/** The request body as text: every request of the API is JSON. */
async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
