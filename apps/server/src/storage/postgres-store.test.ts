import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { seededRandom } from '@waymark/model';
import { useTestPostgres } from '../../../../tests/support/embedded-postgres.js';
import { StoredThrough } from '../fanout/stored-through.js';
import type { StoredMap } from './map-store.js';
import { POSTGRES_MIGRATIONS } from './postgres-schema.js';
import { PostgresMapStore, type PostgresStoreOptions } from './postgres-store.js';

const postgres = useTestPostgres();
let connectionString: string;
const nodes: PostgresMapStore[] = [];

beforeEach(async (context) => {
  connectionString = await postgres.database((reason) => context.skip(reason));
});
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((node) => node.close()));
});

/** A store of its own, with its own pool of connections: what one server process opens. */
function startNode(options: Partial<PostgresStoreOptions> = {}): PostgresMapStore {
  const node = new PostgresMapStore({ connectionString, poolSize: 4, ...options });
  nodes.push(node);
  return node;
}

const text = (update: Uint8Array) => Buffer.from(update).toString();
const update = (writer: string, index: number) => Buffer.from(`${writer}:${index}`);

/** The document a node builds from what it loaded. */
function docOf(stored: StoredMap): Y.Doc {
  const doc = new Y.Doc();
  for (const part of stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates) Y.applyUpdate(doc, part);
  return doc;
}

/** Adds `item` to the document's list and returns the update that carries it. */
function addItem(doc: Y.Doc, item: string): Uint8Array {
  let carried: Uint8Array | undefined;
  const keep = (update: Uint8Array) => (carried = update);
  doc.on('update', keep);
  doc.getArray<string>('items').push([item]);
  doc.off('update', keep);
  return carried!;
}

const itemsOf = (stored: StoredMap) =>
  docOf(stored)
    .getArray<string>('items')
    .toArray()
    .sort((x, y) => x.localeCompare(y));

