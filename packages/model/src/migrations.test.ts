import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  isNewerSchema,
  MIGRATIONS,
  migrateDoc,
  NewerSchemaError,
  REPAIR_SCHEMA_VERSION,
  SCHEMA_VERSION,
  schemaVersionShownByRecords,
  storedSchemaVersion,
} from './migrations.js';
import { cardText } from './records/card.js';
import { readMap } from './read-map.js';
import { createMapFromTemplate } from './create-map.js';

function put(doc: Y.Doc, collection: string, id: string, fields: Record<string, unknown>): void {
  const record = new Y.Map<unknown>();
  doc.getMap(collection).set(id, record);
  for (const [key, value] of Object.entries(fields)) record.set(key, value);
}

/**
 * A map as Waymark v1 wrote it: no schemaVersion, cards with `color` (a palette name) and
 * plain-string `text`, lanes with the kinds 'pain' and 'ideas'.
 */
function v1Document(): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    const meta = doc.getMap('meta');
    meta.set('title', 'Checkout (2023 workshop)');
    meta.set('goal', 'Why do buyers abandon the cart?');
    meta.set('createdAt', 1_690_000_000_000);
    put(doc, 'stages', 'stageBrowse', { name: 'Browse', order: 'a0' });
    put(doc, 'stages', 'stagePay', { name: 'Pay', order: 'a1' });
    put(doc, 'lanes', 'laneDo', { title: 'Doing', kind: 'actions', order: 'a0' });
    put(doc, 'lanes', 'lanePain', { title: 'Pain', kind: 'pain', order: 'a1' });
    put(doc, 'lanes', 'laneIdeas', { title: 'Ideas', kind: 'ideas', order: 'a2' });
    put(doc, 'personas', 'personaAlex', { name: 'Alex', colour: '#0ea5e9' });
    put(doc, 'cards', 'cardShipping', {
      stageId: 'stagePay',
      laneId: 'lanePain',
      order: 'a0',
      text: 'Shipping cost only shown at the end',
      color: 'pink',
      tags: ['pricing'],
      personaIds: ['personaAlex'],
      evidence: 'observed',
      author: 'maria',
      createdAt: 1_690_000_100_000,
    });
    put(doc, 'cards', 'cardGuest', {
      stageId: 'stagePay',
      laneId: 'laneIdeas',
      order: 'a0',
      text: 'Guest checkout',
      color: '#BBF7D0',
    });
    doc.getMap('emotions').set('personaAlex:stagePay', -2);
  });
  return doc;
}

describe('the migration list', () => {
  it('is a chain of unique ids from 1 up to SCHEMA_VERSION', () => {
    expect(SCHEMA_VERSION).toBe(2);
    expect(new Set(MIGRATIONS.map((migration) => migration.id)).size).toBe(MIGRATIONS.length);
    let version = 1;
    for (const migration of MIGRATIONS) {
      expect(migration.from).toBe(version);
      expect(migration.to).toBe(version + 1);
      version = migration.to;
    }
    expect(version).toBe(SCHEMA_VERSION);
  });
});

