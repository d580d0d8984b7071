import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ClientAddresses, parseTrustedProxies } from './client-address.js';

const request = (peer: string, forwardedFor?: string | string[]) =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as IncomingMessage;

const trusting = (value: string) => {
  const parsed = parseTrustedProxies(value);
  if (!parsed.ok) throw new Error(parsed.reason);
  return new ClientAddresses(parsed.proxies);
};

describe('ClientAddresses', () => {
  it('reads no header when no proxy is trusted', () => {
    expect(new ClientAddresses([]).of(request('10.0.0.2', '203.0.113.7'))).toBe('10.0.0.2');
  });

  it('takes the address a trusted proxy appended, and never what the client wrote before it', () => {
    const addresses = trusting('10.0.0.2');
    expect(addresses.of(request('10.0.0.2', '203.0.113.7'))).toBe('203.0.113.7');
    expect(addresses.of(request('10.0.0.2', '198.51.100.1, 203.0.113.7'))).toBe('203.0.113.7');
    expect(addresses.of(request('10.0.0.3', '203.0.113.7'))).toBe('10.0.0.3');
  });

  it('walks past a chain of trusted proxies, ranges and IPv4-mapped peers included', () => {
    const addresses = trusting('private');
    expect(addresses.of(request('::ffff:172.18.0.4', '203.0.113.7, 10.1.2.3'))).toBe('203.0.113.7');
    expect(addresses.of(request('172.18.0.4', ['203.0.113.7', '10.1.2.3']))).toBe('203.0.113.7');
    // Every hop trusted, or the header missing: the peer itself.
    expect(addresses.of(request('172.18.0.4', '10.1.2.3'))).toBe('172.18.0.4');
    expect(addresses.of(request('172.18.0.4'))).toBe('172.18.0.4');
  });

  it('stops at an entry that is not an address', () => {
    expect(trusting('loopback').of(request('127.0.0.1', 'unknown, <script>'))).toBe('127.0.0.1');
    expect(trusting('::1').of(request('::1', '2001:db8::1'))).toBe('2001:db8::1');
  });
});

describe('parseTrustedProxies', () => {
  it('takes addresses, CIDR ranges and the two names, and says which entry is wrong', () => {
    expect(parseTrustedProxies('')).toEqual({ ok: true, proxies: [] });
    expect(parseTrustedProxies(' 10.0.0.0/8 , ::1,loopback')).toEqual({ ok: true, proxies: ['10.0.0.0/8', '::1', '127.0.0.0/8', '::1'] });
    for (const wrong of ['10.0.0.0/33', 'nginx', '1.2.3.4/8/1', '::1/129', '10.0.0.0/x']) {
      expect(parseTrustedProxies(wrong)).toEqual({ ok: false, reason: expect.stringContaining(`"${wrong}"`) });
    }
  });
});