describe('PostgresMapStore with several nodes on one database', () => {
  it('keeps every update of two nodes appending to one map at once, exactly once and in each node’s order', async () => {
    const nodeA = startNode();
    const nodeB = startNode();
    await nodeA.createMap('m', Buffer.from('start'), 1);
    const random = seededRandom(16);
    const perWriter = 500;
    const sent = { a: 0, b: 0 };
    const seqs: Record<'a' | 'b', Promise<number>[]> = { a: [], b: [] };
    // A seeded interleaving: each step, one node asks for a burst of appends (some carrying several
    // updates) without waiting for the other node's, and now and then both wait for theirs.
    while (sent.a < perWriter || sent.b < perWriter) {
      const writer = sent.a >= perWriter ? 'b' : sent.b >= perWriter ? 'a' : random() < 0.5 ? 'a' : 'b';
      const node = writer === 'a' ? nodeA : nodeB;
      for (let burst = 1 + Math.floor(random() * 6); burst > 0 && sent[writer] < perWriter; burst--) {
        const count = Math.min(perWriter - sent[writer], 1 + Math.floor(random() * 3));
        const updates = Array.from({ length: count }, (_, i) => update(writer, sent[writer] + i));
        sent[writer] += count;
        seqs[writer].push(node.appendUpdates('m', updates));
      }
      if (random() < 0.2) await Promise.all([...seqs.a, ...seqs.b]);
    }
    const returned = { a: await Promise.all(seqs.a), b: await Promise.all(seqs.b) };
    for (const own of [returned.a, returned.b]) expect(own).toEqual([...own].sort((x, y) => x - y));
    expect(new Set([...returned.a, ...returned.b]).size).toBe(returned.a.length + returned.b.length);

    const stored = await startNode().load('m');
    const log = stored.updates.map(text);
    expect(log).toHaveLength(2 * perWriter);
    expect(stored.lastSeq).toBe(1 + 2 * perWriter);
    const expected = (writer: string) => Array.from({ length: perWriter }, (_, i) => `${writer}:${i}`);
    expect(log.filter((entry) => entry.startsWith('a:'))).toEqual(expected('a'));
    expect(log.filter((entry) => entry.startsWith('b:'))).toEqual(expected('b'));
    // Each append's number is where its last update sits in the log.
    for (const [writer, own] of Object.entries(returned)) {
      for (const seq of own) expect(log[seq - 2]).toMatch(new RegExp(`^${writer}:`));
    }
  });

  it('lets one of two nodes compacting one map at once win, and loses no update, appends during the compactions included', async () => {
    const nodeA = startNode();
    const nodeB = startNode();
    const origin = new Y.Doc();
    await nodeA.createMap('m', Y.encodeStateAsUpdate(origin), 1);
    const writers = { a: new Y.Doc(), b: new Y.Doc() };
    for (const doc of Object.values(writers)) Y.applyUpdate(doc, Y.encodeStateAsUpdate(origin));
    await Promise.all([
      nodeA.appendUpdates(
        'm',
        Array.from({ length: 40 }, (_, i) => addItem(writers.a, `a${i}`)),
      ),
      nodeB.appendUpdates(
        'm',
        Array.from({ length: 40 }, (_, i) => addItem(writers.b, `b${i}`)),
      ),
    ]);
    const [loadedA, loadedB] = await Promise.all([nodeA.load('m'), nodeB.load('m')]);
    const compactions = Promise.all([
      nodeA.tryCompact('m', Y.encodeStateAsUpdate(docOf(loadedA)), loadedA.lastSeq),
      nodeB.tryCompact('m', Y.encodeStateAsUpdate(docOf(loadedB)), loadedB.lastSeq),
    ]);
    const appends = Promise.all([
      nodeA.appendUpdates('m', [addItem(writers.a, 'a-late')]),
      nodeB.appendUpdates('m', [addItem(writers.b, 'b-late')]),
    ]);
    const [won] = await Promise.all([compactions, appends]);
    expect(won.filter(Boolean)).toHaveLength(1);

    const stored = await startNode().load('m');
    expect(stored.snapshot).not.toBeNull();
    const everyItem = [...Array.from({ length: 40 }, (_, i) => [`a${i}`, `b${i}`]).flat(), 'a-late', 'b-late'];
    expect(itemsOf(stored)).toEqual(everyItem.sort((x, y) => x.localeCompare(y)));
    // The loser's compaction through the interface is no error either.
    await expect(nodeB.compact('m', Y.encodeStateAsUpdate(docOf(loadedB)), loadedB.lastSeq)).resolves.toBeUndefined();
    expect(itemsOf(await startNode().load('m'))).toEqual(itemsOf(stored));
  });

  it('folds in no more than the compacting node holds, and never replaces a snapshot that folds in more', async () => {
    const nodeA = startNode();
    const nodeB = startNode();
    await nodeA.createMap('m', Y.encodeStateAsUpdate(new Y.Doc()), 1);
    const loadedB = await nodeB.load('m');
    const docB = docOf(loadedB);
    // How far B's document holds the log, as B's room counts it (StoredThrough).
    const heldByB = new StoredThrough(loadedB.lastSeq);
    const docA = docOf(await nodeA.load('m'));
    // A writes between B's load and B's own append: B's document does not hold it yet.
    const fromA = addItem(docA, 'from-a');
    const seqFromA = await nodeA.appendUpdates('m', [fromA]);
    const seqFromB = await nodeB.appendUpdates('m', [addItem(docB, 'from-b')]);
    heldByB.note(seqFromB, seqFromB);
    expect(heldByB.through).toBe(loadedB.lastSeq);
    expect(await nodeB.tryCompact('m', Y.encodeStateAsUpdate(docB), heldByB.through)).toBe(false);
    expect(itemsOf(await startNode().load('m'))).toEqual(['from-a', 'from-b']);

    // A has seen everything and compacts; B, still short of A's update, changes nothing.
    const seenByA = await nodeA.load('m');
    expect(await nodeA.tryCompact('m', Y.encodeStateAsUpdate(docOf(seenByA)), seenByA.lastSeq)).toBe(true);
    const afterA = addItem(docOf(seenByA), 'after-a');
    const seqAfterA = await nodeA.appendUpdates('m', [afterA]);
    const seqLateB = await nodeB.appendUpdates('m', [addItem(docB, 'late-b')]);
    heldByB.note(seqLateB, seqLateB);
    expect(await nodeB.tryCompact('m', Y.encodeStateAsUpdate(docB), heldByB.through)).toBe(false);
    expect(itemsOf(await startNode().load('m'))).toEqual(['after-a', 'from-a', 'from-b', 'late-b']);

    // Once the fan-out has brought B what A stored, B folds in the whole log.
    for (const [update, seq] of [
      [fromA, seqFromA],
      [afterA, seqAfterA],
    ] as const) {
      Y.applyUpdate(docB, update);
      heldByB.note(seq, seq);
    }
    expect(heldByB.through).toBe(seqLateB);
    expect(await nodeB.tryCompact('m', Y.encodeStateAsUpdate(docB), heldByB.through)).toBe(true);
    const folded = await startNode().load('m');
    expect(folded.updates).toHaveLength(0);
    expect(itemsOf(folded)).toEqual(['after-a', 'from-a', 'from-b', 'late-b']);
  });

  it('loses no update whatever the order of edits, late deliveries, compactions and reloads on two nodes', async () => {
    const random = seededRandom(1616);
    const origin = Y.encodeStateAsUpdate(new Y.Doc());
    await startNode().createMap('m', origin, 1);
    const made: string[] = [];
    const nodes = await Promise.all(
      ['a', 'b'].map(async (name) => {
        const store = startNode();
        const loaded = await store.load('m');
        return { name, store, doc: docOf(loaded), held: new StoredThrough(loaded.lastSeq), inbox: [] as [Uint8Array, number][] };
      }),
    );
    let wins = 0;
    for (let step = 0; step < 300; step++) {
      const node = nodes[random() < 0.5 ? 0 : 1]!;
      const other = nodes.find((n) => n !== node)!;
      const action = random();
      if (action < 0.5) {
        const item = `${node.name}${step}`;
        made.push(item);
        const carried = addItem(node.doc, item);
        const seq = await node.store.appendUpdates('m', [carried]);
        node.held.note(seq, seq);
        // What a fan-out between nodes would bring the other node, some time later.
        other.inbox.push([carried, seq]);
      } else if (action < 0.7) {
        for (const [update, seq] of node.inbox.splice(0, Math.ceil(random() * node.inbox.length))) {
          Y.applyUpdate(node.doc, update);
          node.held.note(seq, seq);
        }
      } else if (action < 0.9) {
        if (await node.store.tryCompact('m', Y.encodeStateAsUpdate(node.doc), node.held.through)) wins++;
      } else {
        const loaded = await node.store.load('m');
        node.doc = docOf(loaded);
        node.held = new StoredThrough(loaded.lastSeq);
      }
    }
    expect(wins).toBeGreaterThan(10);
    expect(itemsOf(await startNode().load('m'))).toEqual(made.sort((x, y) => x.localeCompare(y)));
  });
});