describe('migrateDoc', () => {
  it('upgrades a hand-built v1 document so it reads correctly', () => {
    const doc = v1Document();
    // before: the renamed lane kinds make v2 readers skip those lanes and their cards
    expect(readMap(doc).lanes.map((lane) => lane.id)).toEqual(['laneDo']);

    const origins: unknown[] = [];
    doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin));
    const result = migrateDoc(doc);
    expect(result).toEqual({ from: 1, to: 2, applied: ['v2-card-colour-and-shared-text-lane-kind-names'] });
    expect(origins).toEqual([{ kind: 'migration', id: 'v2-card-colour-and-shared-text-lane-kind-names' }]);

    const map = readMap(doc);
    expect(map.problems).toEqual([]);
    expect(map.meta).toMatchObject({ title: 'Checkout (2023 workshop)', schemaVersion: 2 });
    expect(map.lanes.map((lane) => [lane.title, lane.kind])).toEqual([
      ['Doing', 'actions'],
      ['Pain', 'painPoints'],
      ['Ideas', 'opportunities'],
    ]);
    expect(map.cards).toEqual([
      {
        id: 'cardShipping',
        stageId: 'stagePay',
        laneId: 'lanePain',
        order: 'a0',
        text: 'Shipping cost only shown at the end',
        colour: '#fbcfe8',
        tags: ['pricing'],
        personaIds: ['personaAlex'],
        evidence: 'observed',
        links: [],
        sources: [],
        impact: 0,
        effort: 0,
        channels: [],
        department: '',
        author: 'maria',
        createdAt: 1_690_000_100_000,
      },
      expect.objectContaining({ id: 'cardGuest', colour: '#bbf7d0', text: 'Guest checkout' }),
    ]);
    expect(cardText(doc, 'cardShipping')).toBeInstanceOf(Y.Text);
    const stored = doc.getMap('cards').get('cardShipping') as Y.Map<unknown>;
    expect(stored.has('color')).toBe(false);
    expect(map.emotions[0]).toMatchObject({ personaId: 'personaAlex', stageId: 'stagePay', score: -2 });
  });

  it('is a no-op the second time', () => {
    const doc = v1Document();
    migrateDoc(doc);
    const before = Y.encodeStateVector(doc);
    expect(migrateDoc(doc)).toEqual({ from: 2, to: 2, applied: [] });
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('leaves a current document and an empty document untouched', () => {
    const current = new Y.Doc();
    createMapFromTemplate(current, { title: 'New', template: 'onboarding' });
    const before = Y.encodeStateVector(current);
    expect(migrateDoc(current)).toEqual({ from: 2, to: 2, applied: [] });
    expect(Y.encodeStateVector(current)).toEqual(before);

    const empty = new Y.Doc();
    expect(migrateDoc(empty)).toEqual({ from: 2, to: 2, applied: [] });
    expect(empty.getMap('meta').size).toBe(0);
  });

  it('converges when two replicas migrate the same v1 document concurrently', () => {
    const server1 = v1Document();
    const server2 = new Y.Doc();
    Y.applyUpdate(server2, Y.encodeStateAsUpdate(server1));
    migrateDoc(server1);
    migrateDoc(server2);
    Y.applyUpdate(server1, Y.encodeStateAsUpdate(server2));
    Y.applyUpdate(server2, Y.encodeStateAsUpdate(server1));
    const map = readMap(server1);
    expect(readMap(server2)).toEqual(map);
    expect(map.problems).toEqual([]);
    expect(map.cards.map((card) => card.text)).toEqual(['Shipping cost only shown at the end', 'Guest checkout']);
  });

  it('refuses a newer document that holds what this version cannot read', () => {
    const newer = new Y.Doc();
    createMapFromTemplate(newer, { title: 'From the future', template: 'onboarding' });
    newer.getMap('meta').set('schemaVersion', SCHEMA_VERSION + 1);
    newer.getMap('futureThing').set('x', 1);
    expect(isNewerSchema(newer)).toBe(true);
    const before = Y.encodeStateVector(newer);
    expect(() => migrateDoc(newer)).toThrow(NewerSchemaError);
    expect(Y.encodeStateVector(newer)).toEqual(before);
    try {
      migrateDoc(newer);
    } catch (error) {
      expect(error).toMatchObject({ documentVersion: 3, supportedVersion: 2 });
    }
  });

  it('treats a missing schemaVersion as v1', () => {
    expect(storedSchemaVersion(v1Document())).toBe(1);
    expect(isNewerSchema(v1Document())).toBe(false);
  });
});

/** A current map whose stored schemaVersion was overwritten with `value`. */
function currentDocumentStamped(value: unknown): Y.Doc {
  const doc = new Y.Doc();
  createMapFromTemplate(doc, { title: 'Stamped', template: 'buyer-journey' });
  doc.getMap('meta').set('schemaVersion', value);
  return doc;
}

