import type { IncomingMessage } from 'node:http';

const hopByHop = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/** The request body as text: every request of the API is JSON. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface ForwardedAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** Sends a proxied request on to `targetUrl` and reads the whole answer. */
export async function forward(
  targetUrl: string,
  request: IncomingMessage,
  body: string,
): Promise<ForwardedAnswer> {
  const headers = Object.entries(request.headers).flatMap(([name, value]) =>
    hopByHop.has(name) || typeof value !== 'string' ? [] : [[name, value] as [string, string]],
  );
  const answer = await fetch(`${targetUrl}${request.url ?? '/'}`, {
    method: request.method,
    headers,
    body: body === '' ? undefined : body,
  });
  return { status: answer.status, headers: answer.headers, text: await answer.text() };
}
