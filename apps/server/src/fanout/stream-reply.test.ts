import { describe, expect, it } from 'vitest';
import { decodeStreamReply } from './stream-reply.js';

const b = (text: string) => Buffer.from(text);

describe('decodeStreamReply', () => {
  it("reads each stream's entries", () => {
    const reply = [
      [b('waymark:room:m1'), [[b('1-0'), [b('node'), b('n1'), b('kind'), b('update'), b('seq'), b('7'), b('data'), Buffer.from([1, 2])]]]],
    ];
    expect(decodeStreamReply(reply)).toEqual([
      ['waymark:room:m1', [{ id: '1-0', content: { node: 'n1', kind: 'update', seq: 7, data: new Uint8Array([1, 2]) } }]],
    ]);
  });

  it('keeps the id of an entry that does not fit, with nothing in it, so the reader moves past it', () => {
    const reply = [
      [
        b('waymark:room:m1'),
        [
          [b('2-0'), [b('node'), b('n1'), b('kind'), b('shout'), b('seq'), b('1'), b('data'), b('x')]],
          [b('3-0'), [b('node'), b('n1'), b('kind'), b('update'), b('seq'), b('-4'), b('data'), b('x')]],
          [b('4-0'), 'not a field list'],
        ],
      ],
    ];
    expect(decodeStreamReply(reply)).toEqual([
      [
        'waymark:room:m1',
        [
          { id: '2-0', content: null },
          { id: '3-0', content: null },
          { id: '4-0', content: null },
        ],
      ],
    ]);
    expect(decodeStreamReply(null)).toEqual([]);
  });
});
