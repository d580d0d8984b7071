import { addStage, readStages } from '@waymark/model';
import Database from 'better-sqlite3';
import { readFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect, createMap, synced, tokenOf, waitFor, type Client, type CreatedMap } from '../support/clients.js';
import type { RunningServer } from '../support/server.js';
import { useProcessTestBed, useServerTestBed } from '../support/test-bed.js';

/**
 * Storage that never loses a stored update quietly: every row is checked as it is read, a
 * damaged one costs only its own content and the map's owners are told which versions hold it;
 * a database locked by another process stalls no other room.
 */
const stages = (client: Client) => readStages(client.doc).map((stage) => stage.name);
const damageNotice = (client: Client) => client.said.find((said) => said.kind === 'damaged');

describe('a damaged stored row', () => {
  const bed = useProcessTestBed();

  const join_ = async (running: { url: string }, map: CreatedMap, role: keyof CreatedMap['links']) => {
    const client = connect(running.url, map.id, tokenOf(map.links[role]!));
    bed.clients.push(client);
    await synced(client);
    return client;
  };
  const storedRows = (mapId: string) => {
    const db = new Database(join(bed.dir, 'waymark.db'), { readonly: true });
    try {
      return db.prepare<[string], { seq: number; data: Buffer }>('SELECT seq, data FROM updates WHERE map_id = ? ORDER BY seq').all(mapId);
    } catch {
      return [];
    } finally {
      db.close();
    }
  };

  it('costs only its own content: the map loads with the rest, logs one line, and tells owners and editors which versions hold it', async () => {
    let running = await bed.spawn();
    const map = await createMap(running.url, { title: 'Checkout' });
    const editor = await join_(running, map, 'editor');
    addStage(editor.doc, { name: 'One' });
    const stored = (name: string) => storedRows(map.id).some((row) => row.data.includes(Buffer.from(name)));
    await waitFor(() => stored('One'), 'the first stage stored');
    addStage(editor.doc, { name: 'Two' });
    await waitFor(() => stored('Two'), 'the second stage stored');
    const version = (await (
      await fetch(`${running.url}/api/maps/${map.id}/versions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(map.links.owner!)}` },
        body: JSON.stringify({ name: 'after two stages' }),
      })
    ).json()) as { id: string };
    addStage(editor.doc, { name: 'Three' });
    await waitFor(() => stored('Three'), 'the third stage stored');
    // A crash, so the log is not folded into a snapshot on the way out.
    running.child.kill('SIGKILL');
    await running.exited;
    for (const client of bed.clients.splice(0)) client.destroy();

    // A byte flips in the row that holds "Two".
    const db = new Database(join(bed.dir, 'waymark.db'));
    const two = storedRows(map.id).find((row) => row.data.includes(Buffer.from('Two')))!;
    const flipped = Buffer.from(two.data);
    flipped[flipped.indexOf(Buffer.from('Two'))] = 'X'.charCodeAt(0);
    db.prepare('UPDATE updates SET data = ? WHERE map_id = ? AND seq = ?').run(flipped, map.id, two.seq);
    db.close();

    running = await bed.spawn();
    const owner = await join_(running, map, 'owner');
    const viewer = await join_(running, map, 'viewer');
    // Served without the damaged row: never as it now reads ("Xwo"), and the rest is there.
    expect(stages(owner)).toEqual(expect.arrayContaining(['One', 'Three']));
    expect(stages(owner)).not.toContain('Xwo');
    expect(stages(owner)).not.toContain('Two');
    await waitFor(() => damageNotice(owner) !== undefined, 'the owner told of the damage');
    expect(damageNotice(owner)).toMatchObject({
      reason: expect.stringMatching(
        /^1 stored change was damaged on the server's disk and left out of this map .*after two stages.* restore one to bring it back\.$/,
      ),
    });
    expect(damageNotice(viewer)).toBeUndefined();

    // Restoring the version brings "Two" back and ends the notice.
    const restored = await fetch(`${running.url}/api/maps/${map.id}/versions/${version.id}/restore`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenOf(map.links.owner!)}` },
    });
    expect(restored.status).toBe(200);
    await waitFor(() => stages(viewer).includes('Two'), 'the restore seen');
    const later = await join_(running, map, 'owner');
    await waitFor(() => stages(later).includes('Two'), 'a new owner page synced');
    expect(damageNotice(later)).toBeUndefined();
    const lines = running.logs.filter((entry) => String(entry.msg).startsWith('stored map damaged'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ mapId: map.id, level: 50 });
  });
});

describe('a missing stored row', () => {
  const bed = useProcessTestBed();

  it('is named in one line at start, and the map loads with the rest', async () => {
    let running = await bed.spawn();
    const map = await createMap(running.url, { title: 'Renewal' });
    const editor = connect(running.url, map.id, tokenOf(map.links.editor!));
    bed.clients.push(editor);
    await synced(editor);
    const file = join(bed.dir, 'waymark.db');
    const rows = () => {
      const db = new Database(file, { readonly: true });
      try {
        return db
          .prepare<[string], { seq: number; data: Buffer }>('SELECT seq, data FROM updates WHERE map_id = ? ORDER BY seq')
          .all(map.id);
      } finally {
        db.close();
      }
    };
    for (const name of ['Alpha', 'Beta', 'Gamma']) {
      addStage(editor.doc, { name });
      await waitFor(() => rows().some((row) => row.data.includes(Buffer.from(name))), `${name} stored`);
    }
    running.child.kill('SIGKILL');
    await running.exited;
    for (const client of bed.clients.splice(0)) client.destroy();
    const beta = rows().find((row) => row.data.includes(Buffer.from('Beta')))!;
    const db = new Database(file);
    db.prepare('DELETE FROM updates WHERE map_id = ? AND seq = ?').run(map.id, beta.seq);
    db.close();

    running = await bed.spawn();
    const checks = running.logs.filter((entry) => String(entry.msg).startsWith('storage check at start'));
    expect(checks).toHaveLength(1);
    expect(String(checks[0]!.msg)).toContain(`map ${map.id} is missing 1 update row(s)`);
    const owner = connect(running.url, map.id, tokenOf(map.links.owner!));
    bed.clients.push(owner);
    await synced(owner);
    await waitFor(() => stages(owner).includes('Gamma'), 'the rest of the map');
    expect(stages(owner)).toContain('Alpha');
    expect(stages(owner)).not.toContain('Beta');
    await waitFor(() => damageNotice(owner) !== undefined, 'the owner told');
  });
});

describe('a write-ahead log cut short', () => {
  const bed = useProcessTestBed();

  it('is found at start: one line says how many acknowledged updates the map lost', async () => {
    let running = await bed.spawn();
    const map = await createMap(running.url, { title: 'Cut' });
    const editor = connect(running.url, map.id, tokenOf(map.links.editor!));
    bed.clients.push(editor);
    await synced(editor);
    const file = join(bed.dir, 'waymark.db');
    addStage(editor.doc, { name: 'Checkpointed' });
    const stored = (name: string) => {
      const db = new Database(file, { readonly: true });
      try {
        return db
          .prepare<[string], { data: Buffer }>('SELECT data FROM updates WHERE map_id = ?')
          .all(map.id)
          .some((row) => row.data.includes(Buffer.from(name)));
      } finally {
        db.close();
      }
    };
    await waitFor(() => stored('Checkpointed'), 'the first stage stored');
    // Everything so far goes into the database file itself; what follows lives only in the log.
    const checkpoint = new Database(file);
    checkpoint.pragma('wal_checkpoint(TRUNCATE)');
    checkpoint.close();
    for (let i = 0; i < 10; i++) addStage(editor.doc, { name: `Only in the log ${i}` });
    await waitFor(() => stored('Only in the log 9'), 'the later stages stored');
    // The server writes what it acknowledged beside the database a couple of seconds later.
    await waitFor(
      () => {
        try {
          const acknowledged = JSON.parse(readFileSync(`${file}.acknowledged`, 'utf8')) as Record<string, number>;
          return (acknowledged[map.id] ?? 0) >= 10;
        } catch {
          return false;
        }
      },
      'the acknowledged numbers written',
      10_000,
    );
    running.child.kill('SIGKILL');
    await running.exited;
    for (const client of bed.clients.splice(0)) client.destroy();
    // The log loses its second half, as after a crash of the machine mid-write.
    const wal = `${file}-wal`;
    truncateSync(wal, Math.floor(statSync(wal).size / 4));

    running = await bed.spawn();
    const lines = running.logs.filter((entry) => String(entry.msg).startsWith('storage check at start'));
    expect(lines).toHaveLength(1);
    expect(String(lines[0]!.msg)).toMatch(new RegExp(`map ${map.id} has lost \\d+ update\\(s\\) the server had acknowledged`));
    const owner = connect(running.url, map.id, tokenOf(map.links.owner!));
    bed.clients.push(owner);
    await synced(owner);
    expect(stages(owner)).toContain('Checkpointed');
    // Its owners are told, as for any damage.
    await waitFor(() => damageNotice(owner) !== undefined, 'the owner told of the loss');
  });
});

describe('a locked database', () => {
  const bed = useServerTestBed();

  const join_ = async (running: RunningServer, map: CreatedMap, role: keyof CreatedMap['links']) => {
    const client = connect(running.url, map.id, tokenOf(map.links[role]!));
    bed.clients.push(client);
    await synced(client);
    return client;
  };

  it('a database locked by another process stalls no other room, and loses no edit', async () => {
    const running = await bed.start({ SQLITE_BUSY_TIMEOUT_MS: '10000' });
    const first = await createMap(running.url, { title: 'Locked one' });
    const second = await createMap(running.url, { title: 'Other room' });
    const writer = await join_(running, first, 'editor');
    const watcher = await join_(running, first, 'viewer');
    await join_(running, second, 'editor');

    const lock = new Database(join(bed.dir, 'waymark.db'));
    lock.exec('BEGIN EXCLUSIVE');
    addStage(writer.doc, { name: 'Written while locked' });
    // While that write waits for the lock, another room serves a newcomer at once.
    const newcomer = await join_(running, second, 'viewer');
    expect(newcomer.doc.getMap('meta').get('title')).toBe('Other room');
    expect(stages(watcher)).not.toContain('Written while locked');
    expect(watcher.said.some((said) => said.kind === 'read-only')).toBe(false);

    lock.exec('ROLLBACK');
    lock.close();
    await waitFor(() => stages(watcher).includes('Written while locked'), 'the edit saved and relayed once the lock is gone');
    expect(watcher.said.some((said) => said.kind === 'read-only')).toBe(false);
  });
});
