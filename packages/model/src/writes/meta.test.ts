import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readMeta } from '../records/meta.js';
import { setMeta } from './meta.js';

describe('setMeta', () => {
  it('writes only the given fields', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('schemaVersion', 2);
    setMeta(doc, { title: ' Checkout ', goal: 'Find drop-off' });
    setMeta(doc, { scope: 'Mobile buyers' });
    expect(readMeta(doc)).toMatchObject({
      title: 'Checkout',
      goal: 'Find drop-off',
      scope: 'Mobile buyers',
      schemaVersion: 2,
    });
  });

  it('rejects an empty title without changing anything', () => {
    const doc = new Y.Doc();
    setMeta(doc, { title: 'Kept' });
    const before = Y.encodeStateVector(doc);
    expect(() => setMeta(doc, { title: '', goal: 'x' })).toThrow('setMeta: title must not be empty');
    expect(Y.encodeStateVector(doc)).toEqual(before);
    expect(readMeta(doc).goal).toBe('');
  });
});
