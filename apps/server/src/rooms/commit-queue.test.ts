import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MemoryMapStore } from '../storage/memory-store.js';
import { CommitQueue } from './commit-queue.js';

/** The map as a node loading it from the store now would build it. */
async function loaded(store: MemoryMapStore, mapId: string): Promise<Y.Doc> {
  const stored = await store.load(mapId);
  const doc = new Y.Doc();
  for (const part of stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates) Y.applyUpdate(doc, part);
  return doc;
}

describe('CommitQueue with fan-out between nodes', () => {
  it('folds into a snapshot only the stored updates its document holds', async () => {
    const store = new MemoryMapStore();
    await store.createMap('m', Y.encodeStateAsUpdate(new Y.Doc()), 0);
    const doc = new Y.Doc();
    const published: number[] = [];
    const settings = { store, compactAfterUpdates: 1000, compactAfterBytes: 1 << 30 };
    const queue = new CommitQueue(
      'm',
      doc,
      settings,
      new Set(),
      (error) => {
        throw error;
      },
      (_updates, lastSeq) => published.push(lastSeq),
    );
    queue.restore(await store.load('m'));

    // Another node stores an update that has not reached this node's document yet…
    const elsewhere = new Y.Doc();
    elsewhere.getMap('cards').set('from-b', 'typed on B');
    const fromB = Y.encodeStateAsUpdate(elsewhere);
    const seqB = await store.appendUpdates('m', [fromB]);
    // …then this node commits one of its own, numbered after it.
    doc.getMap('cards').set('from-a', 'typed on A');
    queue.append(Y.encodeStateAsUpdate(doc), new Uint8Array(), null);
    await queue.drain();
    expect(published).toEqual([seqB + 1]);

    await queue.compact();
    expect((await loaded(store, 'm')).getMap('cards').toJSON()).toEqual({ 'from-a': 'typed on A', 'from-b': 'typed on B' });

    // Once the fan-out has brought it, the next compaction folds the whole log.
    Y.applyUpdate(doc, fromB);
    queue.noteStoredElsewhere(seqB);
    doc.getMap('cards').set('from-a', 'retyped on A');
    queue.append(Y.encodeStateAsUpdate(doc), new Uint8Array(), null);
    await queue.drain();
    await queue.compact();
    expect((await store.load('m')).updates).toEqual([]);
    expect((await loaded(store, 'm')).getMap('cards').toJSON()).toEqual({ 'from-a': 'retyped on A', 'from-b': 'typed on B' });
  });
});
