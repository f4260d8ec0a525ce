import { describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../../../server/src/http/trust-proxy.js';

describe('--trust-proxy / FLURFUNK_TRUST_PROXY', () => {
  it('reads true, false, a hop count and a list of proxy addresses or ranges', () => {
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy(' 10.0.0.5, 192.168.0.0/16 ,fd00::/8,loopback')).toBe(
      '10.0.0.5,192.168.0.0/16,fd00::/8,loopback',
    );
  });

  it('refuses anything else with a message naming the option', () => {
    expect(() => parseTrustProxy('proxy.example.com')).toThrow(/--trust-proxy/);
    expect(() => parseTrustProxy('10.0.0.5,')).toThrow(/--trust-proxy/);
  });
});
