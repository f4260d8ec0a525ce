import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Core } from '@flurfunk/core';
import { BridgeCall, type BridgeReply, type IpcResult } from '@flurfunk/protocol';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

export const bridgePath = '/bridge';

/** Far above any contract call (a login is under 4 KiB); a bigger frame closes the socket. */
const maxPayloadBytes = 1024 * 1024;

export interface BridgeOptions {
  core: Core;
  /** The host's own origin, e.g. `http://127.0.0.1:4180`: the only page allowed to connect. */
  origin: string;
  token: string;
}

export interface Bridge {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

/**
 * Carries the IPC contract over a WebSocket to the renderer in a plain browser. Only a page from
 * the host's own origin that knows the per-start token gets in: any other local process or web
 * page the user happens to visit could otherwise drive the user's session.
 */
export function createBridge({ core, origin, token }: BridgeOptions): Bridge {
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxPayloadBytes, perMessageDeflate: false });
  const expectedToken = digest(token);

  const unsubscribe = core.onEvent((event, payload) => {
    const frame = JSON.stringify({ event, payload } satisfies BridgeReply);
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(frame);
  });

  function refusal(req: IncomingMessage): number | null {
    const url = URL.parse(req.url ?? '', origin);
    if (url === null) return 400;
    if (url.pathname !== bridgePath) return 404;
    const given = url.searchParams.get('token');
    if (given === null || !timingSafeEqual(digest(given), expectedToken)) return 401;
    if (req.headers.origin !== origin) return 403;
    return null;
  }

  function serve(ws: WebSocket): void {
    // ws reports oversized or broken frames here and then closes the socket itself.
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const call = parseCall(data);
      if (call === null) return;
      if ('malformedId' in call) {
        send(ws, { id: call.malformedId, result: invalidCall });
        return;
      }
      void answer(call.method, call.args).then((result) => send(ws, { id: call.id, result }));
    });
  }

  async function answer(method: string, args: unknown): Promise<IpcResult<unknown>> {
    try {
      return await core.invoke(method, args);
    } catch {
      return { ok: false, error: { code: 'internal', message: 'The core did not answer the call.' } };
    }
  }

  return {
    handleUpgrade(req, socket, head) {
      const status = refusal(req);
      if (status !== null) {
        socket.once('finish', () => socket.destroy());
        socket.end(
          `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
        );
        return;
      }
      wss.handleUpgrade(req, socket, head, serve);
    },
    close() {
      unsubscribe();
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

const invalidCall: IpcResult<never> = {
  ok: false,
  error: { code: 'invalid_args', message: 'The frame is not a bridge call {id, method, args}.' },
};

/** A valid call; the id of an invalid call that still has one (so the caller hears back); or null. */
function parseCall(data: RawData): BridgeCall | { malformedId: number } | null {
  let json: unknown;
  try {
    json = JSON.parse(rawText(data));
  } catch {
    return null;
  }
  const call = BridgeCall.safeParse(json);
  if (call.success) return call.data;
  const id = typeof json === 'object' && json !== null && 'id' in json ? json.id : undefined;
  return Number.isSafeInteger(id) && (id as number) >= 0 ? { malformedId: id as number } : null;
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function send(ws: WebSocket, reply: BridgeReply): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
