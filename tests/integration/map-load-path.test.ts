import { addStage, createMapFromTemplate, readLanes, readMeta, readStages, SCHEMA_VERSION } from '@waymark/model';
import { MemoryMapStore } from '@waymark/server';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { connect, synced, waitFor } from '../support/clients.js';
import { openRaw } from '../support/raw-socket.js';
import type { RunningServer } from '../support/server.js';
import { storedDoc, v1MapDoc } from '../support/stored-maps.js';
import { useServerTestBed } from '../support/test-bed.js';

/** A current map whose stored schemaVersion an editor overwrote, as servers used to let them. */
function stampedMap(schemaVersion: unknown): Y.Doc {
  const doc = new Y.Doc();
  createMapFromTemplate(doc, { title: 'Stamped journey', template: 'buyer-journey' });
  doc.getMap('meta').set('schemaVersion', schemaVersion);
  return doc;
}

/** A map a newer Waymark wrote: a newer version and a top-level type this version does not know. */
function newerMap(): Y.Doc {
  const doc = stampedMap(99);
  doc.getMap('futureThing').set('x', 1);
  return doc;
}

async function store(running: RunningServer, id: string, doc: Y.Doc): Promise<void> {
  await running.server.store.createMap(id, Y.encodeStateAsUpdate(doc), Date.now());
}

async function getMap(running: RunningServer, id: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const token = running.server.signer.sign(id, 'owner');
  const response = await fetch(`${running.url}/api/maps/${id}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function syncStep1Frame(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeSyncStep1(encoder, new Y.Doc());
  return encoding.toUint8Array(encoder);
}

const NEWER_MAP = /saved by a newer version of Waymark/;

describe('every read of a map takes the room load path', () => {
  const bed = useServerTestBed();
  const clients = bed.clients;

  it.each([['garbage'], [99]])(
    'opens a map stored with schemaVersion %j over GET and over sync, repairs it, and keeps it editable',
    async (bad) => {
      const running = await bed.start();
      await store(running, 'opened-by-get', stampedMap(bad));
      await store(running, 'opened-by-sync', stampedMap(bad));

      const cold = await getMap(running, 'opened-by-get');
      expect(cold.status).toBe(200);
      expect(cold.body.meta).toMatchObject({ title: 'Stamped journey', schemaVersion: SCHEMA_VERSION });

      const first = connect(running.url, 'opened-by-sync', running.server.signer.sign('opened-by-sync', 'editor'));
      const second = connect(running.url, 'opened-by-get', running.server.signer.sign('opened-by-get', 'editor'));
      clients.push(first, second);
      await Promise.all([synced(first), synced(second)]);
      await waitFor(() => readMeta(first.doc).schemaVersion === SCHEMA_VERSION, 'repaired version at the client');
      const live = await getMap(running, 'opened-by-sync');
      expect(live.status).toBe(200);
      expect(live.body.meta).toMatchObject({ schemaVersion: SCHEMA_VERSION });

      for (const [client, id] of [
        [first, 'opened-by-sync'],
        [second, 'opened-by-get'],
      ] as const) {
        addStage(client.doc, { name: `Edited ${id}` });
        await waitFor(
          async () => readStages(await storedDoc(running, id)).some((stage) => stage.name === `Edited ${id}`),
          `edit to ${id} stored`,
        );
        // The repair is stored too: the next load starts from a sound version.
        expect((await storedDoc(running, id)).getMap('meta').get('schemaVersion')).toBe(SCHEMA_VERSION);
      }
    },
  );

  it('answers GET on a cold v1 map with the migrated meta, and the room stores the migration', async () => {
    const running = await bed.start();
    await store(running, 'legacy', v1MapDoc());
    const { status, body } = await getMap(running, 'legacy');
    expect(status).toBe(200);
    expect(body.meta).toMatchObject({ title: 'Checkout (2023 workshop)', schemaVersion: SCHEMA_VERSION });
    await waitFor(async () => readMeta(await storedDoc(running, 'legacy')).schemaVersion === SCHEMA_VERSION, 'migration stored');
    expect(readLanes(await storedDoc(running, 'legacy'))[0]?.kind).toBe('painPoints');
  });

  it('refuses a map a newer Waymark wrote, over GET and over sync, and stores nothing', async () => {
    const running = await bed.start();
    await store(running, 'newer', newerMap());
    const before = await running.server.store.load('newer');

    const cold = await getMap(running, 'newer');
    expect(cold.status).toBe(409);
    expect(cold.body.error).toMatch(NEWER_MAP);
    await waitFor(() => running.server.rooms.size === 0, 'refused room let go');

    const syncing = await openRaw(running.url, 'newer', running.server.signer.sign('newer', 'editor'));
    const closed = await syncing.closed;
    expect(closed.code).toBe(4500);
    expect(closed.reason).toMatch(NEWER_MAP);

    // A client already in the cold room when a read finds out is sent away with the reason too.
    const waiting = await openRaw(running.url, 'newer', running.server.signer.sign('newer', 'editor'));
    waiting.ws.send(syncStep1Frame());
    await waitFor(() => waiting.received.length > 0, 'cold reply');
    expect((await getMap(running, 'newer')).status).toBe(409);
    expect((await waiting.closed).reason).toMatch(NEWER_MAP);
    await waitFor(() => running.server.rooms.size === 0, 'refused room let go');

    expect(await running.server.store.load('newer')).toEqual(before);
  });

  it('unloads a room that only a GET loaded once ROOM_IDLE_MS has passed', async () => {
    const running = await bed.start({ ROOM_IDLE_MS: '50' });
    await store(running, 'read-once', v1MapDoc());
    expect((await getMap(running, 'read-once')).status).toBe(200);
    await waitFor(() => running.server.rooms.size === 0, 'room unloaded');
    // The unload compacted the room's one update, its migration, into the snapshot.
    const after = await running.server.store.load('read-once');
    expect(after.updates).toEqual([]);
    expect(readMeta(await storedDoc(running, 'read-once')).schemaVersion).toBe(SCHEMA_VERSION);
  });

  it('answers 503 when the store cannot be read', async () => {
    const failing = new (class extends MemoryMapStore {
      override async hasMap(): Promise<boolean> {
        throw new Error('disk unavailable');
      }
      override async deletedAt(): Promise<number | null> {
        throw new Error('disk unavailable');
      }
    })();
    const running = await bed.start({ STORAGE: 'memory' }, { store: failing });
    await failing.createMap('unreadable', Y.encodeStateAsUpdate(stampedMap(SCHEMA_VERSION)), Date.now());
    const { status, body } = await getMap(running, 'unreadable');
    expect(status).toBe(503);
    expect(body.error).toMatch(/storage unavailable/);
  });
});
