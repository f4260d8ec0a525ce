import { subscribe } from 'node:diagnostics_channel';

/** Names each request the core sends, so its departure can be recognised (and in proxy logs). */
export const requestIdHeader = 'x-request-id';

const departures = new Map<string, () => void>();
const idInHeaders = new RegExp(`^${requestIdHeader}: ([0-9a-f-]{36})\r$`, 'im');

// fetch (undici) reports each request whose headers it has written to a socket. The message is
// undici's; it is read defensively, as a future version may shape it differently.
subscribe('undici:client:sendHeaders', (message) => {
  if (departures.size === 0) return;
  const headers = (message as { headers?: unknown } | null)?.headers;
  if (typeof headers !== 'string') return;
  const id = idInHeaders.exec(headers)?.[1];
  const departed = id === undefined ? undefined : departures.get(id);
  if (id === undefined || departed === undefined) return;
  departures.delete(id);
  departed();
});

/**
 * Calls `departed` once the request with header `x-request-id: id` has left for the server;
 * returns what stops watching (the request is answered, failed or was never sent).
 */
export function onDeparture(id: string, departed: () => void): () => void {
  departures.set(id, departed);
  return () => departures.delete(id);
}
