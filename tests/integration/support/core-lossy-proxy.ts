/**
 * A hand-rolled HTTP proxy in front of the real server that can lose the answers to token
 * refreshes and to mutation batches: the server has handled the request (rotated the token,
 * applied the writes), but the connection breaks before the client hears of it, as on a flaky
 * network. It does not carry WebSockets: a client's live socket fails and only pulls remain.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenResponse } from '@flurfunk/protocol';
import { forward, readBody } from './http-forward.js';

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
  /** How many of the next mutation answers are lost. */
  loseMutationAnswers: number;
  /** Mutation batches that reached the server, answered or not. */
  mutationBatches: number;
  close(): Promise<void>;
}

const refreshPath = '/api/v1/auth/refresh';
const mutationsPath = '/api/v1/mutations';

export async function startLossyProxy(targetUrl: string): Promise<LossyProxy> {
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const answer = await forward(targetUrl, request, body);
      const { text } = answer;
      if (request.url === mutationsPath) {
        proxy.mutationBatches++;
        if (proxy.loseMutationAnswers > 0) {
          proxy.loseMutationAnswers--;
          request.socket.destroy();
          return;
        }
      }
      if (request.url === refreshPath) {
        const lose = proxy.loseRefreshAnswers > 0;
        if (lose) proxy.loseRefreshAnswers--;
        proxy.refreshes.push({
          presented: (JSON.parse(body.toString('utf8')) as { refreshToken: string }).refreshToken,
          issued: answer.status === 200 ? TokenResponse.parse(JSON.parse(text)).refreshToken : null,
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
    loseMutationAnswers: 0,
    mutationBatches: 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return proxy;
}
