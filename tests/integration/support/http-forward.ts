import type { IncomingMessage } from 'node:http';

const hopByHop = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/** The request body, byte for byte (file uploads pass through too). */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface ForwardedAnswer {
  status: number;
  headers: Headers;
  bytes: Buffer;
  /** The body as text, for JSON answers. */
  text: string;
}

/** Sends a proxied request on to `targetUrl` and reads the whole answer. */
export async function forward(
  targetUrl: string,
  request: IncomingMessage,
  body: Buffer,
): Promise<ForwardedAnswer> {
  const headers = Object.entries(request.headers).flatMap(([name, value]) =>
    hopByHop.has(name) || typeof value !== 'string' ? [] : [[name, value] as [string, string]],
  );
  const answer = await fetch(`${targetUrl}${request.url ?? '/'}`, {
    method: request.method,
    headers,
    body: body.length === 0 ? undefined : new Uint8Array(body),
  });
  const bytes = Buffer.from(await answer.arrayBuffer());
  return { status: answer.status, headers: answer.headers, bytes, text: bytes.toString('utf8') };
}
