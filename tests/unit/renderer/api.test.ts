// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, call, onEvent } from '@/api/index.js';
import { installFakeHost } from './fakeHost.js';
import type { FakeHost } from './fakeHost.js';

let host: FakeHost;

beforeEach(() => {
  host = installFakeHost(3);
});

afterEach(() => {
  delete window.flurfunk;
});

describe('contract client', () => {
  it('returns the value of a successful call', async () => {
    const page = await call('listPeople', { query: '', offset: 0, limit: 2 });
    expect(page.total).toBe(3);
    expect(page.people.map((p) => p.displayName)).toEqual(['Person 0000', 'Person 0001']);
  });

  it('throws an ApiError carrying the core error code and wait time', async () => {
    host.loginError = { code: 'rate_limited', message: 'too many', retryAfterSeconds: 120 };
    const failure = await call('login', { serverUrl: 'http://x', username: 'a', password: 'b' }).catch(
      (e) => e,
    );
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 120 });
  });

  it('rejects a result that does not match the contract instead of passing it on', async () => {
    host.api.getSession = async () => ({ ok: true, value: { status: 'signedIn', serverUrl: 'x' } as never });
    const failure = await call('getSession', {}).catch((e) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure.code).toBe('internal');
  });

  it('delivers valid events and drops malformed ones', () => {
    const seen: unknown[] = [];
    const stop = onEvent('syncStatusChanged', (status) => seen.push(status.connection));
    host.emit('syncStatusChanged', { connection: 'offline', state: 'idle', lastSyncedAt: null, error: null });
    host.emit('syncStatusChanged', {
      connection: 'sideways',
      state: 'idle',
      lastSyncedAt: null,
      error: null,
    });
    host.emit('syncStatusChanged', '<img src=x onerror=alert(1)>');
    stop();
    host.emit('syncStatusChanged', { connection: 'online', state: 'idle', lastSyncedAt: null, error: null });
    expect(seen).toEqual(['offline']);
  });
});
