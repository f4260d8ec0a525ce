import { isIP } from 'node:net';
import { CoreError } from '../errors.js';

/**
 * Checks a server address typed by the user and returns it in one canonical form (origin plus
 * path, no trailing slash). HTTPS is required, except plain HTTP to this computer itself (the demo
 * server, tests), where nothing crosses a network.
 */
export function normalizeServerUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw invalid('is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('must start with https://');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw invalid('must use https:// (plain http is only allowed for this computer)');
  }
  if (url.username !== '' || url.password !== '') throw invalid('must not contain a user name or password');
  if (url.search !== '' || url.hash !== '') throw invalid('must not contain a query or fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) return host === '::1';
  return false;
}

function invalid(reason: string): CoreError {
  return new CoreError('invalid_url', `the server address ${reason}`);
}
