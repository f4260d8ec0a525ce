import { describe, expect, it } from 'vitest';
import { SyncLogReplacedError } from '../../../electron/core/errors.js';
import { errorFromResponse, parseResponse, parseRetryAfter } from '../../../electron/core/session/http.js';
import { TokenResponse } from '@flurfunk/protocol';

const errorBody = (code: string) => ({ error: { code, message: 'x' } });

describe('errorFromResponse', () => {
  it('maps a refused login to invalid_credentials', () => {
    const error = errorFromResponse(
      { status: 401, retryAfter: null, body: errorBody('invalid_credentials') },
      'login',
    );
    expect(error.code).toBe('invalid_credentials');
  });

  it('maps 429 to rate_limited with the seconds to wait', () => {
    const error = errorFromResponse(
      { status: 429, retryAfter: '840', body: errorBody('rate_limited') },
      'login',
    );
    expect(error.toIpcError()).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 840 });
  });

  it('leaves out the wait when the server gave none', () => {
    const error = errorFromResponse({ status: 429, retryAfter: null, body: undefined }, 'request');
    expect(error.toIpcError()).not.toHaveProperty('retryAfterSeconds');
  });

  it('maps everything else to server_error, naming the status and code', () => {
    const error = errorFromResponse({ status: 500, retryAfter: null, body: errorBody('internal') }, 'login');
    expect(error.code).toBe('server_error');
    expect(error.message).toContain('500 (internal)');
    expect(errorFromResponse({ status: 502, retryAfter: null, body: '<html>' }, 'request').code).toBe(
      'server_error',
    );
  });

  it('maps resync_required to the change log being replaced, a server_error if nobody handles it', () => {
    const error = errorFromResponse(
      { status: 410, retryAfter: null, body: errorBody('resync_required') },
      'request',
    );
    expect(error).toBeInstanceOf(SyncLogReplacedError);
    expect(error.code).toBe('server_error');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Wed, 01 Jan 2025 12:05:00 GMT', now)).toBe(300);
    expect(parseRetryAfter('Wed, 01 Jan 2025 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe('parseResponse', () => {
  it('refuses a malformed token response as server_error', () => {
    const response = { status: 200, retryAfter: null, body: { accessToken: 'a', refreshToken: '' } };
    expect(() => parseResponse(response, TokenResponse, 'login response')).toThrow(
      expect.objectContaining({ code: 'server_error' }),
    );
  });
});