describe('PostgresMapStore schema', () => {
  async function schemaSteps(): Promise<string[]> {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      return (await client.query<{ id: string }>('SELECT id FROM waymark_schema ORDER BY version')).rows.map((row) => row.id);
    } finally {
      await client.end();
    }
  }

  it('is created once when two nodes start together, and a later start runs only the steps it lacks', async () => {
    const first = startNode();
    const second = startNode();
    await Promise.all([first.ready, second.ready]);
    expect(await schemaSteps()).toEqual(POSTGRES_MIGRATIONS.map((step) => step.id));
    await first.createMap('m', Buffer.from('kept'), 1);
    await first.appendUpdates('m', [Buffer.from('u')]);

    const later = [...POSTGRES_MIGRATIONS, { id: 'later-step', sql: 'ALTER TABLE maps ADD COLUMN later_note text' }];
    await startNode({ migrations: later }).ready;
    await startNode({ migrations: later }).ready;
    expect(await schemaSteps()).toEqual(later.map((step) => step.id));
    const stored = await startNode({ migrations: later }).load('m');
    expect(text(stored.snapshot!)).toBe('kept');
    expect(stored.updates.map(text)).toEqual(['u']);

    // A server older than the database says so rather than writing to a schema it does not know.
    await expect(startNode().ready).rejects.toThrow(/newer than this server knows/);
  });

  it('says which server it could not reach', async () => {
    const unreachable = new PostgresMapStore({ connectionString: 'postgres://waymark:secret@127.0.0.1:1/maps' });
    nodes.push(unreachable);
    await expect(unreachable.hasMap('m')).rejects.toThrow('PostgreSQL storage: connecting to PostgreSQL at 127.0.0.1:1/maps failed');
  });
});
