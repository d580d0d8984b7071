import { readCards, readLanes, readMeta, SCHEMA_VERSION } from '@waymark/model';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SqliteMapStore } from '@waymark/server';
import { connect, synced, waitFor } from '../support/clients.js';
import type { RunningServer } from '../support/server.js';
import { v1MapDoc } from '../support/stored-maps.js';
import { useServerTestBed } from '../support/test-bed.js';

describe('a map saved by an older Waymark', () => {
  const bed = useServerTestBed();
  const clients = bed.clients;
  let running: RunningServer | undefined;

  it('is migrated when its room loads; clients and the store get the migrated map', async () => {
    const store = new SqliteMapStore({ file: join(bed.dir, 'waymark.db') });
    await store.createMap('legacy-map', Y.encodeStateAsUpdate(v1MapDoc()), 1_690_000_000_000);
    await store.close();
    running = await bed.start();
    const token = running.server.signer.sign('legacy-map', 'editor');
    const client = connect(running.url, 'legacy-map', token);
    clients.push(client);
    await synced(client);
    await waitFor(() => readMeta(client.doc).schemaVersion === SCHEMA_VERSION, 'migrated schema at the client');
    expect(readLanes(client.doc)[0]?.kind).toBe('painPoints');
    const [card] = readCards(client.doc);
    expect(card?.text).toBe('Shipping cost only shown at the end');
    expect(card?.colour).toMatch(/^#[0-9a-f]{6}$/i);

    // The migration is stored: a later load starts from the migrated map.
    await running.close();
    running = await bed.start();
    const later = connect(running.url, 'legacy-map', token);
    clients.push(later);
    await synced(later);
    expect(readMeta(later.doc).schemaVersion).toBe(SCHEMA_VERSION);
    expect(readLanes(later.doc)[0]?.kind).toBe('painPoints');
  });
});
