import { addStage, readStages } from '@waymark/model';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SqliteMapStore, type MapStore } from '@waymark/server';
import { connect, createMap, synced, tokenOf, waitFor } from '../support/clients.js';
import type { RunningServer } from '../support/server.js';
import { useServerTestBed } from '../support/test-bed.js';

/** The real SQLite store, counting how often each map is loaded. */
class CountingStore extends SqliteMapStore implements MapStore {
  readonly loads = new Map<string, number>();
  override async load(id: string) {
    this.loads.set(id, (this.loads.get(id) ?? 0) + 1);
    return super.load(id);
  }
}

describe('room lifecycle', () => {
  const bed = useServerTestBed();
  const clients = bed.clients;
  let running: RunningServer | undefined;

  it('loads a room once when many clients arrive at the same moment', async () => {
    const store = new CountingStore({ file: join(bed.dir, 'waymark.db') });
    running = await bed.start({}, { store });
    const map = await createMap(running.url);
    const many = Array.from({ length: 25 }, () => connect(running!.url, map.id, tokenOf(map.links.editor)));
    clients.push(...many);
    await Promise.all(many.map(synced));
    expect(store.loads.get(map.id)).toBe(1);
    expect(running.server.rooms.size).toBe(1);
  });

  it('unloads an idle room, compacting its log into a snapshot', async () => {
    running = await bed.start({ ROOM_IDLE_MS: '50' });
    const map = await createMap(running.url);
    const a = connect(running.url, map.id, tokenOf(map.links.editor));
    await synced(a);
    for (let i = 0; i < 5; i++) addStage(a.doc, { name: `S${i}` });
    await waitFor(async () => (await running!.server.store.load(map.id)).updates.length > 0, 'updates stored');
    a.destroy();
    await waitFor(() => running!.server.rooms.size === 0, 'room to unload');
    await waitFor(async () => (await running!.server.store.load(map.id)).updates.length === 0, 'log compacted');
    const b = connect(running.url, map.id, tokenOf(map.links.editor));
    clients.push(b);
    await synced(b);
    expect(readStages(b.doc).filter((s) => /^S\d$/.test(s.name))).toHaveLength(5);
  });

  it('compacts while live once the log passes its threshold', async () => {
    running = await bed.start({ COMPACT_AFTER_UPDATES: '10' });
    const map = await createMap(running.url);
    const a = connect(running.url, map.id, tokenOf(map.links.editor));
    clients.push(a);
    await synced(a);
    for (let i = 0; i < 25; i++) {
      addStage(a.doc, { name: `T${i}` });
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const late = connect(running.url, map.id, tokenOf(map.links.viewer));
    clients.push(late);
    await waitFor(() => readStages(late.doc).filter((s) => s.name.startsWith('T')).length === 25, 'late joiner');
    const stored = await running.server.store.load(map.id);
    expect(stored.updates.length).toBeLessThan(10);
  });

  it('folds a long log into a snapshot when the room loads', async () => {
    running = await bed.start();
    const map = await createMap(running.url);
    await running.close();
    // A log left long, as by a crash before compaction.
    const store = new SqliteMapStore({ file: join(bed.dir, 'waymark.db') });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await store.load(map.id)).snapshot!);
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 30; i++) addStage(doc, { name: `Logged ${i}` });
    await store.appendUpdates(map.id, updates);
    await store.close();

    running = await bed.start({ COMPACT_AFTER_UPDATES: '10' });
    const c = connect(running.url, map.id, tokenOf(map.links.viewer));
    clients.push(c);
    await synced(c);
    expect(readStages(c.doc).filter((s) => s.name.startsWith('Logged '))).toHaveLength(30);
    expect((await running.server.store.load(map.id)).updates).toHaveLength(0);
  });

  it.each([
    ['caught by its checksum', 'UPDATE maps SET snapshot = ? WHERE id = ?'],
    ['without a checksum (an older file), caught decoding it', 'UPDATE maps SET snapshot = ?, snapshot_crc = NULL WHERE id = ?'],
  ])(
    'a corrupt snapshot %s costs only itself: the map opens, its editors are told, and the bytes are kept aside',
    async (_how, corrupt) => {
      running = await bed.start();
      const map = await createMap(running.url, { title: 'Was in the snapshot' });
      await running.close();
      running = undefined;
      // Corrupt the stored snapshot behind the server's back.
      const db = new Database(join(bed.dir, 'waymark.db'));
      db.prepare(corrupt).run(Buffer.from([0, 1, 0xff, 0xff, 0xff]), map.id);
      db.close();

      running = await bed.start({ ROOM_IDLE_MS: '10' });
      const editor = connect(running.url, map.id, tokenOf(map.links.editor));
      clients.push(editor);
      await synced(editor);
      // What was only in the snapshot is gone; the map is open and writable, and its editor is told.
      expect(editor.doc.getMap('meta').get('title')).toBeUndefined();
      await waitFor(() => editor.said.some((said) => said.kind === 'damaged'), 'the damage notice');
      addStage(editor.doc, { name: 'Written after the damage' });
      await waitFor(
        async () =>
          (await running!.server.store.load(map.id)).updates.length > 0 || (await running!.server.store.load(map.id)).snapshot !== null,
        'the edit stored',
      );
      for (const client of clients.splice(0)) client.destroy();
      await running.close();
      running = undefined;
      const check = new Database(join(bed.dir, 'waymark.db'), { readonly: true });
      const kept = check.prepare("SELECT data FROM damaged_parts WHERE map_id = ? AND part = 'snapshot'").all(map.id) as { data: Buffer }[];
      check.close();
      expect(kept.map((row) => [...row.data])).toContainEqual([0, 1, 0xff, 0xff, 0xff]);
      running = await bed.start();
      const again = connect(running.url, map.id, tokenOf(map.links.viewer));
      clients.push(again);
      await synced(again);
      expect(readStages(again.doc).map((stage) => stage.name)).toContain('Written after the damage');
    },
  );

  it('serves every room again after a restart with a fresh process state', async () => {
    running = await bed.start();
    const maps = await Promise.all([createMap(running.url), createMap(running.url)]);
    for (const map of maps) {
      const c = connect(running.url, map.id, tokenOf(map.links.editor));
      await synced(c);
      addStage(c.doc, { name: `Only in ${map.id}` });
      await waitFor(async () => (await running!.server.store.load(map.id)).updates.length > 0, 'stored');
      c.destroy();
    }
    await running.close();
    running = await bed.start();
    for (const map of maps) {
      const c = connect(running.url, map.id, tokenOf(map.links.viewer));
      clients.push(c);
      await synced(c);
      expect(
        readStages(c.doc)
          .filter((s) => s.name.startsWith('Only in'))
          .map((s) => s.name),
      ).toEqual([`Only in ${map.id}`]);
    }
  });
});
