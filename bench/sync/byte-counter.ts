import { type Socket, connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP relay in front of the server that counts what passes: everything on the wire between
 * client and server (HTTP headers, bodies, WebSocket frames), the way a metered link sees it.
 */
export interface ByteCounter {
  url: string;
  /** Bytes the server sent to the client. */
  readonly received: number;
  /** Bytes the client sent to the server. */
  readonly sent: number;
  close(): Promise<void>;
}

export async function startByteCounter(targetUrl: string): Promise<ByteCounter> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let received = 0;
  let sent = 0;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    track(client);
    track(upstream);
    client.on('data', (chunk: Buffer) => (sent += chunk.length));
    upstream.on('data', (chunk: Buffer) => (received += chunk.length));
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get received() {
      return received;
    },
    get sent() {
      return sent;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
