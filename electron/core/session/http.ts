import { randomUUID } from 'node:crypto';
import { ErrorBody } from '@flurfunk/protocol';
import type { ServerErrorCode } from '@flurfunk/protocol';
import type { z } from 'zod';
import { CoreError, SyncLogReplacedError } from '../errors.js';
import { onDeparture, requestIdHeader } from './request-departure.js';

/** How long one request to the company server may take before the server counts as unreachable. */
const requestTimeoutMs = 15_000;

export interface ServerRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the server URL, e.g. `/api/v1/sync?after=0`. */
  path: string;
  body?: unknown;
  accessToken?: string;
  signal?: AbortSignal;
  /** Called once the request has been written to the connection, before any answer. */
  onSent?: () => void;
}

/** A response that arrived, successful or not. */
export interface ServerResponse {
  status: number;
  retryAfter: string | null;
  /** The parsed JSON body, or undefined when there was none or it was not JSON. */
  body: unknown;
}

/** Sends one request; a network failure or timeout becomes `unreachable`. */
export async function sendRequest(serverUrl: string, request: ServerRequest): Promise<ServerResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (request.accessToken !== undefined) headers.authorization = `Bearer ${request.accessToken}`;
  const id = randomUUID();
  headers[requestIdHeader] = id;
  const stopWatching = request.onSent ? onDeparture(id, request.onSent) : () => undefined;
  const timeout = AbortSignal.timeout(requestTimeoutMs);
  try {
    const response = await fetch(`${serverUrl}${request.path}`, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: request.signal ? AbortSignal.any([request.signal, timeout]) : timeout,
      redirect: 'error',
    });
    const text = await readCapped(response);
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: parseJson(text),
    };
  } catch (error) {
    if (request.signal?.aborted || error instanceof CoreError) throw error;
    const reason = timeout.aborted ? 'did not answer in time' : 'cannot be reached';
    throw new CoreError('unreachable', `the server ${reason}`);
  } finally {
    stopWatching();
  }
}

/**
 * The largest answer the core reads: a full sync page of long messages is a few MB. A server (or
 * something pretending to be one) that sends more is cut off instead of filling the memory.
 */
export const maxResponseBytes = 32 * 1024 * 1024;

async function readCapped(response: Response): Promise<string> {
  return (await readCappedBytes(response, maxResponseBytes)).toString('utf8');
}

/**
 * A response's body, but no more than `limit` bytes: past it (declared or as it streams in) the
 * rest is cancelled and `tooLarge` is thrown, so a server cannot fill the memory.
 */
export async function readCappedBytes(
  response: Response,
  limit: number,
  tooLarge: () => CoreError = () => new CoreError('server_error', `the server sent more than ${limit} bytes`),
): Promise<Buffer> {
  if (Number(response.headers.get('content-length')) > limit) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    // Throwing out of the loop cancels the rest of the body.
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The body of a successful response, checked against its schema. */
export function parseResponse<S extends z.ZodType>(
  response: ServerResponse,
  schema: S,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(response.body);
  if (!parsed.success) throw new CoreError('server_error', `the server sent a malformed ${what}`);
  return parsed.data;
}

/** The server's error code of a failed response, when it sent a well-formed error body. */
export function serverErrorCode(response: ServerResponse): ServerErrorCode | null {
  const parsed = ErrorBody.safeParse(response.body);
  return parsed.success ? parsed.data.error.code : null;
}

/**
 * Maps a failed response to the error the user sees. `login` turns 401 into wrong credentials;
 * elsewhere a 401 is handled by the token refresh before it gets here.
 */
export function errorFromResponse(
  response: ServerResponse,
  context: 'login' | 'request',
  now = Date.now(),
): CoreError {
  if (response.status === 401 && context === 'login') {
    return new CoreError('invalid_credentials', 'the user name or password is wrong');
  }
  if (response.status === 429) {
    return new CoreError(
      'rate_limited',
      'too many attempts; try again later',
      parseRetryAfter(response.retryAfter, now) ?? undefined,
    );
  }
  if (response.status === 403) return new CoreError('forbidden', 'the server refused: not allowed');
  if (response.status === 404) return new CoreError('not_found', 'the server does not know it');
  if (response.status === 413) return new CoreError('file_too_large', 'the server takes no file this large');
  if (response.status === 415)
    return new CoreError('file_type_refused', 'the server takes no file of this type');
  const code = serverErrorCode(response);
  if (code === 'resync_required') return new SyncLogReplacedError('the server does not know the cursor');
  return new CoreError('server_error', `the server answered ${response.status}${code ? ` (${code})` : ''}`);
}

/** Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** The JSON of a body, or undefined when it is empty or not JSON. */
export function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
