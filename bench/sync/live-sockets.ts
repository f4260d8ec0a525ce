import { LiveChangesFrame } from '@flurfunk/protocol';
import { WebSocket } from 'ws';

/** A live socket as a client holds it, with the `changes` frames it got and when. */
export interface LiveSocket {
  frames: Array<{ upTo: bigint; at: number }>;
  /** When the first frame announcing `seq` or later arrived. */
  heardOf(seq: bigint): number | undefined;
  close(): void;
}

/** Opens `GET /api/v1/live` with a bearer token; resolves once the server's first `changes` frame arrived. */
export function openLiveSocket(serverUrl: string, token: string, clock: () => number): Promise<LiveSocket> {
  const socket = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/api/v1/live`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const frames: LiveSocket['frames'] = [];
  const live: LiveSocket = {
    frames,
    heardOf: (seq) => frames.find((frame) => frame.upTo >= seq)?.at,
    close: () => socket.terminate(),
  };
  return new Promise((resolve, reject) => {
    const refuse = (error: Error) => {
      socket.terminate();
      reject(error);
    };
    socket.on('message', (data) => {
      const at = clock();
      // Other frame types (typing, presence) are not this benchmark's business.
      const frame = LiveChangesFrame.safeParse(JSON.parse(String(data)));
      if (!frame.success) return;
      frames.push({ upTo: BigInt(frame.data.upTo), at });
      if (frames.length === 1) resolve(live);
    });
    socket.once('error', refuse);
    socket.once('unexpected-response', (_request, response) =>
      refuse(new Error(`the live socket was refused with ${response.statusCode}`)),
    );
  });
}

/** Opens one socket per token, `concurrency` handshakes at a time. */
export async function openLiveSockets(
  serverUrl: string,
  tokens: readonly string[],
  clock: () => number,
  concurrency = 50,
): Promise<LiveSocket[]> {
  const sockets: LiveSocket[] = [];
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < tokens.length && failure === undefined) {
      const index = next++;
      try {
        sockets[index] = await openLiveSocket(serverUrl, tokens[index] ?? '', clock);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tokens.length) }, worker));
  if (failure !== undefined) {
    for (const socket of sockets) socket?.close();
    throw failure;
  }
  return sockets;
}
