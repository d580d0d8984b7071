import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './reconnect-delay';
import { decodeNotice, readServerMessage } from './server-notice';

const authMessage = (subtype: number, text: string) => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, subtype);
  encoding.writeVarString(encoder, text);
  return decoding.createDecoder(encoding.toUint8Array(encoder));
};

describe('readServerMessage', () => {
  it('reads refusals and notices from the server’s own channel', () => {
    expect(readServerMessage(authMessage(0, 'read-only link'))).toEqual({ kind: 'denied', reason: 'read-only link' });
    expect(readServerMessage(authMessage(1, '{"kind":"read-only","reason":"disk full"}'))).toEqual({
      kind: 'read-only',
      reason: 'disk full',
    });
    expect(readServerMessage(authMessage(1, '{"kind":"writable"}'))).toEqual({ kind: 'writable' });
    expect(readServerMessage(authMessage(1, '{"kind":"damaged","reason":"2 stored changes were damaged"}'))).toEqual({
      kind: 'damaged',
      reason: '2 stored changes were damaged',
    });
    expect(decodeNotice('{"kind":"damaged"}')).toBeNull();
  });

  it('ignores subtypes and notices it does not know, and malformed ones', () => {
    expect(readServerMessage(authMessage(7, 'x'))).toBeNull();
    expect(decodeNotice('not json')).toBeNull();
    expect(decodeNotice('{"kind":"party"}')).toBeNull();
    expect(decodeNotice('{"kind":"read-only"}')).toEqual({ kind: 'read-only', reason: 'the server is not saving changes right now' });
  });
});

describe('reconnectDelay', () => {
  it('waits a random time up to a cap that doubles per attempt', () => {
    expect(reconnectDelay(0, () => 1)).toBe(250);
    expect(reconnectDelay(3, () => 1)).toBe(2000);
    expect(reconnectDelay(20, () => 1)).toBe(10_000);
    expect(reconnectDelay(3, () => 0)).toBe(0);
    const spread = new Set(Array.from({ length: 50 }, () => reconnectDelay(4)));
    expect(spread.size).toBeGreaterThan(10);
  });
});
