import {
  createMapFromTemplate,
  DEFAULT_CARD_COLOUR,
  DEFAULT_EVIDENCE,
  newId,
  orderKeysBetween,
  readLanes,
  readStages,
} from '@waymark/model';
import * as Y from 'yjs';
import { seededRandom } from '../../support/random.js';

/** A big journey map and the history that built it, for the cold-load scenario. */
export interface ColdMap {
  /** The map as created (template), before the history. */
  initial: Uint8Array;
  /** Every change after that, one Yjs update per transaction, oldest first. */
  updates: Uint8Array[];
  /** Everything merged: what a fully loaded document holds. */
  merged: Uint8Array;
  /** Clock per client of the full document; a client is loaded when it has reached these. */
  stateVector: Record<string, number>;
  cards: number;
}

/**
 * Builds a buyer-journey map with `cards` cards whose history holds `updates` updates: one per
 * card created, the rest typing into, deleting from and moving random cards, the way people
 * edit. Seeded, so every server loads the same bytes.
 */
export function buildColdMap(cards: number, updates: number, seed = 7): ColdMap {
  const random = seededRandom(seed);
  const doc = new Y.Doc();
  createMapFromTemplate(doc, { title: 'Cold load', template: 'buyer-journey' }, { kind: 'server' });
  const initial = Y.encodeStateAsUpdate(doc);
  const stages = readStages(doc).map((s) => s.id);
  const lanes = readLanes(doc).map((l) => l.id);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const log: Uint8Array[] = [];
  const keep = (update: Uint8Array) => log.push(update);
  doc.on('update', keep);

  const cardMap = doc.getMap<Y.Map<unknown>>('cards');
  const orders = orderKeysBetween(null, null, cards);
  const ids: string[] = [];
  for (let i = 0; i < cards; i++) {
    const id = newId();
    ids.push(id);
    doc.transact(() => {
      const record = new Y.Map<unknown>();
      cardMap.set(id, record);
      record.set('stageId', pick(stages));
      record.set('laneId', pick(lanes));
      record.set('order', orders[i]);
      record.set('text', new Y.Text(`Card ${i}: customer compares plans`));
      record.set('colour', DEFAULT_CARD_COLOUR);
      record.set('tags', []);
      record.set('personaIds', []);
      record.set('evidence', DEFAULT_EVIDENCE);
      record.set('links', []);
      record.set('author', 'bench');
      record.set('createdAt', 1_700_000_000_000 + i);
    });
  }
  const words = ['price ', 'trial ', 'signup ', 'support ', 'onboard ', 'churn ', 'email ', 'demo '];
  while (log.length < updates) {
    const record = cardMap.get(pick(ids))!;
    const text = record.get('text') as Y.Text;
    const roll = random();
    doc.transact(() => {
      if (roll < 0.65 || text.length < 2) {
        text.insert(Math.floor(random() * (text.length + 1)), pick(words).slice(0, 1 + Math.floor(random() * 4)));
      } else if (roll < 0.85) {
        text.delete(Math.floor(random() * (text.length - 1)), 1);
      } else {
        record.set('stageId', pick(stages));
        record.set('laneId', pick(lanes));
      }
    });
  }
  doc.off('update', keep);
  const merged = Y.encodeStateAsUpdate(doc);
  const stateVector = Object.fromEntries([...Y.decodeStateVector(Y.encodeStateVector(doc))].map(([c, n]) => [String(c), n]));
  doc.destroy();
  return { initial, updates: log, merged, stateVector, cards };
}

/** Median time of `runs` runs of `apply` on an empty document, in this process. */
function medianApplyMs(apply: (doc: Y.Doc) => void, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const doc = new Y.Doc();
    const started = performance.now();
    apply(doc);
    times.push(performance.now() - started);
    doc.destroy();
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** Yjs applying the merged state to an empty document: the cold-load target's baseline. */
export const yjsApplyMs = (map: ColdMap, runs = 5): number => medianApplyMs((doc) => Y.applyUpdate(doc, map.merged), runs);

/** Yjs replaying the whole history into an empty document, in one transaction (for reference). */
export const yjsReplayMs = (map: ColdMap, runs = 3): number =>
  medianApplyMs((doc) => {
    Y.transact(doc, () => {
      Y.applyUpdate(doc, map.initial);
      for (const update of map.updates) Y.applyUpdate(doc, update);
    });
  }, runs);
