import { addStage, readStages } from '@waymark/model';
import { PostgresMapStore } from '@waymark/server';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect, createMap, synced, tokenOf, waitFor } from '../support/clients.js';
import { useTestPostgres } from '../support/embedded-postgres.js';
import { spawnServer } from '../support/server.js';
import { useProcessTestBed, useServerTestBed } from '../support/test-bed.js';

const postgres = useTestPostgres();

describe('the server on PostgreSQL (DATABASE_URL)', () => {
  const bed = useServerTestBed();

  it('keeps a map edited over a socket across a restart, in PostgreSQL and not in DATA_DIR', async ({ skip }) => {
    const env = { DATABASE_URL: await postgres.database(skip) };
    const first = await bed.start(env);
    expect(first.server.store).toBeInstanceOf(PostgresMapStore);
    const map = await createMap(first.url);
    const writer = await bed.join(first.url, map.id, map.links.editor);
    const watcher = await bed.join(first.url, map.id, map.links.viewer);
    for (let i = 0; i < 20; i++) addStage(writer.doc, { name: `Stored-${i}` });
    // The server relays only what it has committed: the watcher seeing the last one means all are stored.
    await waitFor(() => readStages(watcher.doc).some((s) => s.name === 'Stored-19'), 'watcher to receive');
    const seen = readStages(watcher.doc).map((s) => s.name);
    writer.provider.shouldConnect = false;
    watcher.provider.shouldConnect = false;
    await first.close();
    expect(existsSync(join(bed.dir, 'waymark.db'))).toBe(false);

    const second = await bed.start(env);
    const reader = await bed.join(second.url, map.id, map.links.viewer);
    expect(readStages(reader.doc).map((s) => s.name)).toEqual(seen);
    expect((await second.server.store.listMaps()).map((m) => m.id)).toContain(map.id);
  });
});

describe('the server process on PostgreSQL', () => {
  const bed = useProcessTestBed();

  it('keeps an update that a second client received, through a SIGKILL', async ({ skip }) => {
    const env = { DATABASE_URL: await postgres.database(skip) };
    const first = await bed.spawn(env);
    const map = await createMap(first.url);
    const writer = connect(first.url, map.id, tokenOf(map.links.editor));
    const reader = connect(first.url, map.id, tokenOf(map.links.viewer));
    bed.clients.push(writer, reader);
    await Promise.all([synced(writer), synced(reader)]);
    for (let i = 0; i < 30; i++) addStage(writer.doc, { name: `Killed-${i}` });
    await waitFor(() => readStages(reader.doc).some((s) => s.name === 'Killed-29'), 'reader to receive');
    const seenByReader = readStages(reader.doc).map((s) => s.name);
    writer.provider.disconnect();
    reader.provider.disconnect();
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await bed.spawn(env);
    const fresh = await bed.join(second.url, map.id, map.links.viewer);
    expect(readStages(fresh.doc).map((s) => s.name)).toEqual(seenByReader);
  });

  it('refuses to start, in one line naming the server, when PostgreSQL cannot be reached', async () => {
    const refused = spawnServer(bed.dir, { DATABASE_URL: 'postgres://waymark:secret@127.0.0.1:1/waymark' });
    await expect(refused).rejects.toThrow(/waymark: PostgreSQL storage: connecting to PostgreSQL at 127\.0\.0\.1:1\/waymark failed/);
    await expect(refused).rejects.not.toThrow(/secret|\n\s+at /);
  });
});
