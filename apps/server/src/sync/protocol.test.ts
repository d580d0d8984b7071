import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeMessage, encodeSyncStep1, encodeSyncUpdate, isEmptyUpdate, KEEPALIVE_FRAME, ProtocolError } from './protocol.js';

const update = () => {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'hello');
  return Y.encodeStateAsUpdate(doc);
};

describe('decodeMessage', () => {
  it('reads the messages the stock client sends', () => {
    const sv = Y.encodeStateVector(new Y.Doc());
    expect(decodeMessage(encodeSyncStep1(sv))).toEqual({ type: 'sync-step1', stateVector: sv });
    const u = update();
    const message = decodeMessage(encodeSyncUpdate(u));
    expect(message).toMatchObject({ type: 'sync-update', update: u });
    expect(message.type === 'sync-update' && isEmptyUpdate(message.decoded)).toBe(false);
    const empty = decodeMessage(encodeSyncUpdate(Y.encodeStateAsUpdate(new Y.Doc())));
    expect(empty.type === 'sync-update' && isEmptyUpdate(empty.decoded)).toBe(true);
    expect(decodeMessage(Uint8Array.from([3]))).toEqual({ type: 'query-awareness' });
    expect(decodeMessage(KEEPALIVE_FRAME)).toMatchObject({ type: 'awareness', entries: [] });
  });

  it.each([
    ['empty', new Uint8Array()],
    ['unknown type', Uint8Array.from([9])],
    ['auth from a client', Uint8Array.from([2, 0, 0])],
    ['truncated', encodeSyncUpdate(update()).slice(0, 6)],
    ['trailing', Uint8Array.from([...encodeSyncUpdate(update()), 1])],
    ['bad state vector', Uint8Array.from([0, 0, 3, 0xff, 0xff, 0xff])],
  ])('refuses %s input with a ProtocolError', (_name, bytes) => {
    expect(() => decodeMessage(bytes)).toThrow(ProtocolError);
  });
});