/** The document as a server gets it: bytes applied to a fresh Y.Doc, top-level types unnamed. */
function reloaded(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

describe('migrateDoc on a stored schemaVersion the records do not bear out', () => {
  it.each([['garbage'], [0], [-1], [1.5], [99], [null], ['2']])(
    'repairs %j on a current document to SCHEMA_VERSION and reports it',
    (value) => {
      const doc = reloaded(currentDocumentStamped(value));
      const origins: unknown[] = [];
      doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin));

      expect(migrateDoc(doc)).toEqual({
        from: SCHEMA_VERSION,
        to: SCHEMA_VERSION,
        applied: [REPAIR_SCHEMA_VERSION],
        repaired: { stored: JSON.stringify(value) },
      });
      expect(origins).toEqual([{ kind: 'migration', id: REPAIR_SCHEMA_VERSION }]);
      expect(doc.getMap('meta').get('schemaVersion')).toBe(SCHEMA_VERSION);
      expect(readMap(doc).problems).toEqual([]);
      // Repaired for good: the next load has nothing to do.
      expect(migrateDoc(doc)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION, applied: [] });
    },
  );

  it('runs the v1 → v2 migration on v1 records whose version is garbage', () => {
    const doc = v1Document();
    doc.getMap('meta').set('schemaVersion', 'garbage');
    const versions: unknown[] = [];
    doc.on('afterTransaction', () => versions.push(doc.getMap('meta').get('schemaVersion')));

    expect(migrateDoc(doc)).toEqual({
      from: 1,
      to: 2,
      applied: [REPAIR_SCHEMA_VERSION, 'v2-card-colour-and-shared-text-lane-kind-names'],
      repaired: { stored: '"garbage"' },
    });
    // Each step leaves a version that matches the records: v1 after the repair, then v2.
    expect(versions).toEqual([1, 2]);
    const map = readMap(doc);
    expect(map.problems).toEqual([]);
    expect(map.lanes.map((lane) => lane.kind)).toEqual(['actions', 'painPoints', 'opportunities']);
    expect(cardText(doc, 'cardShipping')?.toString()).toBe('Shipping cost only shown at the end');
  });

  it.each([
    ['an unknown top-level map', (doc: Y.Doc) => doc.getMap('futureThing').set('x', 1)],
    ['an unknown top-level list', (doc: Y.Doc) => doc.getArray('futureList').push([1])],
    ['unknown top-level text', (doc: Y.Doc) => doc.getText('futureText').insert(0, 'hello')],
    ['list content under a known key', (doc: Y.Doc) => doc.getArray('workshop').push(['agenda'])],
  ])('keeps refusing 99 when the document holds %s', (_what, write) => {
    // Written by "a newer Waymark" on its own replica, then merged: `workshop` is a Y.Map here.
    const newer = new Y.Doc();
    write(newer);
    const written = currentDocumentStamped(99);
    Y.applyUpdate(written, Y.encodeStateAsUpdate(newer));
    const doc = reloaded(written);
    const before = Y.encodeStateVector(doc);
    expect(() => migrateDoc(doc)).toThrow(NewerSchemaError);
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('keeps refusing 99 when the readers skip a record (a lane kind this version does not know)', () => {
    const doc = currentDocumentStamped(99);
    const lane = new Y.Map<unknown>();
    doc.getMap('lanes').set('laneFuture', lane);
    lane.set('title', 'Moments of truth');
    lane.set('kind', 'momentsOfTruth');
    lane.set('order', 'z0');
    expect(() => migrateDoc(doc)).toThrow(NewerSchemaError);
    expect(doc.getMap('meta').get('schemaVersion')).toBe(99);
  });

  it('repairs 99 when an unknown top-level type is empty (everything in it deleted)', () => {
    const doc = currentDocumentStamped(99);
    doc.getMap('futureThing').set('x', 1);
    doc.getMap('futureThing').delete('x');
    expect(migrateDoc(reloaded(doc)).applied).toEqual([REPAIR_SCHEMA_VERSION]);
  });
});

describe('schemaVersionShownByRecords', () => {
  it('is v1 for a v1 card or lane and SCHEMA_VERSION otherwise', () => {
    expect(schemaVersionShownByRecords(v1Document())).toBe(1);
    const migrated = v1Document();
    migrateDoc(migrated);
    expect(schemaVersionShownByRecords(migrated)).toBe(SCHEMA_VERSION);

    const onlyLane = currentDocumentStamped(SCHEMA_VERSION);
    const lane = new Y.Map<unknown>();
    onlyLane.getMap('lanes').set('laneKpi', lane);
    lane.set('kind', 'kpi');
    expect(schemaVersionShownByRecords(onlyLane)).toBe(1);

    const onlyCard = currentDocumentStamped(SCHEMA_VERSION);
    const card = new Y.Map<unknown>();
    onlyCard.getMap('cards').set('cardOld', card);
    card.set('text', 'plain string');
    expect(schemaVersionShownByRecords(onlyCard)).toBe(1);

    // A kind that only looks like a key of every object is not a v1 name.
    const inherited = currentDocumentStamped(SCHEMA_VERSION);
    const odd = new Y.Map<unknown>();
    inherited.getMap('lanes').set('laneOdd', odd);
    odd.set('kind', 'constructor');
    expect(schemaVersionShownByRecords(inherited)).toBe(SCHEMA_VERSION);
  });
});
