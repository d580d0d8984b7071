/**
 * Raw Yjs writes a hostile or broken client could make on its own copy of a map, each one
 * outside the journey-map model (packages/model/src/write-schema.ts): the server must refuse
 * every one of them. Values written carry `mark`, so a test can look for them afterwards; keys
 * do not, since a refused write still leaves its place (a tombstone under its key) in the map.
 * `outsideTheModel` is the other side: it finds anything of the kind left in a document.
 */
import {
  emotionProblem,
  metaFieldProblem,
  metricProblem,
  newId,
  recordFieldProblem,
  recordProblem,
  RECORD_COLLECTIONS,
  REQUIRED_FIELDS,
  SCHEMA_VERSION,
  TOP_LEVEL_KEYS,
  type WrittenValue,
} from '@waymark/model';
import * as Y from 'yjs';
import { pick } from './random.js';

type Random = () => number;

export interface HostileOp {
  readonly name: string;
  /** Writes on `doc`; may throw (Yjs refusing locally), which callers ignore. */
  run(doc: Y.Doc, random: Random, mark: string): void;
}

/** A stored record of a collection, as a raw Y.Map, whatever it holds. */
function someRecord(doc: Y.Doc, collection: string, random: Random): Y.Map<unknown> | undefined {
  const records = [...doc.getMap<unknown>(collection).values()].filter((value) => value instanceof Y.Map);
  return pick(random, records) as Y.Map<unknown> | undefined;
}

function someKey(doc: Y.Doc, collection: string, random: Random): string | undefined {
  return pick(random, [...doc.getMap<unknown>(collection).keys()]);
}

/** A stage-shaped record with every required field: only what `tweak` does to it is wrong. */
function stageRecord(mark: string, tweak: (record: Y.Map<unknown>) => void): Y.Map<unknown> {
  const record = new Y.Map<unknown>();
  record.set('name', mark);
  record.set('order', 'a0');
  tweak(record);
  return record;
}

