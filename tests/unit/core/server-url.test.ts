import { describe, expect, it } from 'vitest';
import { isLoopbackHost, normalizeServerUrl } from '../../../electron/core/session/server-url.js';

function errorCode(input: string): string | null {
  try {
    normalizeServerUrl(input);
    return null;
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe('normalizeServerUrl', () => {
  it('accepts https anywhere and returns a canonical form', () => {
    expect(normalizeServerUrl('https://flurfunk.example.com/')).toBe('https://flurfunk.example.com');
    expect(normalizeServerUrl(' HTTPS://Flurfunk.Example.com:8443/api-root/ ')).toBe(
      'https://flurfunk.example.com:8443/api-root',
    );
  });

  it('accepts plain http only to this computer', () => {
    expect(normalizeServerUrl('http://127.0.0.1:4100')).toBe('http://127.0.0.1:4100');
    expect(normalizeServerUrl('http://localhost:4100/')).toBe('http://localhost:4100');
    expect(normalizeServerUrl('http://[::1]:4100')).toBe('http://[::1]:4100');
    expect(normalizeServerUrl('http://127.5.6.7')).toBe('http://127.5.6.7');
  });

  it.each([
    'http://flurfunk.example.com',
    'http://192.168.1.10:4100',
    'http://localhost.example.com',
    'http://[::2]',
    'ftp://flurfunk.example.com',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'flurfunk.example.com',
    'https://user:secret@flurfunk.example.com',
    'https://flurfunk.example.com/?x=1',
    'https://flurfunk.example.com/#top',
    '',
  ])('refuses %j as invalid_url', (input) => {
    expect(errorCode(input)).toBe('invalid_url');
  });
});

describe('isLoopbackHost', () => {
  it('knows the loopback names and addresses', () => {
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('127.evil.com')).toBe(false);
  });
});
