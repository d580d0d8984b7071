import { addStage, readStages } from '@waymark/model';
import Database from 'better-sqlite3';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect, createMap, synced, tokenOf, waitFor } from '../support/clients.js';
import { spawnServer } from '../support/server.js';
import { useProcessTestBed } from '../support/test-bed.js';

describe('the server process', () => {
  const bed = useProcessTestBed();
  const clients = bed.clients;
  const start = (env: Record<string, string> = {}) => bed.spawn(env);

  it('keeps an update that a second client received, through a SIGKILL', async () => {
    const first = await start();
    const map = await createMap(first.url);
    const writer = connect(first.url, map.id, tokenOf(map.links.editor));
    const reader = connect(first.url, map.id, tokenOf(map.links.viewer));
    clients.push(writer, reader);
    await Promise.all([synced(writer), synced(reader)]);
    for (let i = 0; i < 30; i++) addStage(writer.doc, { name: `Killed-${i}` });
    await waitFor(() => readStages(reader.doc).some((s) => s.name === 'Killed-29'), 'reader to receive');
    const seenByReader = readStages(reader.doc).map((s) => s.name);
    // Stop the writer first, so nothing but the store can bring the update back.
    writer.provider.disconnect();
    reader.provider.disconnect();
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await start();
    const fresh = connect(second.url, map.id, tokenOf(map.links.viewer));
    clients.push(fresh);
    await synced(fresh);
    expect(readStages(fresh.doc).map((s) => s.name)).toEqual(seenByReader);
  });

  it('on SIGTERM stops accepting, flushes, compacts and exits 0', async () => {
    const child = await start({ ROOM_IDLE_MS: '600000' });
    const map = await createMap(child.url);
    const writer = connect(child.url, map.id, tokenOf(map.links.editor));
    const watcher = connect(child.url, map.id, tokenOf(map.links.viewer));
    clients.push(writer, watcher);
    await Promise.all([synced(writer), synced(watcher)]);
    for (let i = 0; i < 10; i++) addStage(writer.doc, { name: `Term-${i}` });
    // The server fans out only what it has committed, so the watcher seeing them means they are stored.
    await waitFor(() => readStages(watcher.doc).some((s) => s.name === 'Term-9'), 'watcher to receive');
    writer.provider.shouldConnect = false;
    watcher.provider.shouldConnect = false;
    child.child.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.logs.some((l) => l.msg === 'Waymark stopped')).toBe(true);

    const db = new Database(join(bed.dir, 'waymark.db'), { readonly: true });
    const { n } = db.prepare('SELECT count(*) AS n FROM updates WHERE map_id = ?').get(map.id) as { n: number };
    db.close();
    expect(n).toBe(0);
    const again = await start();
    const reader = connect(again.url, map.id, tokenOf(map.links.viewer));
    clients.push(reader);
    await synced(reader);
    expect(readStages(reader.doc).filter((s) => s.name.startsWith('Term-'))).toHaveLength(10);
  });

  it('refuses to start with a clear message when the configuration is wrong', async () => {
    await expect(spawnServer(bed.dir, { PORT: 'eighty' })).rejects.toThrow(/PORT must be a whole number/);
  });

  it('stops with one line naming a DATA_DIR it cannot use, not a stack trace', async () => {
    writeFileSync(join(bed.dir, 'a-file'), 'in the way');
    const dataDir = join(bed.dir, 'a-file', 'data');
    const failure = await spawnServer(dataDir).then(
      () => '',
      (error: Error) => error.message,
    );
    expect(failure).toMatch(
      new RegExp(`waymark: DATA_DIR ${dataDir} cannot be used: a part of the path is a file, not a folder \\(ENOTDIR\\)`),
    );
    expect(failure).not.toMatch(/\n\s+at /);
  });

  it('prints the workspace admin link once on start, with the token it keeps in DATA_DIR', async () => {
    const server = await start();
    const token = readFileSync(join(bed.dir, 'workspace-token'), 'utf8').trim();
    const lines = () => server.logs.filter((entry) => entry.msg === 'workspace admin link (keep it to yourself)');
    await waitFor(() => lines().length > 0, 'the admin link in the log');
    expect(lines()).toHaveLength(1);
    expect(lines()[0]!.adminLink).toBe(`${server.url}/#workspace=${token}`);
  });

  it('keeps its data folder and files to its own user (0700 and 0600)', async () => {
    const dataDir = join(bed.dir, 'fresh');
    const server = await start({ DATA_DIR: dataDir });
    const map = await createMap(server.url);
    expect(map.id).toBeTruthy();
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const file of readdirSync(dataDir)) expect([file, statSync(join(dataDir, file)).mode & 0o777]).toEqual([file, 0o600]);
    expect(readdirSync(dataDir)).toEqual(expect.arrayContaining(['waymark.db', 'auth-secret', 'workspace-token']));
  });
});