export const HOSTILE_OPS: readonly HostileOp[] = [
  { name: 'schemaVersion garbage', run: (doc, _r, mark) => doc.getMap('meta').set('schemaVersion', mark) },
  { name: 'schemaVersion from the future', run: (doc) => doc.getMap('meta').set('schemaVersion', 99) },
  { name: 'schemaVersion deleted', run: (doc) => doc.getMap('meta').delete('schemaVersion') },
  { name: 'meta.template rewritten', run: (doc, _r, mark) => doc.getMap('meta').set('template', mark) },
  { name: 'meta.createdAt rewritten', run: (doc) => doc.getMap('meta').set('createdAt', -1) },
  { name: 'unknown meta field', run: (doc, _r, mark) => doc.getMap('meta').set('hijack', mark) },
  { name: 'empty title', run: (doc) => doc.getMap('meta').set('title', '   ') },
  { name: 'unknown top-level map', run: (doc, _r, mark) => doc.getMap('junk').set('x', mark) },
  { name: 'unknown top-level text', run: (doc, _r, mark) => doc.getText('orphans').insert(0, mark) },
  { name: 'unknown top-level array', run: (doc, _r, mark) => doc.getArray('spam').push([mark, 1]) },
  { name: 'reserved top-level type', run: (doc, _r, mark) => doc.getMap('workshop').set('timer', mark) },
  { name: 'array where a record belongs', run: (doc, _r, mark) => doc.getMap('stages').set(newId(), [1, 2, mark]) },
  {
    name: 'shared array where a record belongs',
    run: (doc, _r, mark) => doc.getMap('lanes').set(newId(), Y.Array.from([mark])),
  },
  { name: 'string where a record belongs', run: (doc, _r, mark) => doc.getMap('personas').set(newId(), mark) },
  { name: 'card without fields', run: (doc) => doc.getMap('cards').set(newId(), new Y.Map()) },
  {
    name: 'stage without order',
    run: (doc, _r, mark) =>
      doc.getMap('stages').set(
        newId(),
        stageRecord(mark, (r) => r.delete('order')),
      ),
  },
  {
    name: 'record under a key that is not an id',
    run: (doc, _r, mark) =>
      doc.getMap('stages').set(
        'not an id!',
        stageRecord(mark, () => {}),
      ),
  },
  {
    name: 'stage with an unknown field',
    run: (doc, _r, mark) =>
      doc.getMap('stages').set(
        newId(),
        stageRecord(mark, (r) => r.set('owner', mark)),
      ),
  },
  {
    name: 'stage with a nested list',
    run: (doc, _r, mark) =>
      doc.getMap('stages').set(
        newId(),
        stageRecord(mark, (r) => r.set('metrics', Y.Array.from([mark]))),
      ),
  },
  { name: 'card order a number', run: (doc, random) => someRecord(doc, 'cards', random)?.set('order', 42) },
  { name: 'card text a plain string', run: (doc, random, mark) => someRecord(doc, 'cards', random)?.set('text', mark) },
  { name: 'card stageId not an id', run: (doc, random, mark) => someRecord(doc, 'cards', random)?.set('stageId', `${mark} !`) },
  { name: 'card colour not a colour', run: (doc, random, mark) => someRecord(doc, 'cards', random)?.set('colour', mark) },
  { name: 'card tags not strings', run: (doc, random, mark) => someRecord(doc, 'cards', random)?.set('tags', [mark, 3]) },
  { name: 'unknown card field', run: (doc, random, mark) => someRecord(doc, 'cards', random)?.set('secret', mark) },
  { name: 'card loses its stageId', run: (doc, random) => someRecord(doc, 'cards', random)?.delete('stageId') },
  {
    name: 'embed in card text',
    run: (doc, random, mark) => {
      const text = someRecord(doc, 'cards', random)?.get('text');
      if (text instanceof Y.Text) text.insertEmbed(0, { mark });
    },
  },
  {
    name: 'formatting in card text',
    run: (doc, random, mark) => {
      const text = someRecord(doc, 'cards', random)?.get('text');
      if (text instanceof Y.Text) text.insert(0, mark, { bold: true });
    },
  },
  { name: 'stage name empty', run: (doc, random) => someRecord(doc, 'stages', random)?.set('name', '') },
  { name: 'stage name a number', run: (doc, random) => someRecord(doc, 'stages', random)?.set('name', 7) },
  { name: 'lane kind unknown', run: (doc, random, mark) => someRecord(doc, 'lanes', random)?.set('kind', mark) },
  { name: 'persona name deleted', run: (doc, random) => someRecord(doc, 'personas', random)?.delete('name') },
  {
    name: 'metric a list',
    run: (doc, random, mark) => {
      const stage = someRecord(doc, 'stages', random);
      const metrics = stage?.get('metrics');
      if (metrics instanceof Y.Map) metrics.set('csat', [mark]);
      else stage?.set('metrics', new Y.Map([['csat', [mark]]]));
    },
  },
  { name: 'subdocument as a card', run: (doc) => doc.getMap('cards').set(newId(), new Y.Doc()) },
  {
    name: 'subdocument over a card',
    run: (doc, random) => {
      const id = someKey(doc, 'cards', random);
      if (id !== undefined) doc.getMap('cards').set(id, new Y.Doc());
    },
  },
  { name: 'emotion score out of range', run: (doc) => doc.getMap('emotions').set(`${newId()}:${newId()}`, 7) },
  {
    name: 'emotion score a string',
    run: (doc, random, mark) => doc.getMap('emotions').set(someKey(doc, 'emotions', random) ?? `${newId()}:${newId()}`, mark),
  },
  { name: 'emotion under a malformed key', run: (doc) => doc.getMap('emotions').set('not:a:valid:key', 1) },
  {
    name: 'comment on a card the map never had',
    run: (doc, _r, mark) => doc.getMap('comments').set(newId(), commentRecord(mark, newId())),
  },
  {
    name: 'comment too long',
    run: (doc, random, mark) => {
      const cardId = someKey(doc, 'cards', random);
      if (cardId !== undefined) doc.getMap('comments').set(newId(), commentRecord(`${mark} ${'x'.repeat(4000)}`, cardId));
    },
  },
  {
    name: 'comment moved to another card',
    run: (doc, random) => someRecord(doc, 'comments', random)?.set('targetId', someKey(doc, 'cards', random) ?? newId()),
  },
];

