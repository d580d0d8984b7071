import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnknownMapError } from './map-store.js';
import { SqliteMapStore } from './sqlite-store.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'waymark-sqlite-'));
  file = join(dir, 'waymark.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function edit(file: string, sql: string, ...params: unknown[]): void {
  const db = new Database(file);
  db.prepare(sql).run(...params);
  db.close();
}

describe('SqliteMapStore snapshot checksums', () => {
  it('vouches for a snapshot whose bytes match the checksum written with it', async () => {
    const store = new SqliteMapStore({ file });
    await store.createMap('m', Uint8Array.from([1, 2, 3]), 0);
    expect((await store.load('m')).snapshotIntact).toBe(true);
    await store.appendUpdates('m', [Uint8Array.from([4])]);
    await store.compact('m', Uint8Array.from([5, 6]), 2);
    const loaded = await store.load('m');
    expect(loaded.snapshotIntact).toBe(true);
    expect([...loaded.snapshot!]).toEqual([5, 6]);
    await store.close();
  });

  it('leaves out a snapshot changed behind its back, and says so', async () => {
    const store = new SqliteMapStore({ file });
    await store.createMap('m', Uint8Array.from([1, 2, 3]), 0);
    edit(file, 'UPDATE maps SET snapshot = ? WHERE id = ?', Buffer.from([1, 2, 4]), 'm');
    const loaded = await store.load('m');
    expect(loaded.snapshot).toBeNull();
    expect(loaded.damaged).toEqual([{ part: 'snapshot', seq: 1, storedAt: null }]);
    await store.close();
  });

  it('checks every update row: a flipped byte or a cut row costs only that row', async () => {
    const store = new SqliteMapStore({ file });
    await store.createMap('m', Uint8Array.from([1]), 0);
    const before = Date.now();
    await store.appendUpdates('m', [Uint8Array.from([10, 11]), Uint8Array.from([20, 21]), Uint8Array.from([30, 31, 32])]);
    edit(file, 'UPDATE updates SET data = ? WHERE map_id = ? AND seq = ?', Buffer.from([20, 22]), 'm', 3);
    edit(file, 'UPDATE updates SET data = ? WHERE map_id = ? AND seq = ?', Buffer.from([30]), 'm', 4);
    const loaded = await store.load('m');
    expect(loaded.updates.map((u) => [...u])).toEqual([[10, 11]]);
    expect(loaded.damaged.map((part) => [part.part, part.seq])).toEqual([
      ['update', 3],
      ['update', 4],
    ]);
    expect(loaded.damaged[0]!.storedAt).toBeGreaterThanOrEqual(before);
    // The damage note is kept until a restore clears it.
    await store.noteDamage('m', { lostParts: 2, since: before, foundAt: before });
    expect((await store.load('m')).damage).toEqual({ lostParts: 2, since: before, foundAt: before });
    await store.noteDamage('m', null);
    expect((await store.load('m')).damage).toBeNull();
    await store.close();
  });

  it('refuses a version whose bytes changed behind its back', async () => {
    const store = new SqliteMapStore({ file });
    await store.createMap('m', Uint8Array.from([1]), 0);
    await store.createVersion({
      id: 'v',
      mapId: 'm',
      kind: 'named',
      name: 'Before',
      createdAt: 1,
      createdBy: null,
      state: Uint8Array.from([7, 8, 9]),
    });
    edit(file, 'UPDATE versions SET state = ? WHERE id = ?', Buffer.from([7, 8, 10]), 'v');
    await expect(store.loadVersion('m', 'v')).rejects.toThrow(/version v does not match its checksum/);
    await store.close();
  });

  it('checks itself: a sound file has nothing to say, a missing update row is named', async () => {
    const store = new SqliteMapStore({ file });
    await store.createMap('m', Uint8Array.from([1]), 0);
    await store.appendUpdates('m', [Uint8Array.from([2]), Uint8Array.from([3]), Uint8Array.from([4])]);
    expect(store.checkIntegrity()).toEqual([]);
    edit(file, 'DELETE FROM updates WHERE map_id = ? AND seq = ?', 'm', 3);
    expect(store.checkIntegrity()).toEqual([
      { message: 'map m is missing 1 update row(s) between its snapshot (1) and its last update (4)', mapId: 'm', lostParts: 1 },
    ]);
    await store.close();
  });

  it('opens a file written before checksums, and leaves its snapshots to be decoded', async () => {
    const old = new Database(file);
    old.exec(`
      CREATE TABLE maps (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, snapshot BLOB, snapshot_seq INTEGER NOT NULL);
      CREATE TABLE updates (map_id TEXT NOT NULL REFERENCES maps(id) ON DELETE CASCADE, seq INTEGER NOT NULL,
        data BLOB NOT NULL, PRIMARY KEY (map_id, seq)) WITHOUT ROWID;
      INSERT INTO maps VALUES ('old', 0, x'010203', 1);
    `);
    old.close();
    const store = new SqliteMapStore({ file });
    const loaded = await store.load('old');
    expect(loaded.snapshotIntact).toBe(false);
    expect([...loaded.snapshot!]).toEqual([1, 2, 3]);
    // The next compaction writes a checksum.
    await store.compact('old', Uint8Array.from([7]), 1);
    expect((await store.load('old')).snapshotIntact).toBe(true);
    await store.close();
  });
});

describe('SqliteMapStore group commit', () => {
  const walBytes = () => statSync(`${file}-wal`).size;

  it('commits the appends of one turn to many maps in one transaction', async () => {
    const store = new SqliteMapStore({ file });
    const ids = Array.from({ length: 20 }, (_, i) => `m${i}`);
    for (const id of ids) await store.createMap(id, Uint8Array.from([0]), 0);

    // One append per map per turn: twenty transactions, each writing the log's pages again.
    let before = walBytes();
    for (const id of ids) await store.appendUpdates(id, [Uint8Array.from([1])]);
    const oneByOne = walBytes() - before;

    before = walBytes();
    const seqs = await Promise.all(ids.map((id) => store.appendUpdates(id, [Uint8Array.from([2]), Uint8Array.from([3])])));
    const together = walBytes() - before;

    expect(seqs).toEqual(ids.map(() => 4));
    expect(together * 5).toBeLessThan(oneByOne);
    for (const id of ids) expect((await store.load(id)).updates.map((u) => [...u])).toEqual([[1], [2], [3]]);
    await store.close();
  });

  it('rejects an append to a missing map without failing the others of its turn', async () => {
    const store = new SqliteMapStore({ file });
    await store.createMap('m', Uint8Array.from([0]), 0);
    const [ok, missing] = await Promise.allSettled([
      store.appendUpdates('m', [Uint8Array.from([1])]),
      store.appendUpdates('nope', [Uint8Array.from([1])]),
    ]);
    expect(ok).toEqual({ status: 'fulfilled', value: 2 });
    expect(missing).toMatchObject({ status: 'rejected', reason: expect.any(UnknownMapError) });
    await store.close();
  });

  it('commits what is waiting before it closes', async () => {
    const store = new SqliteMapStore({ file });
    await store.createMap('m', Uint8Array.from([0]), 0);
    const appended = store.appendUpdates('m', [Uint8Array.from([9])]);
    await store.close();
    expect(await appended).toBe(2);
    const reopened = new SqliteMapStore({ file });
    expect((await reopened.load('m')).updates.map((u) => [...u])).toEqual([[9]]);
    await reopened.close();
  });
});
