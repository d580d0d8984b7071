import { readMap, type MapSnapshot } from '@waymark/model';
import * as Y from 'yjs';
import type { RunningServer } from './server.js';

/** A map as the first Waymark stored it: no schemaVersion, a lane kind v2 renamed, a v1 card (`color`, plain-string text). */
export function v1MapDoc(): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    doc.getMap('meta').set('title', 'Checkout (2023 workshop)');
    const put = (collection: string, id: string, fields: Record<string, unknown>) => {
      const record = new Y.Map<unknown>();
      doc.getMap(collection).set(id, record);
      for (const [key, value] of Object.entries(fields)) record.set(key, value);
    };
    put('stages', 'stagePay', { name: 'Pay', order: 'a0' });
    put('lanes', 'lanePain', { title: 'Pain', kind: 'pain', order: 'a0' });
    put('cards', 'cardShipping', {
      stageId: 'stagePay',
      laneId: 'lanePain',
      order: 'a0',
      text: 'Shipping cost only shown at the end',
      color: 'pink',
    });
  });
  return doc;
}

/** The map as the store holds it now (snapshot, then log), read into a fresh document. */
export async function storedDoc(running: RunningServer, mapId: string): Promise<Y.Doc> {
  const { snapshot, updates } = await running.server.store.load(mapId);
  const doc = new Y.Doc();
  for (const part of snapshot ? [snapshot, ...updates] : updates) Y.applyUpdate(doc, part);
  return doc;
}

/**
 * The map as the model's readers see it. Problems come in the order the document iterates its
 * keys, which is the order that copy happened to receive them; sorted, converged copies compare equal.
 */
export function readCanonical(doc: Y.Doc): MapSnapshot {
  const map = readMap(doc);
  const problems = [...map.problems].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { ...map, problems };
}