/** A comment on card `cardId` with every required field; `text` carries the mark. */
function commentRecord(text: string, cardId: string): Y.Map<unknown> {
  return new Y.Map<unknown>([
    ['targetKind', 'card'],
    ['targetId', cardId],
    ['replyTo', ''],
    ['text', text],
  ]);
}

/** A stored value as the model's write schema judges it. */
function written(value: unknown): WrittenValue {
  if (value instanceof Y.Map) return { kind: 'map' };
  if (value instanceof Y.Text) return { kind: 'text' };
  if (value instanceof Y.AbstractType || value instanceof Y.Doc) return { kind: 'other', what: value.constructor.name };
  return { kind: 'value', value };
}

/**
 * Everything in a document that the write schema would refuse, judged field by field on the raw
 * Yjs types (readers are lenient; this is the strict side). Empty for a document that holds only
 * what the model's write API writes.
 */
export function outsideTheModel(doc: Y.Doc, meta: { template: string; createdAt: number }): string[] {
  const found: string[] = [];
  const known: ReadonlySet<string> = new Set(TOP_LEVEL_KEYS);
  for (const key of doc.share.keys()) if (!known.has(key)) found.push(`unknown top-level type ${key}`);
  for (const key of ['workshop', 'actions']) if (doc.getMap(key).size > 0) found.push(`${key} holds entries`);
  const serverOwned: Readonly<Record<string, unknown>> = { schemaVersion: SCHEMA_VERSION, ...meta };
  for (const [field, value] of doc.getMap<unknown>('meta')) {
    if (Object.hasOwn(serverOwned, field)) {
      if (value !== serverOwned[field]) found.push(`meta.${field} is ${JSON.stringify(value)}`);
      continue;
    }
    const problem = metaFieldProblem(field, written(value));
    if (problem) found.push(`meta: ${problem}`);
  }
  if (!doc.getMap('meta').has('schemaVersion')) found.push('meta.schemaVersion is missing');
  for (const collection of RECORD_COLLECTIONS) {
    for (const [id, record] of doc.getMap<unknown>(collection)) {
      const problem = recordProblem(id, written(record));
      if (problem || !(record instanceof Y.Map)) {
        found.push(`${collection}/${id}: ${problem}`);
        continue;
      }
      for (const field of REQUIRED_FIELDS[collection]) if (!record.has(field)) found.push(`${collection}/${id}: no ${field}`);
      for (const [field, value] of record as Y.Map<unknown>) {
        const fieldProblem = recordFieldProblem(collection, field, written(value));
        if (fieldProblem) found.push(`${collection}/${id}: ${fieldProblem}`);
        if (value instanceof Y.Map && field === 'metrics') {
          for (const [metric, metricValue] of value as Y.Map<unknown>) {
            const bad = metricProblem(metric, written(metricValue));
            if (bad) found.push(`${collection}/${id}: ${bad}`);
          }
        }
        if (
          value instanceof Y.Text &&
          value.toDelta().some((op: { insert?: unknown; attributes?: unknown }) => typeof op.insert !== 'string' || op.attributes)
        ) {
          found.push(`${collection}/${id}: text holds more than characters`);
        }
      }
    }
  }
  for (const [key, score] of doc.getMap<unknown>('emotions')) {
    const problem = emotionProblem(key, written(score));
    if (problem) found.push(`emotions/${key}: ${problem}`);
  }
  return found;
}
