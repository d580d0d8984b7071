import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  dropPending,
  dropSelfListeners,
  entryWriter,
  everHadKey,
  hasPending,
  holderOf,
  holdsContent,
  pendingUpdate,
  topLevelNameOf,
  topLevelTypes,
  trimValueArrays,
} from './yjs-adapter.js';

/** Pins what Waymark relies on in Yjs beyond its documented API: an upgrade that changes it fails here. */
describe('the Yjs adapter', () => {
  it('finds the item holding a nested type, and the name of a top-level one', () => {
    const doc = new Y.Doc();
    const cards = doc.getMap<Y.Map<unknown>>('cards');
    const card = new Y.Map<unknown>();
    cards.set('c1', card);
    expect(holderOf(card)?.parentSub).toBe('c1');
    expect(holderOf(card)?.id.client).toBe(doc.clientID);
    expect(holderOf(cards)).toBeNull();
    expect(topLevelNameOf(doc, cards)).toBe('cards');
    expect(topLevelNameOf(doc, card)).toBeUndefined();
  });

  it('sees top-level types a document only read from an update, and what they hold', () => {
    const writer = new Y.Doc();
    writer.getArray('future').push([1]);
    writer.getMap('meta').set('title', 'x');
    const reader = new Y.Doc();
    Y.applyUpdate(reader, Y.encodeStateAsUpdate(writer));
    const future = topLevelTypes(reader).get('future')!;
    expect(future).toBeDefined();
    expect(holdsContent(future)).toEqual({ list: true, entries: false });
    expect(holdsContent(topLevelTypes(reader).get('meta')!)).toEqual({ list: false, entries: true });
  });

  it('names the client that wrote a map entry’s live value, and none once it is deleted', () => {
    const first = new Y.Doc();
    const second = new Y.Doc();
    first.getMap('emotions').set('p:s:ana', 1);
    Y.applyUpdate(second, Y.encodeStateAsUpdate(first));
    const emotions = second.getMap('emotions');
    expect(entryWriter(emotions, 'p:s:ana')).toBe(first.clientID);
    emotions.set('p:s:ana', 2);
    expect(entryWriter(emotions, 'p:s:ana')).toBe(second.clientID);
    emotions.delete('p:s:ana');
    expect(entryWriter(emotions, 'p:s:ana')).toBeUndefined();
    expect(entryWriter(emotions, 'p:s:ben')).toBeUndefined();
  });

  it('remembers every key a map ever had, deleted or not', () => {
    const doc = new Y.Doc();
    const map = doc.getMap('stages');
    map.set('s1', 1);
    map.delete('s1');
    expect(map.has('s1')).toBe(false);
    expect(everHadKey(map, 's1')).toBe(true);
    expect(everHadKey(map, 's2')).toBe(false);
    expect(everHadKey(undefined, 's1')).toBe(false);
  });

  it('tells, gives and drops what waits for missing content', () => {
    const writer = new Y.Doc();
    const updates: Uint8Array[] = [];
    writer.on('update', (update: Uint8Array) => updates.push(update));
    writer.getMap('m').set('a', 1);
    writer.getMap('m').set('b', 2);
    const reader = new Y.Doc();
    Y.applyUpdate(reader, updates[1]!);
    expect(hasPending(reader)).toBe(true);
    expect(Y.decodeUpdateV2(pendingUpdate(reader)!).structs.length).toBeGreaterThan(0);
    dropPending(reader);
    expect(hasPending(reader)).toBe(false);
    expect(pendingUpdate(reader)).toBeNull();
  });

  it('trims stored values to their size, and drops a document’s own listeners', () => {
    const writer = new Y.Doc();
    writer.getMap('m').set('a', 'value');
    const reader = new Y.Doc();
    Y.applyUpdate(reader, Y.encodeStateAsUpdate(writer));
    trimValueArrays(reader);
    expect(reader.getMap('m').get('a')).toBe('value');
    expect(reader._observers.size).toBeGreaterThan(0);
    dropSelfListeners(reader);
    expect(reader._observers.size).toBe(0);
    reader.getMap('m').set('b', 1);
    expect(reader.getMap('m').get('b')).toBe(1);
  });
});
